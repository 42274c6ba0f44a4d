"""The exception handler turns every service error into JSON with the right status."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from api.errors import exception_handler
from core.errors import ConflictError, InvalidStateError
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


def handle(exc):
    response = exception_handler(exc, {})
    return response.status_code, response.data


def test_django_validation_error_with_fields_is_400_per_field():
    status, body = handle(ValidationError({"percent_complete": ["Too high."], "narrative": ["Required."]}))
    assert status == 400
    assert body == {
        "detail": "Too high.",
        "code": "invalid",
        "errors": {"percent_complete": ["Too high."], "narrative": ["Required."]},
    }


def test_django_validation_error_without_field_is_non_field_error():
    assert handle(ValidationError("Completed means 100 %.")) == (
        400,
        {
            "detail": "Completed means 100 %.",
            "code": "invalid",
            "errors": {"non_field_errors": ["Completed means 100 %."]},
        },
    )


def test_permission_denied_is_403_with_its_message():
    assert handle(PermissionDenied("Not your country.")) == (
        403,
        {"detail": "Not your country.", "code": "permission_denied"},
    )


def test_invalid_state_is_400_invalid_state():
    status, body = handle(InvalidStateError("Already approved."))
    assert (status, body["code"], body["errors"]) == (400, "invalid_state", {"non_field_errors": ["Already approved."]})


def test_conflict_is_409_with_the_current_version():
    action = ActionFactory()
    status, body = handle(ConflictError("Changed.", current=action))
    assert status == 409
    assert body == {
        "detail": "Changed.",
        "code": "conflict",
        "current": {"id": action.pk, "version": 1, "etag": f'"{action.pk}-v1-en"'},
    }


def test_other_exceptions_are_left_to_django():
    assert exception_handler(RuntimeError("boom"), {}) is None
