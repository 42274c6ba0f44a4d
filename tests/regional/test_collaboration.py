"""The collaboration finder: near-duplicates across countries first, same-country pairs never, and the
secretariat's *not related* judgement honoured. Permissions of marking a pair."""

import pytest
from django.urls import reverse

from regional.models import NotRelatedPair
from regional.similarity import similar_pairs
from roadmaps.models import Visibility
from tests.factories import ActionFactory, CountryFactory, ObjectiveFactory, RoadmapFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db, el_salvador, guatemala):
    honduras, costa_rica = CountryFactory(code="HN"), CountryFactory(code="CR")
    labour, other = ObjectiveFactory(number=6), ObjectiveFactory(number=7)
    roadmap_sv = RoadmapFactory(slug="sv-roadmap", lead_country=el_salvador, objectives=[labour])
    roadmap_gt = RoadmapFactory(slug="gt-roadmap", lead_country=guatemala, objectives=[labour])
    roadmap_hn = RoadmapFactory(slug="hn-roadmap", lead_country=honduras, objectives=[labour])
    make = ActionFactory
    actions = {
        "sv": make(
            roadmap=roadmap_sv,
            code="SV1",
            title_en="Pilot programme for the labour migration of seasonal agricultural workers",
            title_es="Programa piloto de migración laboral de trabajadores agrícolas temporales",
            description_en="Recruit seasonal farm workers through a fair recruitment pilot with employers.",
            description_es="Reclutar trabajadores agrícolas temporales mediante un piloto de reclutamiento justo.",
            countries=[el_salvador],
        ),
        "gt": make(
            roadmap=roadmap_gt,
            code="GT1",
            title_en="Pilot program on labour migration for seasonal agricultural workers",
            title_es="Programa piloto sobre migración laboral para trabajadores agrícolas de temporada",
            description_en="Fair recruitment pilot with employers for seasonal farm workers.",
            description_es="Piloto de reclutamiento justo de trabajadores agrícolas temporales con empleadores.",
            countries=[guatemala],
        ),
        # Same wording, same country as "sv": never a pair.
        "sv_twin": make(
            roadmap=roadmap_sv,
            code="SV2",
            title_en="Pilot programme for the labour migration of seasonal agricultural workers (phase 2)",
            title_es="Programa piloto de migración laboral de trabajadores agrícolas temporales (fase 2)",
            countries=[el_salvador],
        ),
        "hn": make(
            roadmap=roadmap_hn,
            code="HN1",
            title_en="Strengthen consular protection networks in transit countries",
            title_es="Fortalecer las redes de protección consular en países de tránsito",
            countries=[honduras],
        ),
        "cr": make(
            roadmap=roadmap_hn,
            code="CR1",
            title_en="Labour migration data: register seasonal workers abroad",
            title_es="Datos de migración laboral: registro de trabajadores temporales en el exterior",
            countries=[costa_rica],
        ),
        # Similar wording but another objective: no pair.
        "other_objective": make(
            roadmap=roadmap_hn,
            code="HN2",
            title_en="Pilot programme for the labour migration of seasonal agricultural workers",
            title_es="Programa piloto de migración laboral de trabajadores agrícolas temporales",
            countries=[honduras],
            objectives=[other],
        ),
    }
    return actions


def _pair_codes(pairs):
    return [tuple(sorted((p.first.code, p.second.code))) for p in pairs]


def test_near_duplicate_pair_ranks_first(seeded):
    pairs = similar_pairs(None, min_score=0)

    codes = _pair_codes(pairs)
    assert codes[0] == ("GT1", "SV1")
    assert pairs[0].score > 0.5
    assert all(p.score < pairs[0].score for p in pairs[1:])
    hn_pairs = [p for p in pairs if "HN1" in (p.first.code, p.second.code)]
    assert hn_pairs and all(p.score < 0.3 for p in hn_pairs)


def test_same_country_pairs_are_excluded(seeded):
    codes = _pair_codes(similar_pairs(None, min_score=0))

    assert ("SV1", "SV2") not in codes
    assert all(not ({"SV1", "SV2"} <= set(pair)) for pair in codes)


def test_pairs_need_a_shared_objective(seeded):
    codes = _pair_codes(similar_pairs(None, min_score=0))

    assert not any("HN2" in pair for pair in codes)


def test_score_is_shown_and_explained_on_the_page(client, seeded):
    response = client.get("/en/collaboration/")

    html = response.content.decode()
    assert response.status_code == 200
    first = response.context["pairs"][0]
    assert {first.first.code, first.second.code} == {"SV1", "GT1"}
    assert f"<strong>{first.percent}</strong> / 100" in html
    assert "how much wording two actions share (the same short sequences of letters)" in html
    assert "PostgreSQL" not in html and "trigram" not in html
    assert "Titles, Spanish" in html


def test_filter_by_objective_and_country(client, seeded):
    by_other_objective = client.get("/en/collaboration/", {"objective": 7})
    by_costa_rica = client.get("/en/collaboration/", {"country": "CR"})
    by_guatemala = client.get("/en/collaboration/", {"country": "GT"})

    assert by_other_objective.context["pairs"] == []
    assert all("CR1" in (p.first.code, p.second.code) for p in by_costa_rica.context["pairs"])
    assert _pair_codes(by_guatemala.context["pairs"])[0] == ("GT1", "SV1")


