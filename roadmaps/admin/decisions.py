"""What the admin's own views share (a review of an update, a cycle's open / close / reopen, the review
queue): their URLs behind the admin's sign-in; a decision answers a POST from the object's change page
and goes back to a page with a message."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpResponseRedirect
from django.urls import path


def own_urls(model_admin, views: dict) -> list:
    """{(route, URL name): view} as URL patterns behind the admin's sign-in (they go before the model's)."""
    return [path(route, model_admin.admin_site.admin_view(view), name=name) for (route, name), view in views.items()]


def object_or_404(model_admin, request, object_id):
    found = model_admin.get_object(request, unquote(object_id))
    if found is None:
        raise Http404
    return found


def back(model_admin, request, url: str, message: str, level=messages.ERROR) -> HttpResponseRedirect:
    model_admin.message_user(request, message, level)
    return HttpResponseRedirect(url)
