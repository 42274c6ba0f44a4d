"""A database that has gone away answers 503 (an HTML page or JSON), never a stack trace."""

import logging

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
