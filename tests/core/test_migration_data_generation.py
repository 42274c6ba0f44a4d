"""Migration roadmaps/0012 moves the data-change counter to core with its rows, forward and back, and the
trigger goes on counting into whichever table the counter has at that point."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("roadmaps", "0011_progress_update_on_behalf")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def leaf_nodes():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def before_the_move(transactional_db):
    yield migrate(BEFORE)
    migrate(leaf_nodes())


def counter_rows(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT backend_pid, counter FROM {table} ORDER BY backend_pid")
        return cursor.fetchall()


def total(table):
    return sum(counter for _pid, counter in counter_rows(table))


def names_in_use():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT t.tgname, p.proname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE t.tgname LIKE %s",
            ["%data_change"],
        )
        return set(cursor.fetchall())


def rename_theme(apps, title):
    """One writing statement of its own (autocommit): one transaction, counted once."""
    apps.get_model("roadmaps", "Theme").objects.update(title_en=title)


def test_the_counter_keeps_its_rows_and_its_trigger_both_ways(before_the_move):
    apps = before_the_move
    Country = apps.get_model("countries", "Country")
    Theme, Roadmap = apps.get_model("roadmaps", "Theme"), apps.get_model("roadmaps", "Roadmap")
    Action = apps.get_model("roadmaps", "Action")
    sv = Country.objects.create(code="SV", alpha3="SLV", name_en="El Salvador", name_es="El Salvador")
    theme = Theme.objects.create(slug="t", title_en="T", title_es="T")
    roadmap = Roadmap.objects.create(
        slug="r", title_en="R", title_es="R", theme=theme, lead_country=sv, start_date="2024-01-01"
    )
    Action.objects.create(roadmap=roadmap, code="A1", title_en="A", title_es="A")
    # Rows of connections long closed, as a running site has them.
    DataGeneration = apps.get_model("roadmaps", "DataGeneration")
    DataGeneration.objects.bulk_create([DataGeneration(backend_pid=10_000_000 + n, counter=n) for n in (0, 7, 40)])
    rows = counter_rows("roadmaps_datageneration")
    assert total("roadmaps_datageneration") >= 4 + 47  # four writes, and the old rows
    assert names_in_use() == {("roadmaps_data_change", "roadmaps_count_data_change")}

    apps = migrate(leaf_nodes())
    assert counter_rows("core_datageneration") == rows
    assert names_in_use() == {("core_data_change", "core_count_data_change")}
    assert apps.get_model("core", "DataGeneration").objects.count() == len(rows)
    moved = total("core_datageneration")
    rename_theme(apps, "Counted in core")
    assert total("core_datageneration") == moved + 1
    assert Action.objects.count() == 1

    apps = migrate(BEFORE)
    assert total("roadmaps_datageneration") == moved + 1
    assert names_in_use() == {("roadmaps_data_change", "roadmaps_count_data_change")}
    rename_theme(apps, "Counted in roadmaps again")
    assert total("roadmaps_datageneration") == moved + 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('core_datageneration')")
        assert cursor.fetchone()[0] is None


def figures_total():
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(SUM(figures_counter), 0) FROM core_datageneration")
        return cursor.fetchone()[0]


def test_the_figures_count_starts_at_the_data_count_and_its_triggers_go_both_ways(transactional_db):
    before = [("core", "0001_initial"), ("roadmaps", "0013_approved_latest_index")]
    try:
        apps = migrate(before)
        rename_theme(apps, "Counted before")  # (the theme table is empty: still one counted statement)
        counted = total("core_datageneration")

        apps = migrate(leaf_nodes())
        assert total("core_datageneration") == counted and figures_total() == counted
        rename_theme(apps, "Counted by both")
        assert (total("core_datageneration"), figures_total()) == (counted + 1, counted + 1)

        apps = migrate(before)
        rename_theme(apps, "Counted once more")
        assert total("core_datageneration") == counted + 2
        assert names_in_use() == {("core_data_change", "core_count_data_change")}
    finally:
        migrate(leaf_nodes())
