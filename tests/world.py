"""The one shared test world: the personas (anonymous, partner, focal points of El Salvador and
Guatemala, a staff user outside the Secretariat group, the secretariat) × roadmaps of each visibility
(public, partners, internal) and a draft × updates in each review state (approved, submitted, returned).

`tests/conftest.py` exposes it as the `world` fixture (built per test: the API tests write to it); a
module that only reads builds it once with `built_once`. A test that needs one more object builds it
on top of the world.

    public   "labour-public" (SV leads; SV, GT take part; objective 3; IOM; principle a; the forum)
      A1 SV + GT, own objectives 1 & 2, IOM, overdue, delayed 20 %
         updates: SV approved, SV submitted, GT returned
      A2 GT, the roadmap's objective (3), completed 100 %
    partners "health-partners" (GT leads; objective 2; principle b; theme health)
      B1 SV, objective 2, UNHCR, on track 60 % — update: SV approved
    internal "internal-hn" (HN leads; objective 1)
      C1 HN, objective 1 — update: HN approved
    draft    "draft-sv" (SV leads)
      D1 SV, no due date
"""

import datetime
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.utils import timezone

from accounts.groups import ensure_groups
from accounts.roles import PARTNERS_GROUP, SECRETARIAT_GROUP
from roadmaps.models import ActionStatus, ReviewState, RoadmapStatus, Visibility
from tests.factories import (
    ActionFactory,
    CountryFactory,
    FocalPointFactory,
    ForumFactory,
    ObjectiveFactory,
    OrganizationFactory,
    PrincipleFactory,
    ProgressUpdateFactory,
    RoadmapFactory,
    ThemeFactory,
    UserFactory,
)

ROLES = ("anon", "partner", "focal_sv", "focal_gt", "staff", "secretariat")


# --- the personas ----------------------------------------------------------------------------------


def make_groups():
    ensure_groups()
    return {g.name: g for g in Group.objects.all()}


def make_secretariat(groups):
    user = UserFactory(username="secretariat-test", is_staff=True)
    user.groups.add(groups[SECRETARIAT_GROUP])
    return user


def make_partner(groups):
    user = UserFactory(username="partner-test")
    user.groups.add(groups[PARTNERS_GROUP])
    return user


def make_staff_outsider():
    """Staff flag, but not in the Secretariat group: must not reach secretariat-only things."""
    return UserFactory(username="staff-outsider", is_staff=True)


def make_focal(country):
    return FocalPointFactory(user=UserFactory(username=f"focal-{country.code.lower()}-test"), country=country).user


def make_personas(sv, gt):
    """Every role's user (None for the anonymous visitor), as the fixtures of tests/conftest.py build them."""
    groups = make_groups()
    return {
        "anon": None,
        "partner": make_partner(groups),
        "focal_sv": make_focal(sv),
        "focal_gt": make_focal(gt),
        "staff": make_staff_outsider(),
        "secretariat": make_secretariat(groups),
    }


# --- the world -------------------------------------------------------------------------------------


@dataclass
class World:
    users: Mapping  # role → user (None: anonymous)
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
    u_approved: object  # A1, SV
    u_submitted: object  # A1, SV
    u_returned: object  # A1, GT
    u_approved_partners: object  # B1, SV
    u_approved_internal: object  # C1, HN
    tokens: dict = field(default_factory=dict)  # role → API token, for the worlds that hand them out

    def web(self, role):
        """A browser-like client: a session for signed-in roles; errors answer as in production."""
        client = Client(raise_request_exception=False)
        if self.users[role] is not None:
            client.force_login(self.users[role])
        return client

    def api(self, role):
        """An API client: `Authorization: Token …` for roles with a token (as partners and scripts call it)."""
        if self.tokens.get(role):
            return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {self.tokens[role]}")
        return Client(raise_request_exception=False)


