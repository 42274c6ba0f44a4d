"""Cached figures (core.figures_cache): served from memory while the data stays the same, computed
afresh as soon as a committed change touches it, and never shared between viewers who see different data.

These tests commit for real (transaction=True): the data generation is counted by a PostgreSQL trigger
at commit. The test settings switch the cache off everywhere else; here it is a real LocMemCache.
"""

import re

import pytest
from django.db import connection, transaction
from django.db.models import Sum
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from procrastinate.contrib.django import app

from core import figures_cache
from core.models import DataGeneration
from core.queue import REMINDERS_QUEUE
from core.tasks import compact_data_generation
from gcm.models import Objective
from roadmaps import services
from roadmaps.models import Action, CountryProgress, Visibility
from tests.factories import ActionFactory, ObjectiveFactory, ProgressUpdateFactory, RoadmapFactory
from tests.queue import forget_jobs, run_queue

pytestmark = pytest.mark.django_db(transaction=True)

LOCMEM = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "figures-test-default"},
    "figures": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "figures-test"},
}


@pytest.fixture(autouse=True)
def real_cache():
    with override_settings(CACHES=LOCMEM):
        from django.core.cache import caches

        caches["figures"].clear()
        yield
        caches["figures"].clear()


@pytest.fixture
def region(el_salvador):
    objective = ObjectiveFactory(number=7)
    public = RoadmapFactory(slug="public-roadmap", objectives=[objective], countries=[el_salvador])
    private = RoadmapFactory(slug="secret-roadmap", objectives=[objective], visibility=Visibility.INTERNAL)
    action = ActionFactory(roadmap=public, code="P1", countries=[el_salvador], objectives=[objective])
    hidden = ActionFactory(roadmap=private, code="S1", countries=[el_salvador], objectives=[objective])
    return action, hidden


def figures_part(response) -> str:
    """The dashboard from its figures to its lists (the cached fragment; no per-request token in it)."""
    html = response.content.decode()
    return html[html.index('id="totals-heading"') : html.index('class="page-links"')]


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response, len(queries)


def objective_row(client, number=7):
    rows = client.get("/api/v1/stats/objectives/").json()
    return next(row for row in rows if row["number"] == number)


def test_each_writing_transaction_counts_once_and_a_rolled_back_one_not_at_all(region):
    before = figures_cache.data_generation()
    with transaction.atomic():
        Action.objects.filter(code="P1").update(percent_complete=10)
        Action.objects.filter(code="S1").update(percent_complete=20)
    assert figures_cache.data_generation() == before + 1
    with pytest.raises(RuntimeError), transaction.atomic():
        Action.objects.filter(code="P1").update(percent_complete=30)
        raise RuntimeError("roll back")
    assert figures_cache.data_generation() == before + 1


def test_every_data_table_carries_the_trigger():
    """A new model in countries, gcm or roadmaps needs the trigger too (see migration roadmaps/0012)."""
    from django.apps import apps

    tables = {
        model._meta.db_table
        for label in ("countries", "gcm", "roadmaps")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if "historical" not in model._meta.db_table
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s",
            ["core_data_change"],
        )
        with_trigger = {name for (name,) in cursor.fetchall()}
    assert tables - with_trigger == set()


def test_stats_are_served_from_the_cache_until_an_approval_changes_them(region, secretariat_user):
    action, _hidden = region
    anonymous = Client()
    first, cold = queries_of(anonymous, "/api/v1/stats/objectives/")
    again, warm = queries_of(anonymous, "/api/v1/stats/objectives/")
    assert again.json() == first.json()
    assert warm < cold  # the aggregate query is not run again
    assert objective_row(anonymous)["mean_percent"] == 0.0

    update = ProgressUpdateFactory(action=action, percent_complete=60)
    services.progress_update_approve(update=update, reviewer=secretariat_user)

    assert objective_row(anonymous)["mean_percent"] == 60.0


