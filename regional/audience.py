"""Whose eyes the figures are seen with: the viewer's, or — for a signed-in person who asks with
`?view=public` — the public's. Staff and focal points see internal, partners' and draft roadmaps too;
the dashboard and the review report say so, and offer the public view, so that nobody quotes figures
the public cannot see (issue 20)."""

from django.contrib.auth.models import AnonymousUser

from roadmaps.models import Roadmap

PARAM, PUBLIC = "view", "public"


def figures_viewer(request):
    """The user whose visibility the figures follow: the public when a signed-in person asks for it."""
    if request.user.is_authenticated and request.GET.get(PARAM) == PUBLIC:
        return AnonymousUser()
    return request.user


def audience(request) -> dict:
    """What the page's note and switch need: may_switch, public_view, includes_non_public, switch_url."""
    if not request.user.is_authenticated:
        return {"may_switch": False}
    public_view = request.GET.get(PARAM) == PUBLIC
    query = request.GET.copy()
    query.pop("page", None)
    if public_view:
        query.pop(PARAM)
    else:
        query[PARAM] = PUBLIC
    includes_non_public = (
        not public_view
        and Roadmap.objects.visible_to(request.user)
        .exclude(id__in=Roadmap.objects.visible_to(AnonymousUser()).values("id"))
        .exists()
    )
    return {
        "may_switch": True,
        "public_view": public_view,
        "includes_non_public": includes_non_public,
        "switch_url": f"?{query.urlencode()}" if query else "?",
    }
