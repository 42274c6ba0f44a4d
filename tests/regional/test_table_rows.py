"""The long tables rendered in Python (`regional.table_rows`, issue 22): what people read in them —
the link to each action and roadmap, each country's state, overdue, the latest approved narrative —
in either language, and every value escaped (a title is text, never markup)."""

import datetime

import pytest
from django.utils import timezone

from roadmaps import services
from roadmaps.models import ActionStatus, CountryProgress
from tests.factories import ActionFactory, ObjectiveFactory, ProgressUpdateFactory, RoadmapFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def marked_up(el_salvador, guatemala, secretariat_user):
    objective = ObjectiveFactory(number=4)
    roadmap = RoadmapFactory(slug="rows", title_en="Roads & <i>bridges</i>", objectives=[objective])
    action = ActionFactory(
        roadmap=roadmap,
        code="R1",
        title_en='<script>alert("x")</script>',
        title_es="Registro <b>civil</b>",
        countries=[el_salvador, guatemala],
        due_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    behind = CountryProgress.objects.filter(action=action, country=guatemala)
    behind.update(status=ActionStatus.AT_RISK, percent_complete=15)
    update = ProgressUpdateFactory(
        action=action,
        country=el_salvador,
        status=ActionStatus.DELAYED,
        percent_complete=30,
        narrative="First line <em>\nsecond line",
        challenges="Funds & staff",
    )
    services.progress_update_approve(update=update, reviewer=secretariat_user)
    return action


def test_an_action_row_links_escapes_and_shows_each_countrys_state(client, marked_up):
    html = client.get("/en/countries/SV/").content.decode()
    assert f'<a href="/en/actions/{marked_up.pk}/">R1 · &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</a>' in html
    assert '<a href="/en/roadmaps/rows/">Roads &amp; &lt;i&gt;bridges&lt;/i&gt;</a>' in html
    assert '<script>alert("x")</script>' not in html
    assert '<a href="/en/countries/GT/">' in html
    assert 'data-country-state="GT">At risk · 15 %</span>' in html
    assert 'data-country-state="SV">Delayed · 30 %</span>' in html
    assert '<span class="badge badge--overdue">Overdue</span>' in html
    assert 'data-label="Overall percent"' in html

    spanish = client.get("/es/countries/SV/").content.decode()
    assert f'<a href="/es/actions/{marked_up.pk}/">R1 · Registro &lt;b&gt;civil&lt;/b&gt;</a>' in spanish
    assert 'data-country-state="GT">En riesgo · 15 %</span>' in spanish
    assert 'data-label="Porcentaje en conjunto"' in spanish and 'data-label="Overall percent"' not in spanish


def test_a_review_row_shows_the_narrative_line_by_line_and_escaped(client, marked_up):
    html = client.get("/en/review/?countries=SV").content.decode()
    row = html[html.index('data-row="4|SV|R1|30"') :]
    row = row[: row.index("</tr>")]
    assert f'href="/en/actions/{marked_up.pk}/">R1 · &lt;script&gt;' in row
    assert "First line &lt;em&gt;<br>second line" in row
    assert "Funds &amp; staff" in row
    assert '<span class="badge badge--delayed">Delayed</span> <span class="badge badge--overdue">Overdue</span>' in row


def test_a_roadmap_row_links_its_objectives_and_escapes_its_title(client, marked_up):
    html = client.get("/en/roadmaps/").content.decode()
    row = html[html.index('<a href="/en/roadmaps/rows/">') :]
    row = row[: row.index("</tr>")]
    assert "Roads &amp; &lt;i&gt;bridges&lt;/i&gt;" in row
    assert '<a href="/en/objectives/4/" title=' in row and ">4</a>" in row
    assert '<td class="num" data-label="Actions">1</td>' in row
    assert '<td class="num" data-label="Mean percent">' in row
    spanish = client.get("/es/roadmaps/").content.decode()
    assert '<a href="/es/roadmaps/rows/">' in spanish and 'data-label="Tema"' in spanish
