"""Helpers for the admin tests: pending updates to review, and the data a change form would post."""

import pytest
from django import forms

from roadmaps.models import ActionStatus
from tests.factories import ActionFactory, ProgressUpdateFactory


@pytest.fixture
def admin_client_for(client_for):
    return client_for


@pytest.fixture
def pending_update(el_salvador, focal_sv):
    """A submitted update by El Salvador's focal point on an action El Salvador is responsible for."""
    action = ActionFactory(code="A1", countries=[el_salvador])
    return ProgressUpdateFactory(
        action=action, country=el_salvador, author=focal_sv, status=ActionStatus.ON_TRACK, percent_complete=40
    )


def change_form_data(response) -> dict:
    """What the browser would post back from an admin add/change page, unchanged."""
    data = {}

    def add(form):
        for bound in form:
            value = bound.value()
            if isinstance(bound.field, forms.BooleanField):
                if value:
                    data[bound.html_name] = "on"
            elif value is None:
                data[bound.html_name] = ""
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(item) for item in value]
            else:
                data[bound.html_name] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data
