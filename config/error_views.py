"""What a refused or mistaken request gets: JSON under /api/ (the API's envelope, `{"detail", "code"}`),
and elsewhere a page in the site's design, in the reader's language, with the navigation and the
language switch (Django's own are bare English). Wired as handler400/403/404 and CSRF_FAILURE_VIEW.
"""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def wants_json(request) -> bool:
    return request.path.startswith("/api/")


def _json(detail, code, status):
    return JsonResponse({"detail": str(detail), "code": code}, status=status)


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        # Django answers a body over DATA_UPLOAD_MAX_MEMORY_SIZE with 400; it is a 413 by HTTP's terms.
        message, code, status = _("The request body is too large."), "too_large", 413
    elif isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        message, code, status = _("The request has too many fields or files."), "too_many_fields", 400
    else:
        message, code, status = _("The request could not be understood."), "bad_request", 400
    if wants_json(request):
        return _json(message, code, status)
    return render(request, "errors/error.html", {"status": status, "message": message}, status=status)


def permission_denied(request, exception=None):
    message = _("You do not have permission to see this page.")
    if wants_json(request):
        return _json(_("You do not have permission to perform this action."), "permission_denied", 403)
    return render(request, "errors/error.html", {"status": 403, "message": message}, status=403)


def page_not_found(request, exception=None):
    if wants_json(request):
        return _json(_("Not found."), "not_found", 404)
    message = _("There is no page at this address. It may have moved, or you may not be allowed to see it.")
    return render(request, "errors/error.html", {"status": 404, "message": message}, status=404)


def csrf_failure(request, reason=""):
    if wants_json(request):
        return _json(_("CSRF check failed: reload the page and try again."), "csrf_failed", 403)
    message = _(
        "The form could not be sent because its security check failed (the page was open too long, or cookies are "
        "blocked). Go back, reload the page and send it again."
    )
    return render(request, "errors/error.html", {"status": 403, "message": message}, status=403)
