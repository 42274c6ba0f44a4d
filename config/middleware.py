"""A database that has gone away answers 503 (an HTML page or JSON), never a stack trace; an API
address too long to be a real request answers 414 in the API's envelope."""

import logging

from django.conf import settings
from django.db import OperationalError, close_old_connections
from django.db.utils import InterfaceError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("database unavailable: %s", exception)
        # Drop the broken connection so the next request reconnects once the server is back.
        close_old_connections()
        message = _("The service is temporarily unavailable. Please try again in a minute.")
        if _wants_json(request):
            response = JsonResponse({"detail": message}, status=503)
        else:
            try:
                body = loader.render_to_string("503.html", {"message": message})
            except Exception:  # the template engine itself may need the database (e.g. the user)
                body = f"<!DOCTYPE html><title>503</title><h1>{message}</h1>"
            response = HttpResponse(body, status=503)
        response["Retry-After"] = "30"
        return response


class UriTooLongMiddleware:
    """Under /api/, an address (path and query) over MAX_URL_LENGTH is a 414 `{"detail", "code"}`.

    No list's filters come near it in real use; longer ones only cost the server parsing. Gunicorn
    refuses a request line over its `--limit-request-line` itself (an HTML 400), so docs/deploy.md
    raises that above MAX_URL_LENGTH and this answer is the one a client gets.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            length = len(request.path_info) + len(request.META.get("QUERY_STRING", "")) + 1
            if length > settings.MAX_URL_LENGTH:
                message = _("The address is too long: at most %(limit)s characters.") % {
                    "limit": settings.MAX_URL_LENGTH
                }
                return JsonResponse({"detail": message, "code": "uri_too_long"}, status=414)
        return self.get_response(request)
