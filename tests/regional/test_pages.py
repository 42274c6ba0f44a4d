"""Who sees which roadmap on the regional pages, the pages' content in both languages, and filters."""

import pytest

from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


ROADMAP_SLUGS = {"R1": "labour-mobility", "R2": "return", "P": "partners-only", "I": "internal-only"}
# The shared world's roadmaps each viewer may list: its public one, its partners-only one (partners and
# focal points), El Salvador's draft (El Salvador's focal points) and Honduras's internal one (no
# Guatemalan action in it: the secretariat only).
PUBLIC, PARTNERS, DRAFT, INTERNAL = "labour-public", "health-partners", "draft-sv", "internal-hn"


@pytest.mark.parametrize(
    ("actor", "visible", "world_visible"),
    [
        (None, {"R1", "R2"}, {PUBLIC}),
        ("staff_outsider", {"R1", "R2"}, {PUBLIC}),
        ("partner_user", {"R1", "R2", "P"}, {PUBLIC, PARTNERS}),
        ("focal_sv", {"R1", "R2", "P"}, {PUBLIC, PARTNERS, DRAFT}),
        ("focal_gt", {"R1", "R2", "P", "I"}, {PUBLIC, PARTNERS}),  # the internal roadmap has a Guatemalan action
        ("secretariat_user", {"R1", "R2", "P", "I"}, {PUBLIC, PARTNERS, DRAFT, INTERNAL}),
    ],
)
def test_roadmap_pages_are_scoped_to_the_viewer(request, client_for, region, actor, visible, world_visible):
    user = request.getfixturevalue(actor) if actor else None
    client = client_for(user)

    listed = {r.slug for r in client.get("/en/roadmaps/").context["page"].object_list}
    statuses = {key: client.get(f"/en/roadmaps/{slug}/").status_code for key, slug in ROADMAP_SLUGS.items()}
    action_statuses = {
        key: client.get(f"/en/actions/{region['actions'][code].pk}/").status_code
        for key, code in {"R1": "A1", "R2": "B1", "P": "P1", "I": "I1"}.items()
    }

    assert listed == {ROADMAP_SLUGS[k] for k in visible} | world_visible
    assert statuses == {k: 200 if k in visible else 404 for k in ROADMAP_SLUGS}
    assert action_statuses == {k: 200 if k in visible else 404 for k in ROADMAP_SLUGS}


def test_objective_and_country_profiles_hide_what_the_public_may_not_see(client, region):
    objective = client.get("/en/objectives/1/")
    country = client.get("/en/countries/sv/")

    # P1 (partners) and the world's internal C1 left out; the world's public A1 has objective 1 of its own.
    assert {(a.roadmap.slug, a.code) for a in objective.context["actions"]} == {
        ("labour-mobility", "A2"),
        ("labour-mobility", "A3"),
        ("labour-public", "A1"),
    }
    assert {r.slug for r in objective.context["roadmaps"]} == {"labour-mobility", "labour-public"}
    # The world's partners B1 and draft D1 of El Salvador left out.
    assert {(a.roadmap.slug, a.code) for a in country.context["actions"]} == {
        ("labour-mobility", "A1"),
        ("labour-mobility", "A2"),
        ("labour-public", "A1"),
    }
    assert {r.slug for r in country.context["roadmaps"]} == {"labour-mobility", "labour-public"}
    # Latest first: the world's approved public update (3 days ago), then the region's (35 and 90 days).
    assert [u.narrative for u in country.context["updates"]] == [
        "Inspectors trained in San Salvador.",
        "El Salvador closed the pilot.",
        "Older narrative.",
    ]


