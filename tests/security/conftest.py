"""The world the authorisation sweep knocks on: one sample of every kind of thing a URL can point at,
and the six callers (anonymous, partner, focal point of El Salvador, focal point of Guatemala, staff
outside the Secretariat group, secretariat)."""

import datetime
from dataclasses import dataclass, field

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation
from rest_framework.authtoken.models import Token

from accounts.groups import ensure_groups
from accounts.models import profile_for
from accounts.roles import PARTNERS_GROUP, SECRETARIAT_GROUP
from countries.models import FocalPoint
from notifications.models import MessageKind, MessageStatus, SentMessage
from practices.models import GoodPractice, PracticeAttachment, PracticeStatus
from regional.models import NotRelatedPair
from roadmaps import cycles
from roadmaps.models import IndicatorValue, ReportingCycle, ReviewState, RoadmapStatus, Visibility
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
from tests.indicator_factories import IndicatorFactory, ReportingCycleFactory

ROLES = ("anon", "partner", "focal_sv", "focal_gt", "staff", "secretariat")

PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"

# Words that name what only some roles may see: no page, list, export or API answer may show them
# to anyone else (checked on every 200 of the sweep).
PARTNERS_ROADMAP = "Zq partners roadmap"
PARTNERS_ACTION = "Zq partners action"
INTERNAL_ROADMAP = "Zq internal roadmap"
INTERNAL_ACTION = "Zq internal action"
DRAFT_ROADMAP_SV = "Zq draft roadmap of El Salvador"
DRAFT_PRACTICE_SV = "Zq draft practice of El Salvador"
PENDING_SV = "Zq pending report of El Salvador"
RETURNED_GT = "Zq returned report of Guatemala"
# The reviewer's comment on an approved (so public) update: for El Salvador's focal points only.
REVIEW_COMMENT_SV = "Zq reviewer comment for El Salvador"
_EVERY_SECRET = {
    REVIEW_COMMENT_SV,
    PARTNERS_ROADMAP,
    PARTNERS_ACTION,
    INTERNAL_ROADMAP,
    INTERNAL_ACTION,
    DRAFT_ROADMAP_SV,
    DRAFT_PRACTICE_SV,
    PENDING_SV,
    RETURNED_GT,
}
HIDDEN_FROM = {
    "anon": _EVERY_SECRET,
    "staff": _EVERY_SECRET,
    "partner": _EVERY_SECRET - {PARTNERS_ROADMAP, PARTNERS_ACTION},
    "focal_sv": {INTERNAL_ROADMAP, INTERNAL_ACTION, RETURNED_GT},
    "focal_gt": {INTERNAL_ROADMAP, INTERNAL_ACTION, DRAFT_ROADMAP_SV, DRAFT_PRACTICE_SV, PENDING_SV, REVIEW_COMMENT_SV},
    "secretariat": set(),
}


def _titled(text):
    return {"title_en": text, "title_es": text}


@dataclass
class World:
    users: dict
    tokens: dict
    sv: object
    gt: object
    hn: object
    objective: object
    principle: object
    organization: object
    forum: object
    theme: object
    roadmap_public: object
    roadmap_partners: object
    roadmap_internal: object
    roadmap_draft_sv: object
    action_sv: object
    action_gt: object
    action_partners: object
    action_internal: object
    update_submitted_sv: object
    update_approved_sv: object
    update_returned_gt: object
    practice_published: object
    practice_draft_sv: object
    attachment_published: object
    attachment_draft_sv: object
    focal_point: object
    extra: dict = field(default_factory=dict)

    def web(self, role):
        """A browser-like client: a session for signed-in roles."""
        client = Client(raise_request_exception=False)
        if self.users[role] is not None:
            client.force_login(self.users[role])
        return client

    def api(self, role):
        """An API client: `Authorization: Token …` for signed-in roles (as partners and scripts call it)."""
        if self.tokens.get(role):
            return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {self.tokens[role]}")
        return Client(raise_request_exception=False)


def _attach(practice, author, name):
    attachment = PracticeAttachment(practice=practice, uploaded_by=author, description=name)
    attachment.file.save(f"{name}.pdf", ContentFile(PDF_BYTES), save=False)
    attachment.save()
    return attachment


