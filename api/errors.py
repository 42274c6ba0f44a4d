"""Every API error as JSON: `{"detail", "code"}`, plus `errors` (field → messages) on a 400."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from api.etags import version_etag
from core.errors import ConflictError, InvalidStateError


def _first_message(errors):
    """The first message of nested errors (a list item's field: `{"indicator_values": [{"value": [...]}]}`)."""
    if isinstance(errors, str):
        return errors
    values = errors.values() if isinstance(errors, dict) else errors
    for value in values:
        message = _first_message(value)
        if message:
            return message
    return None


def _messages(detail):
    """DRF error detail (str / list / dict, nested) → list of strings, or dict of field → list."""
    if isinstance(detail, dict):
        return {str(k): _messages(v) for k, v in detail.items()}
    if isinstance(detail, (list, tuple)):
        flat = []
        for item in detail:
            value = _messages(item)
            if isinstance(value, list):
                flat.extend(value)
            else:
                return [_messages(item) for item in detail]
        return flat
    return [force_str(detail)]


def django_validation_error_detail(error: DjangoValidationError):
    if hasattr(error, "error_dict"):
        return {field: [force_str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {api_settings.NON_FIELD_ERRORS_KEY: [force_str(m) for m in error.messages]}


def exception_handler(exc, context):
    """Every API error as JSON: `{"detail", "code"}`, plus `errors` (field → messages) on a 400."""
    code = "invalid"
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(django_validation_error_detail(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, InvalidStateError):
        exc = exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [str(exc)]})
        code = "invalid_state"
    elif isinstance(exc, ConflictError):
        response = Response(
            {"detail": str(exc), "code": "conflict", "current": conflict_current(exc.current)},
            status=status.HTTP_409_CONFLICT,
        )
        return response

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _messages(exc.detail)
        if isinstance(errors, list):
            errors = {api_settings.NON_FIELD_ERRORS_KEY: errors}
        first = _first_message(errors) or _("Invalid input.")
        response.data = {"detail": force_str(first), "code": code, "errors": errors}
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        response.data = {"detail": force_str(detail), "code": codes if isinstance(codes, str) else "error"}
    return response


def conflict_current(current):
    """What a 409 tells the caller about the record as it is now (an Action: id, version, ETag)."""
    if current is None:
        return None
    data = {"id": current.pk}
    if hasattr(current, "version"):
        data["version"] = current.version
        data["etag"] = version_etag(current.pk, current.version)
    return data