def build_world(sv, gt, users):
    """The world over El Salvador, Guatemala and the personas `users` (role → user, read only by
    `World.web`/`World.api`)."""
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
    forum = ForumFactory(key="ii-regional-forum", host_country=sv, city="San Salvador", kind="champions_forum")
    theme_labour = ThemeFactory(slug="labour-migration", title_en="Labour migration", title_es="Migración laboral")
    theme_health = ThemeFactory(slug="health", title_en="Health", title_es="Salud", forum=forum)

    public = RoadmapFactory(
        slug="labour-public",
        title_en="Fair recruitment roadmap",
        title_es="Hoja de ruta de contratación equitativa",
        theme=theme_labour,
        forum=forum,
        lead_country=sv,
        countries=[sv, gt],
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
        lead_country=gt,
        objectives=[obj2],
        visibility=Visibility.PARTNERS,
    )
    partners.principles.set([pb])
    internal = RoadmapFactory(
        slug="internal-hn", theme=theme_labour, lead_country=hn, visibility=Visibility.INTERNAL, objectives=[obj1]
    )
    draft = RoadmapFactory(slug="draft-sv", theme=theme_labour, status=RoadmapStatus.DRAFT, lead_country=sv)

    a_public_sv = ActionFactory(
        roadmap=public,
        code="A1",
        title_en="Train labour inspectors on recruitment fees",
        title_es="Capacitar a inspectores laborales sobre comisiones de contratación",
        countries=[sv, gt],
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
        countries=[gt],
        due_date=today - datetime.timedelta(days=5),
        status=ActionStatus.COMPLETED,
        percent_complete=100,
    )
    a_partners_sv = ActionFactory(
        roadmap=partners,
        code="B1",
        title_en="Vaccination campaign for migrants in transit",
        title_es="Campaña de vacunación para migrantes en tránsito",
        countries=[sv],
        objectives=[obj2],
        due_date=today + datetime.timedelta(days=30),
        status=ActionStatus.ON_TRACK,
        percent_complete=60,
    )
    a_partners_sv.organizations.set([unhcr])
    a_internal_hn = ActionFactory(
        roadmap=internal, code="C1", countries=[hn], objectives=[obj1], due_date=today + datetime.timedelta(days=60)
    )
    a_draft_sv = ActionFactory(roadmap=draft, code="D1", countries=[sv], due_date=None)

    # A reviewer and authors of their own: the world asks `users` for no persona (the per-test
    # fixture builds only those a test names).
    reviewed = {"reviewer": UserFactory(username="reviewer-world", is_staff=True), "reviewed_at": timezone.now()}
    u_approved = ProgressUpdateFactory(
        action=a_public_sv,
        country=sv,
        review_state=ReviewState.APPROVED,
        narrative="Inspectors trained in San Salvador.",
        percent_complete=20,
        status=ActionStatus.DELAYED,
        reporting_date=today - datetime.timedelta(days=3),
        **reviewed,
    )
    u_submitted = ProgressUpdateFactory(
        action=a_public_sv,
        country=sv,
        narrative="Second cohort planned.",
        reporting_date=today,
    )
    u_returned = ProgressUpdateFactory(
        action=a_public_sv,
        country=gt,
        review_state=ReviewState.RETURNED,
        review_comment="Add the evidence link.",
        narrative="Guatemala started the training.",
        reporting_date=today - datetime.timedelta(days=1),
        **reviewed,
    )
    u_approved_partners = ProgressUpdateFactory(
        action=a_partners_sv,
        country=sv,
        review_state=ReviewState.APPROVED,
        status=ActionStatus.ON_TRACK,
        percent_complete=60,
        narrative="Vaccination started at the border.",
        reporting_date=today - datetime.timedelta(days=2),
        **reviewed,
    )
    u_approved_internal = ProgressUpdateFactory(
        action=a_internal_hn,
        country=hn,
        review_state=ReviewState.APPROVED,
        narrative="Honduras internal.",
        reporting_date=today - datetime.timedelta(days=4),
        **reviewed,
    )
    return World(
        users=users,
        sv=sv,
        gt=gt,
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


def build_everything():
    """Countries, personas and world from nothing (for a world built once, outside the fixtures)."""
    sv, gt = CountryFactory(code="SV"), CountryFactory(code="GT")
    return build_world(sv, gt, make_personas(sv, gt))


@contextmanager
def built_once(django_db_blocker, build=build_everything):
    """For a module- or session-scoped fixture of tests that do not write to the world (or write in
    savepoints): built inside a transaction rolled back at the end; each test runs in its own
    savepoint within it (pytest-django's `db`), so nothing leaks to other tests."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)