def test_country_profile_figures(client, region):
    response = client.get("/en/countries/GT/")

    # The region's A2 (100 %) and A3 (10 %, overdue), the world's public A1 (20 %, overdue; own objectives
    # 1 and 2) and A2 (100 %, completed; the roadmap's objective 3). I1 is internal.
    assert response.context["totals"]["actions"] == 4
    assert response.context["totals"]["overdue"] == 2
    assert response.context["totals"]["mean_percent"] == 57.5  # (100 + 10 + 20 + 100) / 4
    assert {r.objective.number: (r.actions, r.mean_percent) for r in response.context["objective_rows"]} == {
        1: (3, 43.3),  # (100 + 10 + 20) / 3
        2: (3, 43.3),
        3: (1, 100.0),
    }


def test_objective_profile_country_breakdown(client, region):
    response = client.get("/en/objectives/1/")

    assert {r["code"]: (r["actions"], r["mean_percent"]) for r in response.context["countries"]} == {
        "SV": (2, 60.0),  # the region's A2 (100 %) and the world's A1 (20 %)
        "GT": (3, 43.3),  # and the region's A3 (10 %)
    }


def test_unknown_objective_and_country_are_404(client, region):
    assert client.get("/en/objectives/24/").status_code == 404
    assert client.get("/en/countries/ZZ/").status_code == 404


def test_roadmap_filters(client, region):
    by_country = client.get("/en/roadmaps/", {"country": "HN"})
    by_objective = client.get("/en/roadmaps/", {"objective": 5})
    by_text = client.get("/en/roadmaps/", {"q": "movilidad"})
    by_status = client.get("/en/roadmaps/", {"status": "completed"})

    assert [r.slug for r in by_country.context["page"].object_list] == ["return"]
    assert [r.slug for r in by_objective.context["page"].object_list] == ["labour-mobility"]
    assert [r.slug for r in by_text.context["page"].object_list] == ["labour-mobility"]
    assert list(by_status.context["page"].object_list) == []


def test_roadmap_filter_bad_value_is_a_400_with_the_field_message(client, region):
    response = client.get("/en/roadmaps/", {"objective": 99})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["objective"]


def test_roadmap_timeline_shows_status_today_and_dependencies(client, region):
    a1, a3 = region["actions"]["A1"], region["actions"]["A3"]
    a3.depends_on.add(a1)

    response = client.get("/en/roadmaps/labour-mobility/")

    html = response.content.decode()
    assert 'class="timeline__today"' in html
    assert 'class="status-delayed"' in html
    assert 'Depends on: <a href="#action-a1">A1</a>' in " ".join(html.split())
    bars = {bar.action.code: bar for bar in response.context["timeline"]["bars"]}
    assert set(bars) == {"A1", "A2", "A3"}
    assert all(0 <= bar.x <= 100 and bar.x + bar.width <= 100.8 for bar in bars.values())


@pytest.mark.parametrize(
    ("path", "english", "spanish"),
    [
        ("/roadmaps/", "Clear filters", "Quitar los filtros"),
        ("/roadmaps/labour-mobility/", "Timeline", "Cronograma"),
        ("/objectives/1/", "Latest approved progress", "Últimos avances aprobados"),
        ("/countries/SV/", "Progress by GCM objective", "Avance por objetivo del PMM"),
        ("/review/", "Regional review report", "Informe de la revisión regional"),
        ("/collaboration/", "Collaboration finder", "Buscador de colaboraciones"),
    ],
)
def test_pages_in_english_and_spanish(client, region, path, english, spanish):
    assert english in client.get(f"/en{path}").content.decode()
    assert spanish in client.get(f"/es{path}").content.decode()


def test_action_page_shows_only_approved_updates(client, region):
    response = client.get(f"/en/actions/{region['actions']['A1'].pk}/")

    assert list(response.context["updates"]) == []
    assert "Submitted, not yet approved." not in response.content.decode()


def test_action_page_bilingual_content(client, region):
    action = ActionFactory(roadmap=region["roadmaps"]["R1"], code="Z9", title_en="Only English", title_es="")

    assert "Only English" in client.get(f"/es/actions/{action.pk}/").content.decode()