def test_a_viewer_never_gets_figures_cached_for_another(region, secretariat_user):
    secretariat = Client()
    secretariat.force_login(secretariat_user)
    assert objective_row(secretariat)["actions"] == 2  # computed and cached for the secretariat first
    assert objective_row(Client())["actions"] == 1  # the internal roadmap's action stays hidden


def test_dashboard_is_rendered_once_per_change_and_shows_the_change(region, secretariat_user):
    action, _hidden = region
    anonymous = Client()
    first, cold = queries_of(anonymous, "/en/")
    second, warm = queries_of(anonymous, "/en/")
    assert warm < cold
    assert figures_part(second) == figures_part(first)
    assert 'data-objective="7"' in figures_part(first)

    ProgressUpdateFactory(action=action, percent_complete=80)  # a write: the next page is computed afresh
    update = action.progress_updates.get()
    services.progress_update_approve(update=update, reviewer=secretariat_user)

    after = figures_part(anonymous.get("/en/"))
    assert '<td class="num" data-field="mean" data-label="Mean percent">80 %</td>' in after
    assert '<td class="num" data-field="mean" data-label="Mean percent">80 %</td>' not in figures_part(first)


def test_api_list_page_is_cached_per_viewer_and_url_and_refreshed_by_a_change(region, secretariat_user):
    action, _hidden = region
    anonymous = Client()
    first, cold = queries_of(anonymous, "/api/v1/actions/?country=SV")
    again, warm = queries_of(anonymous, "/api/v1/actions/?country=SV")
    assert again.content == first.content and warm < cold
    assert [row["code"] for row in first.json()["results"]] == ["P1"]

    secretariat = Client()
    secretariat.force_login(secretariat_user)
    assert sorted(r["code"] for r in secretariat.get("/api/v1/actions/?country=SV").json()["results"]) == ["P1", "S1"]
    assert [r["code"] for r in anonymous.get("/api/v1/actions/?country=SV").json()["results"]] == ["P1"]

    Action.objects.filter(pk=action.pk).update(title_en="Renamed action")
    assert anonymous.get("/api/v1/actions/?country=SV").json()["results"][0]["title_en"] == "Renamed action"


def test_an_api_list_hit_builds_no_filter_and_a_bad_filter_is_never_cached(region, partner_user, secretariat_user):
    """Issue 22: a cached list page is found by what the caller sees and the URL, before any filter is
    built; anonymous callers share it, a signed-in caller has their own, and a 400 stays a 400."""
    url = "/api/v1/actions/?country=SV&objective=7"
    first = Client().get(url)
    with CaptureQueriesContext(connection) as queries:
        again = Client().get(url)  # another anonymous caller
    assert again.content == first.content
    sql = [q["sql"] for q in queries.captured_queries if "throttlecounter" not in q["sql"]]
    assert len(sql) == 2, sql  # the visible roadmaps (the key) and the data generation
    assert not any("countries_country" in q or "gcm_objective" in q for q in sql)  # no filter checked

    secretariat = Client()
    secretariat.force_login(secretariat_user)
    assert sorted(r["code"] for r in secretariat.get(url).json()["results"]) == ["P1", "S1"]
    partner = Client()
    partner.force_login(partner_user)
    assert [r["code"] for r in partner.get(url).json()["results"]] == ["P1"]

    for _ in range(2):
        bad = Client().get("/api/v1/actions/?country=ZZ")
        assert bad.status_code == 400 and "country" in bad.json()["errors"]


def test_spanish_and_english_are_cached_apart(region):
    Action.objects.filter(code="P1").update(title_en="English title", title_es="Título en español")
    anonymous = Client()
    assert anonymous.get("/api/v1/actions/").json()["results"][0]["title"] == "English title"
    spanish = anonymous.get("/api/v1/actions/", HTTP_ACCEPT_LANGUAGE="es").json()
    assert spanish["results"][0]["title"] == "Título en español"


