"""A small world for the API tests: three roadmaps (public, partners, internal) and a draft, actions
with countries, objectives and organisations, and updates in each review state."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from roadmaps.models import ActionStatus, ReviewState, RoadmapStatus, Visibility
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
    UserFactory,
)


@pytest.fixture(autouse=True)
def _clear_throttle_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    """`api(user=None, token=None)`: a DRF test client, anonymous, signed in, or with a token."""

    def make(user=None, token=None, language=None):
        client = APIClient()
        if user is not None:
            # A real session (not force_authenticate): the user is loaded per request, as in production.
            client.force_login(user)
        if token is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        if language:
            client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        return client

    return make


@dataclass
class World:
    sv: object
    gt: object
    hn: object
    obj1: object
    obj2: object
    obj3: object
    pa: object
    pb: object
    unhcr: object
    iom: object
    forum: object
    theme_labour: object
    theme_health: object
    public: object
    partners: object
    internal: object
    draft: object
    a_public_sv: object  # SV + GT, objectives 1 & 2 (own), IOM, overdue
    a_public_gt: object  # GT, no own objectives -> roadmap's (3), completed
    a_partners_sv: object  # SV, objective 2, UNHCR, on track
    a_internal_hn: object  # HN, objective 1
    a_draft_sv: object  # SV
    u_approved: object
    u_submitted: object
    u_returned: object
    u_approved_partners: object
    u_approved_internal: object


@pytest.fixture
def world(db, el_salvador, guatemala):
    today = timezone.localdate()
    hn = CountryFactory(code="HN")
    obj1, obj2, obj3 = (ObjectiveFactory(number=n) for n in (1, 2, 3))
    obj1.title_en, obj1.title_es = "Collect accurate migration data", "Recopilar datos precisos sobre migración"
    obj1.short_title_en, obj1.short_title_es = "Data", "Datos"
    obj1.save()
    pa = PrincipleFactory(letter="a", code="people-centred")
    pb = PrincipleFactory(letter="b", code="international-cooperation")
    unhcr = OrganizationFactory(key="unhcr", acronym_en="UNHCR", acronym_es="ACNUR", kind="un_agency")
    iom = OrganizationFactory(key="iom", acronym_en="IOM", acronym_es="OIM", kind="un_agency")
    forum = ForumFactory(key="ii-regional-forum", host_country=el_salvador, city="San Salvador", kind="champions_forum")
    theme_labour = ThemeFactory(slug="labour-migration", title_en="Labour migration", title_es="Migración laboral")
    theme_health = ThemeFactory(slug="health", title_en="Health", title_es="Salud", forum=forum)

    public = RoadmapFactory(
        slug="labour-public",
        title_en="Fair recruitment roadmap",
        title_es="Hoja de ruta de contratación equitativa",
        theme=theme_labour,
        forum=forum,
        lead_country=el_salvador,
        countries=[el_salvador, guatemala],
        objectives=[obj3],
        visibility=Visibility.PUBLIC,
    )
    public.principles.set([pa])
    public.organizations.set([iom])
    partners = RoadmapFactory(
        slug="health-partners",
        title_en="Migrant health roadmap",
        title_es="Hoja de ruta de salud de las personas migrantes",
        theme=theme_health,
        lead_country=guatemala,
        objectives=[obj2],
        visibility=Visibility.PARTNERS,
    )
    partners.principles.set([pb])
    internal = RoadmapFactory(
        slug="internal-hn", theme=theme_labour, lead_country=hn, visibility=Visibility.INTERNAL, objectives=[obj1]
    )
    draft = RoadmapFactory(slug="draft-sv", theme=theme_labour, status=RoadmapStatus.DRAFT, lead_country=el_salvador)

    a_public_sv = ActionFactory(
        roadmap=public,
        code="A1",
        title_en="Train labour inspectors on recruitment fees",
        title_es="Capacitar a inspectores laborales sobre comisiones de contratación",
        countries=[el_salvador, guatemala],
        objectives=[obj1, obj2],
        due_date=today - datetime.timedelta(days=10),
        status=ActionStatus.DELAYED,
        percent_complete=20,
    )
    a_public_sv.organizations.set([iom])
    a_public_gt = ActionFactory(
        roadmap=public,
        code="A2",
        title_en="Publish a bilateral agreement",
        title_es="Publicar un acuerdo bilateral",
        countries=[guatemala],
        due_date=today - datetime.timedelta(days=5),
        status=ActionStatus.COMPLETED,
        percent_complete=100,
    )
    a_partners_sv = ActionFactory(
        roadmap=partners,
        code="B1",
        title_en="Vaccination campaign for migrants in transit",
        title_es="Campaña de vacunación para migrantes en tránsito",
        countries=[el_salvador],
        objectives=[obj2],
        due_date=today + datetime.timedelta(days=30),
        status=ActionStatus.ON_TRACK,
        percent_complete=60,
    )
    a_partners_sv.organizations.set([unhcr])
    a_internal_hn = ActionFactory(
        roadmap=internal, code="C1", countries=[hn], objectives=[obj1], due_date=today + datetime.timedelta(days=60)
    )
    a_draft_sv = ActionFactory(roadmap=draft, code="D1", countries=[el_salvador], due_date=None)

    reviewer = UserFactory(username="reviewer-api", is_staff=True)
    now = timezone.now()
    u_approved = ProgressUpdateFactory(
        action=a_public_sv,
        country=el_salvador,
        review_state=ReviewState.APPROVED,
        reviewer=reviewer,
        reviewed_at=now,
        narrative="Inspectors trained in San Salvador.",
        percent_complete=20,
        status=ActionStatus.DELAYED,
        reporting_date=today - datetime.timedelta(days=3),
    )
    u_submitted = ProgressUpdateFactory(
        action=a_public_sv, country=el_salvador, narrative="Second cohort planned.", reporting_date=today
    )
    u_returned = ProgressUpdateFactory(
        action=a_public_sv,
        country=guatemala,
        review_state=ReviewState.RETURNED,
        reviewer=reviewer,
        reviewed_at=now,
        review_comment="Add the evidence link.",
        narrative="Guatemala started the training.",
        reporting_date=today - datetime.timedelta(days=1),
    )
    u_approved_partners = ProgressUpdateFactory(
        action=a_partners_sv,
        country=el_salvador,
        review_state=ReviewState.APPROVED,
        reviewer=reviewer,
        reviewed_at=now,
        status=ActionStatus.ON_TRACK,
        percent_complete=60,
        narrative="Vaccination started at the border.",
        reporting_date=today - datetime.timedelta(days=2),
    )
    u_approved_internal = ProgressUpdateFactory(
        action=a_internal_hn,
        country=hn,
        review_state=ReviewState.APPROVED,
        reviewer=reviewer,
        reviewed_at=now,
        narrative="Honduras internal.",
        reporting_date=today - datetime.timedelta(days=4),
    )
    return World(
        sv=el_salvador,
        gt=guatemala,
        hn=hn,
        obj1=obj1,
        obj2=obj2,
        obj3=obj3,
        pa=pa,
        pb=pb,
        unhcr=unhcr,
        iom=iom,
        forum=forum,
        theme_labour=theme_labour,
        theme_health=theme_health,
        public=public,
        partners=partners,
        internal=internal,
        draft=draft,
        a_public_sv=a_public_sv,
        a_public_gt=a_public_gt,
        a_partners_sv=a_partners_sv,
        a_internal_hn=a_internal_hn,
        a_draft_sv=a_draft_sv,
        u_approved=u_approved,
        u_submitted=u_submitted,
        u_returned=u_returned,
        u_approved_partners=u_approved_partners,
        u_approved_internal=u_approved_internal,
    )


def results(response):
    """The rows of a list response (asserting it is a 200)."""
    assert response.status_code == 200, response.content
    return response.json()["results"]


def keys(response, key):
    return [row[key] for row in results(response)]
