"""The secretariat's admin for the work itself, one module per model family: themes and roadmaps
(`roadmap`), actions (`action`), the review of progress updates (`progress_update`, with the queue and
the on-behalf page in `review_pages`), reporting cycles (`cycle`), indicators (`indicator`), and the
spreadsheet import page (`import_page`). What the lists share is in `lists`, what the admin's own
views share (their URLs, 404, message and back) in `decisions`.

Review decisions go through `roadmaps.services` (the same functions the web forms and the API call);
spreadsheet import lives in `roadmaps.imports`, export in `core.admin_tools.ExportMixin`.
"""

# Importing the modules registers their model admins (Django's autodiscover imports this package).
from roadmaps.admin import action, cycle, indicator, progress_update, roadmap  # noqa: F401
