"""`load_reference`: the official data file becomes rows, idempotently, and never overwrites a correction."""

import io

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from countries.models import Country, GcmVote, RcmStatus, Subregion
from gcm.models import Forum, ForumKind, GuidingPrinciple, Objective, Organization, OrganizationKind
from gcm.reference_loader import II_FORUM_KEY, REFERENCE_FILE, load_reference

pytestmark = pytest.mark.django_db

MODELS = (Objective, GuidingPrinciple, Country, Organization, Forum)


@pytest.fixture(scope="module")
def reference():
    return yaml.safe_load(REFERENCE_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def loaded(db):
    return load_reference()


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_the_official_counts(loaded):
    assert Objective.objects.count() == 23
    assert GuidingPrinciple.objects.count() == 10
    assert Country.objects.filter(rcm_status=RcmStatus.MEMBER).count() == 11
    assert Country.objects.filter(rcm_status=RcmStatus.OBSERVER).count() == 5
    assert set(Objective.objects.values_list("number", flat=True)) == set(range(1, 24))
    assert loaded.created == sum(counts().values())


def test_spanish_titles_equal_the_data_file(loaded, reference):
    objective_5 = next(entry for entry in reference["objectives"] if entry["number"] == 5)
    assert Objective.objects.get(number=5).title_es == objective_5["title_es"]
    assert Objective.objects.get(number=5).short_title_es == objective_5["hub_label_es"]
    child = next(entry for entry in reference["guiding_principles"] if entry["code"] == "child_sensitive")
    principle = GuidingPrinciple.objects.get(code="child_sensitive")
    assert principle.name_es == child["name_es"]
    assert principle.letter == child["para_15_letter"]


def test_countries_carry_subregion_champion_and_vote(loaded):
    sv = Country.objects.get(code="SV")
    assert (sv.alpha3, sv.name_es, sv.subregion) == ("SLV", "El Salvador", Subregion.CENTRAL_AMERICA)
    assert sv.is_gcm_champion is True
    assert sv.gcm_vote == GcmVote.IN_FAVOUR
    canada = Country.objects.get(code="CA")
    assert (canada.is_gcm_champion, canada.champion_since, canada.subregion) == (True, 2020, Subregion.NORTH_AMERICA)
    assert Country.objects.get(code="US").gcm_vote == GcmVote.AGAINST
    assert Country.objects.get(code="DO").gcm_vote == GcmVote.DID_NOT_VOTE
    assert Country.objects.get(code="GT").is_gcm_champion is False
    jamaica = Country.objects.get(code="JM")
    assert (jamaica.rcm_status, jamaica.subregion) == (RcmStatus.OBSERVER, Subregion.CARIBBEAN)


def test_every_country_that_attended_the_ii_forum_exists(loaded):
    attending = {"BZ", "CA", "CO", "CR", "DO", "EC", "SV", "GT", "HN", "PA", "PE", "US"}
    assert attending <= set(Country.objects.values_list("code", flat=True))


def test_organisations_and_forums(loaded):
    iom = Organization.objects.get(key="iom")
    assert (iom.acronym_en, iom.acronym_es, iom.kind, iom.is_un_network_member) == (
        "IOM",
        "OIM",
        OrganizationKind.UN_AGENCY,
        True,
    )
    assert Organization.objects.get(key="rncom").kind == OrganizationKind.CIVIL_SOCIETY
    assert Organization.objects.get(key="unnm").kind == OrganizationKind.UN_NETWORK
    forum = Forum.objects.get(key=II_FORUM_KEY)
    assert (forum.kind, forum.host_country.code, forum.city) == (ForumKind.CHAMPIONS_FORUM, "SV", "San Salvador")
    assert (str(forum.start_date), str(forum.end_date)) == ("2024-09-25", "2024-09-26")
    assert Forum.objects.get(key="forum_i_panama_2023").host_country.code == "PA"
    assert set(Forum.objects.filter(kind=ForumKind.IMRF).values_list("start_date__year", flat=True)) == {2022, 2026}
    assert Forum.objects.filter(kind=ForumKind.REGIONAL_REVIEW).count() == 2


def test_loading_twice_changes_nothing(loaded):
    before = counts()
    snapshot = list(Objective.objects.order_by("number").values_list("title_es", "updated_at"))
    summary = load_reference()
    assert counts() == before
    assert (summary.created, summary.updated, summary.kept) == (0, 0, [])
    assert summary.unchanged == sum(before.values())
    assert list(Objective.objects.order_by("number").values_list("title_es", "updated_at")) == snapshot


def test_a_correction_made_in_the_admin_is_kept_on_reload(loaded, reference):
    objective = Objective.objects.get(number=5)
    objective.title_es = "Título corregido por la secretaría"
    objective.save()
    out = io.StringIO()
    call_command("load_reference", stdout=out)
    objective.refresh_from_db()
    assert objective.title_es == "Título corregido por la secretaría"
    assert "kept correction: objective 5 was changed in the admin (title_es)" in out.getvalue()
    assert "kept corrections 1" in out.getvalue()
    # The other rows are untouched and the corrected one stays corrected on every later load.
    assert load_reference().kept == ["objective 5"]
    assert Objective.objects.get(number=6).title_es == reference["objectives"][5]["title_es"]


def test_a_row_the_file_changed_is_updated(loaded, reference, tmp_path):
    changed = dict(reference)
    changed["objectives"] = [dict(entry) for entry in reference["objectives"]]
    changed["objectives"][0]["title_es"] = "Recopilar datos (texto revisado)"
    path = tmp_path / "reference.yaml"
    path.write_text(yaml.safe_dump(changed, allow_unicode=True), encoding="utf-8")
    summary = load_reference(path)
    assert summary.updated == 1
    objective = Objective.objects.get(number=1)
    assert objective.title_es == "Recopilar datos (texto revisado)"
    assert objective.reference_values["title_es"] == "Recopilar datos (texto revisado)"


def test_unverified_entries_are_flagged_with_a_note(loaded, reference):
    unverified_numbers = {entry["number"] for entry in reference["objectives"] if False in entry["verified"].values()}
    assert unverified_numbers  # the file has some (e.g. objective 3's Spanish title)
    assert set(Objective.objects.filter(is_verified=False).values_list("number", flat=True)) == unverified_numbers
    objective_3 = Objective.objects.get(number=3)
    assert objective_3.is_verified is False
    assert "Not confirmed from a source: title_es." in objective_3.reference_note
    assert "undocs.org/es/A/RES/73/195" in objective_3.reference_note
    assert Objective.objects.get(number=5).is_verified is True
    undp = Organization.objects.get(key="undp")
    assert (undp.is_verified, undp.reference_note.splitlines()[0]) == (False, "Not confirmed from a source: name_es.")
    assert Forum.objects.get(key="forum_i_panama_2023").is_verified is False


def test_a_bad_file_writes_nothing(tmp_path, reference):
    broken = dict(reference)
    broken["milestones"] = [*reference["milestones"], {"id": "bad", "name_en": "Bad", "start": "25 Sept"}]
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError, match=r"milestones\[id=bad\]: '25 Sept' is not a date"):
        call_command("load_reference", "--file", str(path), stdout=io.StringIO())
    assert counts() == dict.fromkeys(counts(), 0)
