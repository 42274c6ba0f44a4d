"""A status's label is the one of the active language, whichever language asked first (the labels are
translated once per language: `roadmaps.models.choices.choice_labels`, issue 22)."""

import pytest
from django.utils import translation

from roadmaps.models import Action, ActionStatus, CountryProgress, ProgressUpdate, SnapshotRow

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Action, CountryProgress, ProgressUpdate, SnapshotRow])
def test_every_model_with_an_action_status_shows_its_label_in_the_active_language(model):
    row = model(status=ActionStatus.DELAYED)
    with translation.override("es"):
        assert row.get_status_display() == "Retrasada"
    with translation.override("en"):
        assert row.get_status_display() == "Delayed"
    with translation.override("es"):
        assert row.get_status_display() == "Retrasada"
    assert {model(status=value).get_status_display() for value in ActionStatus.values} == {
        str(label) for label in ActionStatus.labels
    }


def test_an_unknown_status_shows_as_stored():
    assert Action(status="paused").get_status_display() == "paused"
