"""Each API row is declared once (api.rows.Row): the columns a list, detail and CSV read and the
serializer the schema documents come from that one declaration, so they cannot drift apart."""

from rest_framework import serializers

from api.rows import Row, col, computed
from api.urls import router
from api.viewsets import ValuesReadOnlyViewSet


def test_every_read_view_set_documents_the_row_it_reads():
    view_sets = [view_set for _prefix, view_set, _basename in router.registry]
    rowed = [view_set for view_set in view_sets if issubclass(view_set, ValuesReadOnlyViewSet)]
    assert rowed
    for view_set in rowed:
        assert view_set.row is not None, view_set
        assert view_set.serializer_class is view_set.row.serializer, view_set
        assert list(view_set.row.serializer().fields) == view_set.row.keys(), view_set


def test_a_row_reads_its_columns_in_order_and_leaves_computed_ones_to_python():
    row = Row(
        "ExampleRow",
        "An example.",
        {
            "slug": col(serializers.CharField()),
            "forum_key": col(serializers.CharField(allow_null=True), "forum__key"),
            "label": col(serializers.CharField(), lambda view: f"label for {view}"),
            "progress": computed(serializers.IntegerField()),
        },
    )
    columns = row.columns("caller")
    assert list(columns) == ["slug", "forum_key", "label"]
    assert columns["slug"] == "slug"
    assert columns["forum_key"].name == "forum__key"
    assert columns["label"] == "label for caller"
    assert row.keys() == ["slug", "forum_key", "label", "progress"]
    assert row.serializer.__name__ == "ExampleRowSerializer"
    assert list(row.serializer().fields) == row.keys()
