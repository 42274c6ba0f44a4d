"""Search in both languages, the catalogue's filters, the blocks other pages include, the export."""

import csv
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from openpyxl import load_workbook

from practices import selectors
from practices.models import PracticeStatus
from tests.factories import ActionFactory, PrincipleFactory, RoadmapFactory, ThemeFactory

pytestmark = pytest.mark.django_db
ANONYMOUS = AnonymousUser()


@pytest.fixture
def returnees(el_salvador, objective_2, make_practice):
    """Written in Spanish, with an English title and a Spanish one."""
    return make_practice(
        countries=[el_salvador],
        objectives=[objective_2],
        status=PracticeStatus.PUBLISHED,
        title_en="One-stop shop for returned migrants",
        title_es="Ventanilla única para personas migrantes retornadas",
        summary_en="",
        summary_es="Atención integral en el aeropuerto.",
        what_was_done="Se capacitó a funcionarios de migración en atención psicosocial.",
        lessons_learned="La coordinación interinstitucional es clave.",
    )


@pytest.fixture
def recruitment(guatemala, objective_6, make_practice):
    """Written in English only."""
    return make_practice(
        countries=[guatemala],
        objectives=[objective_6],
        status=PracticeStatus.PUBLISHED,
        title_en="Fair recruitment agreements with employers",
        title_es="",
        summary_es="",
        summary_en="Bilateral labour agreements and recruiter licensing.",
        what_was_done="Licensing of recruitment agencies.",
        lessons_learned="Employers must be at the table.",
    )


def titles(queryset):
    return [practice.title_en for practice in queryset]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("ventanilla", ["One-stop shop for returned migrants"]),  # Spanish title
        ("capacitó", ["One-stop shop for returned migrants"]),  # Spanish narrative, with accent
        ("capacito", ["One-stop shop for returned migrants"]),  # ... and without
        ("INTERINSTITUCIONAL", ["One-stop shop for returned migrants"]),
        ("returned", ["One-stop shop for returned migrants"]),  # English title of the same practice
        ("recruitment", ["Fair recruitment agreements with employers"]),  # English practice
        ("licens", ["Fair recruitment agreements with employers"]),  # word prefix
        ("employers recruiter", ["Fair recruitment agreements with employers"]),
        ("ventanilla employers", []),  # every word must match
        ("migra", ["One-stop shop for returned migrants"]),
        ("!!! ' & | :*", ["Fair recruitment agreements with employers", "One-stop shop for returned migrants"]),
    ],
)
def test_search_in_both_languages(returnees, recruitment, words, expected):
    assert sorted(titles(selectors.catalogue(ANONYMOUS, q=words))) == sorted(expected)


def test_search_through_the_catalogue_page_in_spanish_and_english(client, returnees, recruitment):
    spanish = client.get("/es/practices/", {"q": "ventanilla"})
    english = client.get("/en/practices/", {"q": "recruitment"})
    assert [p.pk for p in spanish.context["page"]] == [returnees.pk]
    assert [p.pk for p in english.context["page"]] == [recruitment.pk]


def test_search_ranks_title_matches_first(el_salvador, make_practice):
    in_text = make_practice(
        countries=[el_salvador], status=PracticeStatus.PUBLISHED, title_en="A", what_was_done="reintegration"
    )
    in_title = make_practice(countries=[el_salvador], status=PracticeStatus.PUBLISHED, title_en="Reintegration")
    assert [p.pk for p in selectors.catalogue(ANONYMOUS, q="reintegration")] == [in_title.pk, in_text.pk]


def test_search_never_shows_unpublished(el_salvador, make_practice):
    make_practice(countries=[el_salvador], status=PracticeStatus.SUBMITTED, title_en="Secret ventanilla")
    assert titles(selectors.catalogue(ANONYMOUS, q="ventanilla")) == []