def test_unknown_filter_value_is_a_400(client, seeded):
    response = client.get("/en/collaboration/", {"objective": 99})

    assert response.status_code == 400
    assert "objective" in response.context["form"].errors


def test_not_related_pair_is_no_longer_shown(client, client_for, seeded, secretariat_user):
    sv, gt = seeded["sv"], seeded["gt"]

    response = client_for(secretariat_user).post(
        reverse("regional:not_related"), {"first": gt.pk, "second": sv.pk, "next": "/en/collaboration/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/en/collaboration/"
    pair = NotRelatedPair.objects.get()
    assert (pair.action_a_id, pair.action_b_id, pair.marked_by) == (
        min(sv.pk, gt.pk),
        max(sv.pk, gt.pk),
        secretariat_user,
    )
    assert ("GT1", "SV1") not in _pair_codes(client.get("/en/collaboration/").context["pairs"])
    assert gt.pk not in {p.other(sv.pk).pk for p in client.get(f"/en/actions/{sv.pk}/").context["similar"]}


def test_marking_the_same_pair_twice_keeps_one_row(client_for, seeded, secretariat_user):
    client = client_for(secretariat_user)
    data = {"first": seeded["sv"].pk, "second": seeded["gt"].pk}

    client.post(reverse("regional:not_related"), data)
    client.post(reverse("regional:not_related"), data)

    assert NotRelatedPair.objects.count() == 1


@pytest.mark.parametrize("actor", [None, "staff_outsider", "focal_sv", "focal_gt", "partner_user"])
def test_marking_not_related_requires_the_secretariat(request, client_for, seeded, actor):
    user = request.getfixturevalue(actor) if actor else None

    response = client_for(user).post(
        reverse("regional:not_related"), {"first": seeded["sv"].pk, "second": seeded["gt"].pk}
    )

    assert response.status_code == 403
    assert NotRelatedPair.objects.count() == 0


def test_mark_button_is_shown_to_the_secretariat_only(client, client_for, seeded, secretariat_user, staff_outsider):
    button = "Mark as not related"

    assert button in client_for(secretariat_user).get("/en/collaboration/").content.decode()
    assert button not in client_for(staff_outsider).get("/en/collaboration/").content.decode()
    assert button not in client.get("/en/collaboration/").content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"first": 1, "second": 1}, "An action cannot be paired with itself."),
        ({"first": "x", "second": 2}, "Enter a whole number."),
        ({"first": 999999, "second": 999998}, "One of these actions does not exist."),
    ],
)
def test_bad_not_related_input_is_a_400_and_writes_nothing(client_for, seeded, secretariat_user, data, message):
    response = client_for(secretariat_user).post(reverse("regional:not_related"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert NotRelatedPair.objects.count() == 0


def test_mark_not_related_refuses_get(client_for, secretariat_user):
    assert client_for(secretariat_user).get(reverse("regional:not_related")).status_code == 405


def test_action_page_lists_similar_actions_in_other_countries(client, seeded):
    response = client.get(f"/en/actions/{seeded['sv'].pk}/")

    others = [p.other(seeded["sv"].pk).code for p in response.context["similar"]]
    assert others[0] == "GT1"
    assert "SV2" not in others
    assert "Similar actions in other countries" in response.content.decode()


def test_internal_actions_are_not_paired_for_the_public(client, client_for, seeded, secretariat_user):
    roadmap = seeded["gt"].roadmap
    roadmap.visibility = Visibility.INTERNAL
    roadmap.save(update_fields=["visibility"])

    public_codes = _pair_codes(client.get("/en/collaboration/").context["pairs"])
    staff_codes = _pair_codes(client_for(secretariat_user).get("/en/collaboration/").context["pairs"])

    assert ("GT1", "SV1") not in public_codes
    assert ("GT1", "SV1") in staff_codes


def test_minimum_score_hides_loose_matches_unless_lowered(client, seeded):
    default = _pair_codes(client.get("/en/collaboration/").context["pairs"])
    lowered = _pair_codes(client.get("/en/collaboration/", {"min_score": 0}).context["pairs"])

    assert not any("HN1" in pair for pair in default)  # unrelated wording: below the default minimum
    assert any("HN1" in pair for pair in lowered)
    assert client.get("/en/collaboration/", {"min_score": 101}).status_code == 400


def test_groups_link_three_or_more_similar_actions_of_different_countries(client, seeded):
    third = ActionFactory(
        roadmap=seeded["hn"].roadmap,
        code="HN3",
        title_en="Pilot programme on labour migration of seasonal agricultural workers",
        title_es="Programa piloto de migración laboral de trabajadores agrícolas de temporada",
        countries=[seeded["hn"].countries.first()],
    )

    response = client.get("/en/collaboration/")

    groups = [{a.code for a in group} for group in response.context["groups"]]
    assert groups[0] >= {"SV1", "GT1", third.code}
    assert "Groups of similar actions" in response.content.decode()
