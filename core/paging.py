"""Pages of a list on the site's pages (not the API's: api.paging)."""

from django.core.paginator import Page, Paginator


def page_and_query(request, items, per_page: int) -> tuple[Page, str]:
    """The page `?page=` asks for, and the rest of the query string, for the pager's and filters' links."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