def grouping_queries(client, url, **headers) -> tuple[str, list[str]]:
    """The page and the figures' grouping statements (`chosen AS MATERIALIZED`) it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:500]
    grouped = [q["sql"] for q in queries.captured_queries if "chosen AS MATERIALIZED" in q["sql"]]
    return response.content.decode(), grouped


@pytest.mark.parametrize("path", ["", "countries/SV/", "objectives/7/"])
def test_english_and_spanish_pages_share_their_figures_and_each_shows_its_own_names(path, region):
    Objective.objects.filter(number=7).update(short_title_en="Consular help", short_title_es="Ayuda consular")
    anonymous = Client()
    english, computed = grouping_queries(anonymous, f"/en/{path}")
    assert computed, "the first page computes the figures"
    spanish, recomputed = grouping_queries(anonymous, f"/es/{path}")
    assert recomputed == [], "the other language's page reads the same figures"
    shown = 'data-figure="actions">1<'
    assert shown in english and shown in spanish
    if path == "":  # the dashboard's chart names each objective by its short title
        assert "Ayuda consular" in spanish and "Consular help" not in spanish and "Consular help" in english

    with transaction.atomic():  # the action's overall state and its country's own (the country page's)
        Action.objects.filter(code="P1").update(status="completed", percent_complete=100)
        CountryProgress.objects.filter(action__code="P1").update(status="completed", percent_complete=100)
    after, _grouped = grouping_queries(anonymous, f"/es/{path}")
    assert 'data-figure="completed">1<' in after


def test_an_objective_page_reads_the_grouping_the_dashboard_computed_and_counts_nothing_itself(region):
    """Issue 22: after the dashboard, an objective page's totals, country rows and pager are the shared
    per-objective grouping's: no grouping and no COUNT of its own, and its figures are the same."""
    anonymous = Client()
    _dashboard, computed = grouping_queries(anonymous, "/en/")
    assert computed
    with CaptureQueriesContext(connection) as queries:
        page = anonymous.get("/en/objectives/7/")
    sql = [q["sql"] for q in queries.captured_queries]
    assert [q for q in sql if "chosen AS MATERIALIZED" in q] == []
    assert [q for q in sql if q.lstrip().upper().startswith("SELECT COUNT(")] == []
    html = page.content.decode()
    assert 'data-figure="actions">1<' in html and "P1" in html and "S1 ·" not in html


def test_stats_in_either_language_share_their_figures_and_name_objectives_in_it(region):
    Objective.objects.filter(number=7).update(short_title_en="Consular help", short_title_es="Ayuda consular")
    anonymous = Client()
    assert objective_row(anonymous)["short_title"] == "Consular help"
    with CaptureQueriesContext(connection) as queries:
        rows = anonymous.get("/api/v1/stats/objectives/", HTTP_ACCEPT_LANGUAGE="es").json()
    assert not [q for q in queries.captured_queries if "chosen AS MATERIALIZED" in q["sql"]]
    assert next(row for row in rows if row["number"] == 7)["short_title"] == "Ayuda consular"


def test_review_report_is_cached_per_viewer_and_shows_an_approval_at_once(region, secretariat_user):
    action, _hidden = region
    anonymous = Client()
    first, cold = queries_of(anonymous, "/en/review/")
    again, warm = queries_of(anonymous, "/en/review/")
    assert warm < cold and "S1 ·" not in again.content.decode()
    secretariat = Client()
    secretariat.force_login(secretariat_user)
    assert "S1 ·" in secretariat.get("/en/review/").content.decode()
    assert "S1 ·" not in anonymous.get("/en/review/").content.decode()

    update = ProgressUpdateFactory(action=action, percent_complete=50, narrative="Inspectors trained in May.")
    services.progress_update_approve(update=update, reviewer=secretariat_user)
    assert "Inspectors trained in May." in anonymous.get("/en/review/").content.decode()