def _actors(el_salvador, guatemala):
    """The same six callers as tests/conftest.py's actors (built here: the world is built once)."""
    ensure_groups()
    groups = {g.name: g for g in Group.objects.all()}
    secretariat_user = UserFactory(username="secretariat-test", is_staff=True)
    secretariat_user.groups.add(groups[SECRETARIAT_GROUP])
    partner_user = UserFactory(username="partner-test")
    partner_user.groups.add(groups[PARTNERS_GROUP])
    staff_outsider = UserFactory(username="staff-outsider", is_staff=True)
    focal_sv = FocalPointFactory(user=UserFactory(username="focal-sv-test"), country=el_salvador).user
    focal_gt = FocalPointFactory(user=UserFactory(username="focal-gt-test"), country=guatemala).user
    return secretariat_user, staff_outsider, focal_sv, focal_gt, partner_user


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction rolled back at the end; each test runs in its
    own savepoint within it (pytest-django's `db`), so nothing leaks to other tests."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _build_world():
    el_salvador, guatemala = CountryFactory(code="SV"), CountryFactory(code="GT")
    secretariat_user, staff_outsider, focal_sv, focal_gt, partner_user = _actors(el_salvador, guatemala)
    hn = CountryFactory(code="HN")
    objective = ObjectiveFactory(number=2)
    principle = PrincipleFactory(letter="a")
    organization = OrganizationFactory(key="iom")
    forum = ForumFactory(key="forum-2024")
    theme = ThemeFactory(slug="labour-pathways")

    roadmap_public = RoadmapFactory(
        slug="public-roadmap", lead_country=el_salvador, theme=theme, countries=[el_salvador, guatemala]
    )
    roadmap_public.objectives.set([objective])
    roadmap_partners = RoadmapFactory(
        **_titled(PARTNERS_ROADMAP),
        slug="partners-roadmap",
        lead_country=hn,
        theme=theme,
        visibility=Visibility.PARTNERS,
        countries=[hn],
    )
    roadmap_internal = RoadmapFactory(
        **_titled(INTERNAL_ROADMAP),
        slug="internal-roadmap",
        lead_country=hn,
        theme=theme,
        visibility=Visibility.INTERNAL,
        countries=[hn],
    )
    roadmap_draft_sv = RoadmapFactory(
        **_titled(DRAFT_ROADMAP_SV),
        slug="draft-roadmap-sv",
        lead_country=el_salvador,
        theme=theme,
        status=RoadmapStatus.DRAFT,
    )

    action_sv = ActionFactory(roadmap=roadmap_public, code="SV-1", countries=[el_salvador], objectives=[objective])
    action_gt = ActionFactory(roadmap=roadmap_public, code="GT-1", countries=[guatemala], objectives=[objective])
    action_partners = ActionFactory(roadmap=roadmap_partners, code="HN-P1", countries=[hn], **_titled(PARTNERS_ACTION))
    action_internal = ActionFactory(roadmap=roadmap_internal, code="HN-I1", countries=[hn], **_titled(INTERNAL_ACTION))

    def update(action, country, author, state, **extra):
        row = ProgressUpdateFactory(action=action, country=country, author=author, review_state=state, **extra)
        row.evidence_file.save(f"evidence-{state}.pdf", ContentFile(PDF_BYTES), save=True)
        return row

    update_submitted_sv = update(action_sv, el_salvador, focal_sv, ReviewState.SUBMITTED, narrative=PENDING_SV)
    update_approved_sv = update(
        action_sv,
        el_salvador,
        focal_sv,
        ReviewState.APPROVED,
        reviewer=secretariat_user,
        reviewed_at=timezone.now(),
        review_comment=REVIEW_COMMENT_SV,
    )
    update_returned_gt = update(
        action_gt,
        guatemala,
        focal_gt,
        ReviewState.RETURNED,
        reviewer=secretariat_user,
        reviewed_at=timezone.now(),
        review_comment="Add figures.",
        narrative=RETURNED_GT,
    )

    author = UserFactory(username="practice-author")
    practice_fields = {
        "title_en": "One-stop shop",
        "title_es": "Ventanilla única",
        "summary_es": "Resumen.",
        "what_was_done": "Se hizo.",
        "lessons_learned": "Se aprendió.",
        "author": author,
    }
    practice_published = GoodPractice.objects.create(
        status=PracticeStatus.PUBLISHED,
        reviewer=secretariat_user,
        reviewed_at=timezone.now(),
        published_at=timezone.now(),
        **practice_fields,
    )
    practice_published.countries.set([el_salvador])
    practice_published.objectives.set([objective])
    practice_draft_sv = GoodPractice.objects.create(
        status=PracticeStatus.DRAFT, **{**practice_fields, **_titled(DRAFT_PRACTICE_SV)}
    )
    practice_draft_sv.countries.set([el_salvador])
    practice_draft_sv.objectives.set([objective])

    # Indicators: one of a public action, one of an internal one; an approved value and a pending one
    # (its note is the pending report's marker: no list may show it to whom the update is hidden).
    cycle = ReportingCycleFactory(key="sweep-2025")
    indicator_sv = IndicatorFactory(action=action_sv, code="I1")
    indicator_internal = IndicatorFactory(action=action_internal, code="I1")
    value_approved_sv = IndicatorValue.objects.create(
        indicator=indicator_sv, country=el_salvador, cycle=cycle, update=update_approved_sv, value=5
    )
    value_pending_sv = IndicatorValue.objects.create(
        indicator=indicator_sv, country=el_salvador, cycle=cycle, update=update_submitted_sv, value=7, note=PENDING_SV
    )

    users = {
        "anon": None,
        "partner": partner_user,
        "focal_sv": focal_sv,
        "focal_gt": focal_gt,
        "staff": staff_outsider,
        "secretariat": secretariat_user,
    }
    tokens = {role: Token.objects.create(user=user).key for role, user in users.items() if user is not None}
    for user in users.values():
        if user is not None:
            profile_for(user)

    # One row of every other model the admin shows, so its change/delete/history pages have an object.
    NotRelatedPair.objects.create(action_a=action_sv, action_b=action_gt, marked_by=secretariat_user)
    SentMessage.objects.create(
        recipient=focal_sv,
        email=focal_sv.email,
        kind=MessageKind.UPDATE_APPROVED,
        subject="Approved",
        language="en",
        dedupe_key="sweep-1",
        status=MessageStatus.SENT,
        sent_at=timezone.now(),
    )
    AccessAttempt.objects.create(
        username="someone", ip_address="10.0.0.1", user_agent="ua", failures_since_start=1, get_data="", post_data=""
    )
    AccessLog.objects.create(username="someone", ip_address="10.0.0.1", user_agent="ua")
    AccessFailureLog.objects.create(username="someone", ip_address="10.0.0.1", user_agent="ua", locked_out=False)

    # Reporting cycles: a planned one (first, so the admin's object pages use it) and a closed one whose
    # snapshot holds every action, internal ones included (the sweep checks none leaks).
    planned = ReportingCycle.objects.create(
        key="sweep-planned",
        title_en="Planned",
        title_es="Planificado",
        period_start=datetime.date(2031, 1, 1),
        period_end=datetime.date(2031, 12, 31),
        opens_on=datetime.date(2032, 1, 1),
        deadline=datetime.date(2032, 2, 1),
    )
    closed = ReportingCycle.objects.create(
        key="sweep-closed",
        title_en="Closed",
        title_es="Cerrado",
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2030, 12, 31),
        opens_on=datetime.date(2020, 1, 1),
        deadline=datetime.date(2030, 12, 31),
    )
    cycles.cycle_open(cycle=closed, user=secretariat_user)
    cycles.cycle_close(cycle=closed, user=secretariat_user, reason="The sweep's snapshot")

    with translation.override("en"):
        return World(
            users=users,
            tokens=tokens,
            sv=el_salvador,
            gt=guatemala,
            hn=hn,
            objective=objective,
            principle=principle,
            organization=organization,
            forum=forum,
            theme=theme,
            roadmap_public=roadmap_public,
            roadmap_partners=roadmap_partners,
            roadmap_internal=roadmap_internal,
            roadmap_draft_sv=roadmap_draft_sv,
            action_sv=action_sv,
            action_gt=action_gt,
            action_partners=action_partners,
            action_internal=action_internal,
            update_submitted_sv=update_submitted_sv,
            update_approved_sv=update_approved_sv,
            update_returned_gt=update_returned_gt,
            practice_published=practice_published,
            practice_draft_sv=practice_draft_sv,
            attachment_published=_attach(practice_published, author, "published-report"),
            attachment_draft_sv=_attach(practice_draft_sv, author, "draft-report"),
            focal_point=FocalPoint.objects.get(user=focal_sv),
            extra={
                "planned_cycle": planned,
                "closed_cycle": closed,
                "indicator_sv": indicator_sv,
                "indicator_internal": indicator_internal,
                "value_approved_sv": value_approved_sv,
                "value_pending_sv": value_pending_sv,
            },
        )
