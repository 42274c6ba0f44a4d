"""`?cursor=` on every list: a walk while rows are added and deleted skips and repeats nothing."""

import datetime
import random

import pytest
from django.utils import timezone

from api.changes import KINDS
from gcm.models import GuidingPrinciple, Objective
from practices.models import GoodPractice, PracticeStatus
from roadmaps.models import IndicatorValue, ReviewState
from tests.factories import (
    ActionFactory,
    CountryFactory,
    ForumFactory,
    ObjectiveFactory,
    OrganizationFactory,
    PrincipleFactory,
    ProgressUpdateFactory,
    RoadmapFactory,
    ThemeFactory,
)
from tests.indicator_factories import IndicatorFactory, ReportingCycleFactory

pytestmark = pytest.mark.django_db


def _creators(world, rng, author):
    """kind → make(n): a new row whose sort key falls anywhere in the list's default order."""
    letters = "ABCDEFGHIJKLMNOPRSUVWXYZ"
    day = datetime.date(2025, 1, 1)

    def word(n):
        return f"{rng.choice('abcdefghijklmnopqrstuvwxyz')}{rng.randrange(1000):03d}-{n}"

    def practice(n):
        return GoodPractice.objects.create(
            title_en=f"Practice {n}", title_es=f"Práctica {n}", status=PracticeStatus.DRAFT, author=author
        )

    indicator = IndicatorFactory(action=world.a_public_sv, code="W1")
    cycle = ReportingCycleFactory(key="walk-cycle")

    def indicator_value(n):
        update = ProgressUpdateFactory(
            action=world.a_public_sv,
            country=world.sv,
            review_state=ReviewState.APPROVED,
            reviewer=author,
            reviewed_at=timezone.now(),
            reporting_date=day + datetime.timedelta(days=rng.randrange(600)),
        )
        return IndicatorValue.objects.create(
            indicator=indicator, country=world.sv, cycle=cycle, update=update, value=rng.randrange(1000)
        )

    return {
        "cycles": lambda n: ReportingCycleFactory(key=word(n)),
        "indicators": lambda n: IndicatorFactory(action=world.a_public_sv, code=word(n)[:20]),
        "indicator-values": indicator_value,
        "countries": lambda n: CountryFactory(
            code=f"{letters[n % 24]}{letters[(n * 7 + 3) % 24]}".replace("SV", "SW").replace("GT", "GU"),
            alpha3=f"Q{letters[n // 24 % 24]}{letters[n % 24]}",
            name_en=f"Country {n}",
            name_es=f"País {n}",
        ),
        "objectives": lambda n: ObjectiveFactory(  # the 23 numbers only (a constraint): a free one
            number=rng.choice(sorted(set(range(1, 24)) - set(Objective.objects.values_list("number", flat=True))))
        ),
        "principles": lambda n: PrincipleFactory(  # letters a-j only (a constraint): a free one
            letter=rng.choice(
                sorted(set("abcdefghij") - set(GuidingPrinciple.objects.values_list("letter", flat=True)))
            ),
            code=f"p-{word(n)}",
        ),
        "organizations": lambda n: OrganizationFactory(key=word(n)),
        "forums": lambda n: ForumFactory(
            key=word(n), start_date=day + datetime.timedelta(days=rng.randrange(900)), end_date=None
        ),
        "themes": lambda n: ThemeFactory(slug=word(n)),
        "roadmaps": lambda n: RoadmapFactory(slug=word(n), theme=world.theme_labour, lead_country=world.sv),
        "actions": lambda n: ActionFactory(
            roadmap=rng.choice([world.public, world.partners, world.internal]), code=word(n)[:20], countries=[world.sv]
        ),
        "progress-updates": lambda n: ProgressUpdateFactory(
            action=world.a_public_sv, country=world.sv, reporting_date=day + datetime.timedelta(days=rng.randrange(600))
        ),
        "practices": practice,
    }


def _key(kind, row):
    return row[KINDS[kind].lookup_field]


WALKED = sorted(KINDS)


@pytest.mark.parametrize("kind", WALKED)
def test_cursor_walk_while_rows_come_and_go_skips_and_repeats_nothing(world, api, secretariat_user, kind):
    rng = random.Random(kind)
    make = _creators(world, rng, secretariat_user)[kind]
    extra = [make(n) for n in range(4)]  # enough rows for several pages
    client = api(secretariat_user)
    before = {_key(kind, row) for row in client.get(f"/api/v1/{kind}/", {"page_size": 200}).json()["results"]}
    deleted, seen, made = set(), [], 4
    url = f"/api/v1/{kind}/?cursor=&page_size=2"
    while url:
        body = client.get(url).json()
        seen.extend(_key(kind, row) for row in body["results"])
        url = body["next"]
        # Between two pages: a row added (anywhere in the order) and one of the added rows deleted.
        made += 1
        extra.append(make(made))
        gone = extra.pop(rng.randrange(len(extra) - 1))
        deleted.add(getattr(gone, KINDS[kind].lookup_field))
        gone.delete()
    throughout = before - deleted
    assert sorted(k for k in throughout if k not in seen) == []  # 0 skipped
    assert len(seen) == len(set(seen))  # 0 repeated


def test_cursor_of_another_order_or_nonsense_is_a_400_naming_it(world, api):
    client = api()
    next_url = client.get("/api/v1/actions/", {"cursor": "", "page_size": 1}).json()["next"]
    cursor = next_url.split("cursor=")[1].split("&")[0]
    for params in ({"cursor": cursor, "ordering": "due_date"}, {"cursor": "garbage"}, {"cursor": "WyJpZCIsWyJ4Il1d"}):
        response = client.get("/api/v1/actions/", params)
        assert response.status_code == 400, params
        assert list(response.json()["errors"]) == ["cursor"]


def test_cursor_pages_keep_the_list_shape_and_follow_the_order(world, api, secretariat_user):
    client = api(secretariat_user)
    first = client.get("/api/v1/actions/", {"cursor": "", "page_size": 2, "ordering": "-due_date"}).json()
    assert first["count"] == 5 and first["previous"] is None
    codes = [row["code"] for row in first["results"]]
    url = first["next"]
    while url:
        page = client.get(url).json()
        codes.extend(row["code"] for row in page["results"])
        url = page["next"]
    by_pages = client.get("/api/v1/actions/", {"page_size": 200, "ordering": "-due_date"}).json()["results"]
    assert codes == [row["code"] for row in by_pages]


@pytest.mark.parametrize("path", ["/api/v1/actions/", "/api/v1/countries/", "/api/v1/progress-updates/"])
def test_cursor_page_conforms_to_the_list_schema(world, api, secretariat_user, path):
    from drf_spectacular.generators import SchemaGenerator

    from tests.api.test_schema import _validator

    openapi = SchemaGenerator().get_schema(request=None, public=True)
    body = api(secretariat_user).get(path, {"cursor": "", "page_size": 2}).json()
    assert len(body["results"]) == 2 and body["next"]
    _validator(openapi, path).validate(body)


def test_cursor_page_query_count_does_not_grow_with_the_page_size(world, api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _n in range(12):
        ActionFactory(roadmap=world.public, countries=[world.sv])
    client = api()
    counts = []
    for size in (1, 12):
        with CaptureQueriesContext(connection) as queries:
            body = client.get("/api/v1/actions/", {"cursor": "", "page_size": size}).json()
        assert len(body["results"]) == size
        counts.append(len(queries))
    assert counts == [4, 4]  # the visible roadmaps' ids, the page's rows, the count, the throttle