def test_every_page_of_a_report_reuses_its_filters_form_and_each_choice_shows_its_own(region, guatemala):
    """Issue 22: the review's filters are rendered once per choice of filters and language."""
    anonymous = Client()

    def filters(url):
        response = anonymous.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        start = html.index('<form class="card filters')
        form = html[start : html.index("</form>", start)]
        return form, "regional/_review_filters.html" in [t.name for t in response.templates]

    first, rendered = filters("/en/review/?countries=SV")
    assert rendered and re.search(r'value="SV"[^>]* checked', first)
    assert not re.search(r'value="GT"[^>]* checked', first)
    second, rendered_again = filters("/en/review/?countries=SV&page=2")
    assert second == first and not rendered_again
    other, rendered_other = filters("/en/review/?countries=GT")
    assert rendered_other and re.search(r'value="GT"[^>]* checked', other)
    spanish, rendered_spanish = filters("/es/review/?countries=SV&page=2")
    assert rendered_spanish and "Países" in spanish


@pytest.mark.parametrize("url", ["/en/countries/SV/", "/en/objectives/7/", "/en/roadmaps/", "/es/roadmaps/?q=roadmap"])
def test_country_objective_and_roadmap_pages_are_cached_per_viewer_and_show_a_change_at_once(
    url, region, secretariat_user
):
    action, hidden = region
    anonymous = Client()
    first, cold = queries_of(anonymous, url)
    again, warm = queries_of(anonymous, url)
    assert warm < cold and warm <= 3, "a repeated page is its body from the cache (country, generation, practices)"
    main = [r.content.decode().split('<main id="main"')[1] for r in (first, again)]
    assert main[0] == main[1] and "secret-roadmap" not in main[1]
    secretariat = Client()
    secretariat.force_login(secretariat_user)
    assert "secret-roadmap" in secretariat.get(url).content.decode()
    assert "secret-roadmap" not in anonymous.get(url).content.decode()

    Action.objects.filter(pk=action.pk).update(percent_complete=40)
    RoadmapFactory(
        slug="new-roadmap-of-sv",
        title_en="New roadmap",
        objectives=[action.roadmap.objectives.get()],
        countries=[action.roadmap.countries.get()],
    )
    assert "new-roadmap-of-sv" in anonymous.get(url).content.decode()


def counts():
    return figures_cache.data_generation(), figures_cache.figures_generation()


def submit(action, country, author, narrative="Inspectors trained in May."):
    return services.progress_update_submit(
        action=action, country=country, author=author, status="on_track", percent_complete=50, narrative=narrative
    )


def test_a_report_awaiting_review_moves_the_data_count_only_and_its_approval_both(
    region, el_salvador, focal_sv, secretariat_user
):
    action, _hidden = region
    data, figures = counts()
    update = submit(action, el_salvador, focal_sv)  # an update row and the action's version and updated_at
    assert counts() == (data + 1, figures)
    services.progress_update_return(update=update, reviewer=secretariat_user, comment="Add the dates.")
    assert counts() == (data + 2, figures)

    services.progress_update_approve(update=submit(action, el_salvador, focal_sv), reviewer=secretariat_user)
    assert counts()[1] == figures + 1
    data, figures = counts()
    Action.objects.filter(pk=action.pk).update(title_en="Another title")  # any other column of an action
    assert counts() == (data + 1, figures + 1)
    ActionFactory(roadmap=action.roadmap, code="P2")  # any other table
    assert counts() == (data + 2, figures + 2)


