"""The review report and a country's contribution as Word documents, opened with python-docx."""

import io

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from practices.models import GoodPractice, PracticeStatus
from regional.documents import content
from roadmaps.models import ActionStatus, ReviewState
from tests.factories import (
    ActionFactory,
    CountryFactory,
    FocalPointFactory,
    ObjectiveFactory,
    ProgressUpdateFactory,
    RoadmapFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _open(response):
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    return docx.Document(io.BytesIO(response.content))


def _headings(document, level):
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def _objective_numbers(document, word="Objective"):
    return [
        int(text.split(":")[0].removeprefix(f"{word} ")) for text in _headings(document, 1) if text.startswith(word)
    ]


def _all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    parts += [p.text for p in document.sections[0].footer.paragraphs]
    return "\n".join(parts)


def _table_values(table):
    """The body rows of a summary table, with numbers read back as numbers ("—" is no value)."""

    def value(text):
        if text == "—":
            return None
        try:
            return int(text)
        except ValueError:
            try:
                return float(text)
            except ValueError:
                return text

    return [[value(cell.text) for cell in row.cells] for row in table.rows[1:]]


def _sheet_values(workbook, index):
    sheet = workbook.worksheets[index]
    return [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def _xlsx(client, query):
    response = client.get(f"/en/review/?{query}&format=xlsx")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _without_titles(rows, column):
    """The XLSX's objective titles are localised text; the document marks a fallback, so compare numbers."""
    return [[v for i, v in enumerate(row) if i != column] for row in rows]


def test_review_document_has_word_headings_one_per_objective_with_rows_in_order(client, world, region, objectives):
    document = _open(client.get("/en/review/?format=docx"))

    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == ["Regional review report"]
    headings = _headings(document, 1)
    assert headings[:4] == ["Contents", "Method", "Summary by GCM objective", "Summary by country"]
    # The anonymous rows: A2 and A3 (objectives 1, 2 by their roadmap), A1 (its own 5), B1 (23), and the
    # shared world's public A1 (its own 1, 2) and A2 (objective 3 by its roadmap); by code in an objective.
    titles = {**objectives, 3: world.obj3}
    assert headings[4:] == [f"Objective {n}: {titles[n].title_en}" for n in (1, 2, 3, 5, 23)]
    assert [text.split(" · ")[0] for text in _headings(document, 2)] == [
        *("A1", "A2", "A3"),
        *("A1", "A2", "A3"),
        "A2",
        "A1",
        "B1",
    ]


def test_review_document_has_contents_field_page_numbers_and_address(client, region):
    response = client.get("/en/review/?format=docx&countries=SV")
    document = _open(response)
    body = document.element.body.xml

    assert 'TOC \\o "1-1" \\h \\z \\u' in body
    footer = document.sections[0].footer
    footer_xml = footer._element.xml
    assert " PAGE " in footer_xml and " NUMPAGES " in footer_xml
    assert footer.paragraphs[0].text.startswith("Live data · Page ")
    assert footer.paragraphs[1].text == "http://testserver/en/review/?format=docx&countries=SV"
    assert response["Content-Disposition"] == (
        f'attachment; filename="gcm-regional-review-{timezone.localdate().isoformat()}.docx"'
    )
    assert "Countries: El Salvador." in _all_text(document)


@pytest.mark.parametrize(
    "query",
    ["", "countries=SV", "countries=SV&countries=GT", "date_from=2030-01-01", "objective=2", "countries=HN"],
)
def test_review_document_summary_figures_equal_the_xlsx(client, region, query):
    workbook = _xlsx(client, query)
    document = _open(client.get(f"/en/review/?{query}&format=docx"))

    by_objective, by_country = document.tables[0], document.tables[1]
    assert _without_titles(_table_values(by_objective), 1) == _without_titles(_sheet_values(workbook, 0), 1)
    assert _table_values(by_country) == _sheet_values(workbook, 1)
    # every objective, as the XLSX: the region's 5 and 23 and the world's 1, 2 and 3
    assert len(_table_values(by_objective)) == len(_sheet_values(workbook, 0)) == 5


def test_review_document_rows_are_the_xlsx_rows(client, region):
    workbook = _xlsx(client, "")
    document = _open(client.get("/en/review/?format=docx"))
    xlsx_rows = {(r[0], r[3], r[4], r[8]) for r in _sheet_values(workbook, 2)}  # objective, country, code, percent

    doc_rows = set()
    current_objective = current_action = None
    for block in document.iter_inner_content():
        if isinstance(block, docx.text.paragraph.Paragraph):
            if block.style.name == "Heading 1" and block.text.startswith("Objective "):
                current_objective = int(block.text.split(":")[0].removeprefix("Objective "))
            elif block.style.name == "Heading 2":
                current_action = block.text.split(" · ")[0]
        elif current_action is not None:
            for row in block.rows[1:]:
                cells = [c.text for c in row.cells]
                doc_rows.add((current_objective, cells[0], current_action, int(cells[2].removesuffix(" %"))))
    assert doc_rows == xlsx_rows
    assert len(doc_rows) == 8 + 5  # the world's A1 in SV and GT under 1 and 2, its A2 in GT under 3


def test_review_document_shows_latest_approved_narrative_and_challenges(client, region):
    text = _all_text(_open(client.get("/en/review/?format=docx")))

    assert "El Salvador closed the pilot." in text
    assert "Staff." in text
    assert "Guatemala finished its part." in text
    assert "Older narrative." not in text


def test_anonymous_document_holds_nothing_internal_nor_unapproved(client, client_for, region, secretariat_user):
    internal, partners = region["roadmaps"]["I"], region["roadmaps"]["P"]
    hidden = [
        internal.title_en,
        partners.title_en,
        region["actions"]["I1"].title_en,
        region["actions"]["P1"].title_en,
        "Submitted, not yet approved.",
    ]

    public = _all_text(_open(client.get("/en/review/?format=docx")))
    country = _all_text(_open(client.get("/en/countries/GT/report.docx")))
    secretariat = _all_text(_open(client_for(secretariat_user).get("/en/review/?format=docx")))

    assert [secret for secret in hidden if secret in public] == []
    assert [secret for secret in hidden if secret in country] == []
    assert "without signing in" in public
    # The control: the secretariat's document does hold the internal and partners rows (never the unapproved).
    assert [secret for secret in hidden if secret in secretariat] == hidden[:4]


def test_review_document_in_spanish_marks_english_only_text(client, region):
    roadmap = region["roadmaps"]["R2"]
    roadmap.title_en, roadmap.title_es = "Return and reintegration", ""
    roadmap.save()

    document = _open(client.get("/es/review/?format=docx"))
    text = _all_text(document)

    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == ["Informe de la revisión regional"]
    assert _objective_numbers(document, "Objetivo") == [1, 2, 3, 5, 23]
    assert "Hoja de ruta: Return and reintegration (en inglés)" in text
    assert "Movilidad laboral (en" not in text  # a Spanish title is never marked
    assert "Hoja de ruta: Movilidad laboral" in text
    assert document.sections[0].footer.paragraphs[0].text.startswith("Datos en vivo · Página ")


def test_review_document_lists_linked_practices_and_collaboration_opportunities(client, region, objectives):
    honduras = region["honduras"]
    a1 = region["actions"]["A1"]
    a1.title_en, a1.title_es = "One-stop information centre for labour migrants", "Ventanilla única para migrantes"
    a1.save()
    ActionFactory(
        roadmap=region["roadmaps"]["R2"],
        code="B2",
        title_en="One-stop information centres for labour migrants",
        title_es="Ventanillas únicas para migrantes",
        countries=[honduras],
        objectives=[objectives[5]],
    )
    practice = _practice("Border desk lessons", actions=[a1], country=region["el_salvador"])
    _practice("Draft desk idea", actions=[a1], country=region["el_salvador"], status=PracticeStatus.DRAFT)

    text = _all_text(_open(client.get("/en/review/?format=docx")))

    assert f"Good practices from this action: {practice.title_en}" in text
    assert "Draft desk idea" not in text
    assert "Collaboration opportunity: B2 · One-stop information centres for labour migrants (Honduras)" in text


def test_review_document_says_when_there_are_too_many_actions_to_look_for_opportunities(client, region, monkeypatch):
    # The anonymous reader sees 6 actions: the region's A1, A2, A3, B1 and the world's public A1, A2.
    monkeypatch.setattr(content, "COLLABORATION_MAX_ACTIONS", 3)

    text = _all_text(_open(client.get("/en/review/?format=docx")))

    assert (
        "Collaboration opportunities are not listed: the finder compares every pair of the 6 actions you may see,"
        " too many for a document (at most 3). The collaboration page lists them."
    ) in text
    assert "Collaboration opportunity:" not in text


def test_review_document_bad_filter_is_400_with_the_field(client, region):
    response = client.get("/en/review/?format=docx&date_from=not-a-date")

    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()


def test_unknown_format_names_docx(client, region):
    response = client.get("/en/review/?format=pdf")

    assert response.status_code == 400
    assert response.content.decode() == "Unknown format: choose xlsx, csv or docx."


def _practice(title, *, actions, country, status=PracticeStatus.PUBLISHED, **fields):
    published = status == PracticeStatus.PUBLISHED
    practice = GoodPractice.objects.create(
        title_en=title,
        title_es=f"{title} (es)",
        summary_en=f"Summary of {title}.",
        what_was_done="Se abrió una ventanilla.",
        results="1 200 personas atendidas.",
        lessons_learned="Coordinar antes.",
        status=status,
        author=UserFactory(username=f"author-{title[:12]}"),
        reviewer=UserFactory(username="reviewer-docs") if published else None,
        reviewed_at=timezone.now() if published else None,
        published_at=timezone.now() if published else None,
        **fields,
    )
    practice.countries.set([country])
    practice.actions.set(actions)
    return practice


# --- a country's contribution ------------------------------------------------------------------


def test_country_document_has_the_country_rows_and_figures_equal_to_the_xlsx(client, region):
    workbook = _xlsx(client, "countries=SV")
    document = _open(client.get("/en/countries/SV/report.docx"))

    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == [
        "El Salvador: contribution to the GCM roadmaps"
    ]
    # The world's public A1 and the region's A2 (1, 2), the region's A1 (5); P1 and the world's B1 are
    # partners-only, the world's D1 a draft's.
    assert _objective_numbers(document) == [1, 2, 5]
    assert [t.split(" · ")[0] for t in _headings(document, 2)] == ["A1", "A2", "A1", "A2", "A1"]
    assert _without_titles(_table_values(document.tables[0]), 1) == _without_titles(_sheet_values(workbook, 0), 1)
    assert _table_values(document.tables[1]) == _sheet_values(workbook, 1)
    text = _all_text(document)
    assert "Responsible countries: El Salvador, Guatemala" in text  # the joint action's other country, named
    assert "Guatemala finished its part." not in text  # but only El Salvador's rows


def test_country_document_contacts_names_for_signed_in_readers_positions_for_the_public(
    client, client_for, region, partner_user
):
    FocalPointFactory(
        user=UserFactory(username="ana", first_name="Ana", last_name="Pérez"),
        country=region["el_salvador"],
        role_title="Directorate of Migration",
    )
    FocalPointFactory(user=UserFactory(username="gone"), country=region["el_salvador"], is_active=False)

    public = _all_text(_open(client.get("/en/countries/SV/report.docx")))
    partner = _all_text(_open(client_for(partner_user).get("/en/countries/SV/report.docx")))

    assert "Directorate of Migration" in public
    assert "Ana Pérez" not in public
    assert "Ana Pérez · Directorate of Migration" in partner
    assert "gone" not in partner


def test_country_document_holds_its_published_practices_in_full(client, region):
    _practice(
        "Border desk lessons",
        actions=[region["actions"]["A1"]],
        country=region["el_salvador"],
        replication_needs="Two trained officers.",
        links="https://example.org/desk",
        contact_role="Directorate of Migration",
    )
    _practice("Draft desk idea", actions=[], country=region["el_salvador"], status=PracticeStatus.DRAFT)
    _practice("Guatemalan practice", actions=[], country=region["guatemala"])

    document = _open(client.get("/en/countries/SV/report.docx"))
    text = _all_text(document)

    assert _headings(document, 1)[-1] == "Good practices"
    assert "Border desk lessons" in _headings(document, 2)
    for shown in (
        "Summary of Border desk lessons.",
        "What was done: Se abrió una ventanilla.",
        "Results: 1 200 personas atendidas.",
        "Lessons learned: Coordinar antes.",
        "What others need to replicate it: Two trained officers.",
        "Links: https://example.org/desk",
        "The following is written in Spanish.",
    ):
        assert shown in text
    assert "Draft desk idea" not in text
    assert "Guatemalan practice" not in text


def test_country_document_ignores_other_countries_in_the_query(client, region):
    document = _open(client.get("/en/countries/SV/report.docx?countries=GT"))

    assert [row[0] for row in _table_values(document.tables[1])] == ["SV"]


def test_country_document_unknown_country_is_404_and_bad_filter_400(client, region):
    assert client.get("/en/countries/ZZ/report.docx").status_code == 404
    response = client.get("/en/countries/SV/report.docx?date_to=31-31-2020")
    assert response.status_code == 400
    assert response.content.decode() == "date_to: Enter a valid date."


def test_links_to_the_documents_on_the_review_and_country_pages(client, region):
    review = client.get("/en/review/?countries=SV").content.decode()
    country = client.get("/en/countries/SV/").content.decode()

    assert 'href="?countries=SV&amp;format=docx"' in review
    assert 'href="/en/countries/SV/report.docx"' in country


# --- queries ------------------------------------------------------------------------------------


def _world():
    objectives = [ObjectiveFactory(number=k) for k in (1, 2, 3)]
    countries = [CountryFactory(code=code) for code in ("SV", "GT", "HN", "CR")]
    roadmap = RoadmapFactory(slug="roadmap-docs", objectives=objectives[:2], countries=countries)
    FocalPointFactory(user=UserFactory(username="focal-docs"), country=countries[0])
    return {"objectives": objectives, "countries": countries, "roadmap": roadmap}


def _add_actions(world, start, n):
    """`n` actions of two countries each, with an approved update, an indicator and a linked practice."""
    objectives, countries = world["objectives"], world["countries"]
    reviewer = UserFactory(username="reviewer-docs-q", is_staff=True)
    for i in range(start, start + n):
        action = ActionFactory(
            roadmap=world["roadmap"],
            code=f"D{i}",
            title_en=f"Labour migration pilot number {i}",
            title_es=f"Piloto de migración laboral número {i}",
            countries=[countries[i % 4], countries[(i + 1) % 4]],
            objectives=[objectives[i % 3]] if i % 2 else [],
            status=ActionStatus.ON_TRACK,
            percent_complete=i % 100,
            indicator="Offices open",
            target="4",
        )
        ProgressUpdateFactory(
            action=action,
            country=countries[i % 4],
            review_state=ReviewState.APPROVED,
            reviewer=reviewer,
            reviewed_at=action.created_at,
        )
        practice = _practice(f"Practice {i}", actions=[action], country=countries[0])
        practice.objectives.set([objectives[0]])


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/en/review/?format=docx", "/en/countries/SV/report.docx"])
def test_document_queries_do_not_grow_with_rows(client, url):
    world = _world()
    _add_actions(world, 0, 3)  # D0 and D2: a collaboration pair (no common country, similar titles)
    few = _queries(client, url)

    _add_actions(world, 3, 14)
    many = _queries(client, url)

    assert few == many
    assert few <= 25
