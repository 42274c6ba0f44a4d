"""What the admin's decision views share (a review of an update, a cycle's open / close / reopen): they
answer a POST from the object's change page and go back to a page with a message."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpResponseRedirect


def object_or_404(model_admin, request, object_id):
    found = model_admin.get_object(request, unquote(object_id))
    if found is None:
        raise Http404
    return found


def back(model_admin, request, url: str, message: str, level=messages.ERROR) -> HttpResponseRedirect:
    model_admin.message_user(request, message, level)
    return HttpResponseRedirect(url)