def test_pages_stay_cached_across_reports_awaiting_review_and_the_api_lists_do_not(
    region, el_salvador, focal_sv, secretariat_user
):
    action, _hidden = region
    anonymous = Client()
    pages = ["/en/countries/SV/", "/en/objectives/7/", "/en/", "/en/review/", "/api/v1/stats/objectives/"]
    for url in pages:
        queries_of(anonymous, url)
    warm = {url: queries_of(anonymous, url)[1] for url in pages}
    api_cold = queries_of(anonymous, "/api/v1/actions/?country=SV")[1]
    api_warm = queries_of(anonymous, "/api/v1/actions/?country=SV")[1]

    update = submit(action, el_salvador, focal_sv)
    assert {url: queries_of(anonymous, url)[1] for url in pages} == warm, "still answered from the cache"
    listed, again = queries_of(anonymous, "/api/v1/actions/?country=SV")
    assert again == api_cold > api_warm, "the list shows the action's new version and updated_at"
    assert listed.json()["results"][0]["updated_at"].startswith(str(Action.objects.get(pk=action.pk).updated_at.date()))

    services.progress_update_approve(update=update, reviewer=secretariat_user)
    assert "Inspectors trained in May." in anonymous.get("/en/countries/SV/").content.decode()
    assert "Inspectors trained in May." in anonymous.get("/en/review/").content.decode()


def test_a_page_too_large_to_keep_is_computed_each_time(db):
    calls = []

    def compute(size):
        calls.append(size)
        return "x" * size

    for _ in range(2):
        figures_cache.get_or_compute("test.small", ("small",), lambda: compute(1000))
        figures_cache.get_or_compute("test.large", ("large",), lambda: compute(figures_cache.MAX_CACHED_TEXT + 1))
    assert calls.count(1000) == 1
    assert calls.count(figures_cache.MAX_CACHED_TEXT + 1) == 2


def test_reading_the_count_is_one_query_and_never_compacts(region):
    DataGeneration.objects.bulk_create([DataGeneration(backend_pid=10_000_000 + n, counter=n) for n in range(300)])
    with CaptureQueriesContext(connection) as queries:
        generation = figures_cache.data_generation()
    assert len(queries) == 1
    assert generation == DataGeneration.objects.aggregate(total=Sum("counter"))["total"]
    assert DataGeneration.objects.filter(backend_pid__gte=10_000_000).count() == 300  # left for the task


def test_the_periodic_task_folds_rows_of_closed_connections_and_the_count_stays_the_same(region):
    forget_jobs()
    gone = [DataGeneration(backend_pid=10_000_000 + n, counter=n) for n in range(205)]
    DataGeneration.objects.bulk_create(gone)
    before = figures_cache.data_generation()
    periodic = app.periodic_registry.periodic_tasks.values()
    assert any(task.task.name == "core.compact_data_generation" for task in periodic)

    compact_data_generation.defer(timestamp=0)
    run_queue(queues=[REMINDERS_QUEUE])

    assert DataGeneration.objects.filter(backend_pid__gte=10_000_000).count() == 0
    assert figures_cache.data_generation() == before
    assert figures_cache.compact() == 0  # nothing left to fold
    with transaction.atomic():  # a live connection's row stays its own and keeps counting
        Action.objects.filter(code="P1").update(percent_complete=5)
    assert figures_cache.data_generation() == before + 1
    forget_jobs()


def test_the_pages_of_a_report_share_its_indicator_rows_until_a_value_changes(region):
    """Issue 22: a country's report computes its indicators once for its pages, in each language."""
    from tests.indicator_factories import IndicatorFactory

    action, _hidden = region
    indicator = IndicatorFactory(action=action, name_en="Officials trained", name_es="Funcionarios capacitados")
    anonymous = Client()

    def page(url):
        with CaptureQueriesContext(connection) as queries:
            response = anonymous.get(url)
        assert response.status_code == 200
        read = any('"roadmaps_indicator"' in q["sql"] for q in queries.captured_queries)
        return response.content.decode(), read

    first, read = page("/en/review/?countries=SV")
    assert read and "Officials trained" in first and "500" in first
    second, read_again = page("/en/review/?countries=SV&page=2")
    assert not read_again and "Officials trained" in second
    spanish, _read = page("/es/review/?countries=SV&page=2")
    assert "Funcionarios capacitados" in spanish
    indicator.target_value = 750
    indicator.save()
    changed, read_changed = page("/en/review/?countries=SV&page=2")
    assert read_changed and "750" in changed