def test_filters_by_objective_principle_country_and_theme(
    client, returnees, recruitment, objective_6, guatemala, el_salvador
):
    principle = PrincipleFactory(letter="c", code="national-sovereignty")
    recruitment.principles.set([principle])
    theme = ThemeFactory(slug="labour-migration")
    recruitment.actions.set([ActionFactory(roadmap=RoadmapFactory(theme=theme), countries=[guatemala])])

    def found(**params):
        return [p.pk for p in client.get("/en/practices/", params).context["page"]]

    assert found(objective=6) == [recruitment.pk]
    assert found(objective=2) == [returnees.pk]
    assert found(principle="national-sovereignty") == [recruitment.pk]
    assert found(country="SV") == [returnees.pk]
    assert found(theme="labour-migration") == [recruitment.pk]
    assert found(theme="labour-migration", country="SV") == []


def test_practices_for_objective(returnees, recruitment, objective_2, el_salvador, make_practice):
    make_practice(countries=[el_salvador], objectives=[objective_2], title_en="Draft for objective 2")
    assert titles(selectors.practices_for_objective(objective_2, ANONYMOUS)) == [returnees.title_en]


def test_related_practices_come_from_the_action_then_share_objectives_then_similar_titles(
    el_salvador, objective_2, objective_6, make_practice, recruitment
):
    action = ActionFactory(
        countries=[el_salvador],
        objectives=[objective_2],
        title_en="One-stop shop for returned migrants at the border",
        title_es="Ventanilla única en la frontera",
    )
    came_from = make_practice(countries=[el_salvador], status=PracticeStatus.PUBLISHED, title_en="Came from it")
    came_from.actions.set([action])
    same_objective = make_practice(
        countries=[el_salvador], objectives=[objective_2], status=PracticeStatus.PUBLISHED, title_en="Same objective"
    )
    similar = make_practice(
        countries=[el_salvador],
        objectives=[objective_6],
        status=PracticeStatus.PUBLISHED,
        title_en="One-stop shop for returned migrants",
    )
    unpublished = make_practice(countries=[el_salvador], objectives=[objective_2], status=PracticeStatus.SUBMITTED)
    unpublished.actions.set([action])

    related = selectors.related_practices(action, ANONYMOUS)

    assert [p.pk for p in related] == [came_from.pk, same_objective.pk, similar.pk]
    assert [p.from_action for p in related] == [True, False, False]


def test_template_tags_render_the_blocks(returnees, objective_2):
    request = RequestFactory().get("/en/objectives/2/")
    request.user = ANONYMOUS
    action = ActionFactory(objectives=[objective_2])
    html = Template("{% load practices %}{% practices_for_objective objective %}{% related_practices action %}").render(
        Context({"request": request, "objective": objective_2, "action": action})
    )

    assert html.count(f'href="/en/practices/{returnees.pk}/"') == 2
    assert 'href="/en/practices/?objective=2"' in html


def test_export_xlsx_has_a_section_per_objective(client, returnees, recruitment, objective_2, make_practice):
    both = make_practice(
        countries=recruitment.countries.all(),
        objectives=[objective_2, *recruitment.objectives.all()],
        status=PracticeStatus.PUBLISHED,
        title_en='=HYPERLINK("http://evil")',
    )
    make_practice(countries=returnees.countries.all(), objectives=[objective_2], title_en="Draft, not exported")

    response = client.get("/en/practices/export.xlsx")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="good-practices.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    column_a = [row[0] for row in sheet.iter_rows(values_only=True) if row[0]]
    assert column_a == [
        "Good practices and lessons learned, by GCM objective",
        "Objective 2. Minimize the adverse drivers",
        "Title",
        '=HYPERLINK("http://evil")',
        "One-stop shop for returned migrants",
        "Objective 6. Fair and ethical recruitment",
        "Title",
        '=HYPERLINK("http://evil")',
        "Fair recruitment agreements with employers",
    ]
    formula_cells = [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formula_cells == []
    assert both.pk


def test_export_csv_in_spanish_follows_the_catalogue_filters(client, returnees, recruitment):
    response = client.get("/es/practices/export.csv", {"country": "SV"})

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Sección", "Título", "Países"]
    assert [row[:3] for row in rows[1:]] == [
        [
            "Objetivo 2. Minimizar los factores adversos",
            "Ventanilla única para personas migrantes retornadas",
            "El Salvador",
        ]
    ]
