"""The world the authorisation sweep knocks on: the shared world (tests/world.py) with its six
callers (anonymous, partner, focal point of El Salvador, focal point of Guatemala, staff outside the
Secretariat group, secretariat), and on top of it one sample of every other kind of thing a URL can
point at, marked titles and evidence files."""

import datetime
from dataclasses import dataclass, field

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from rest_framework.authtoken.models import Token

from accounts.models import profile_for
from countries.models import FocalPoint
from notifications.models import MessageKind, MessageStatus, SentMessage
from practices.models import GoodPractice, PracticeAttachment, PracticeStatus
from regional.models import NotRelatedPair
from roadmaps import cycles
from roadmaps.models import IndicatorValue, ReportingCycle
from tests.factories import ActionFactory, UserFactory
from tests.indicator_factories import IndicatorFactory, ReportingCycleFactory
from tests.world import World, build_everything, built_once

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
class SweepWorld(World):
    """The shared world and what the sweep adds on top of it."""

    action_sv: object = None  # public, El Salvador's alone (A1 is shared with Guatemala)
    practice_published: object = None
    practice_draft_sv: object = None
    attachment_published: object = None
    attachment_draft_sv: object = None
    focal_point: object = None
    extra: dict = field(default_factory=dict)


def _attach(practice, author, name):
    attachment = PracticeAttachment(practice=practice, uploaded_by=author, description=name)
    attachment.file.save(f"{name}.pdf", ContentFile(PDF_BYTES), save=False)
    attachment.save()
    return attachment


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module (the sweep writes only in savepoints it rolls back)."""
    with built_once(django_db_blocker, _build_world) as built:
        yield built


def _mark(row, text, attribute=None):
    """Give `row` a marked text (a title in both languages, or one attribute) that the sweep looks for."""
    values = {attribute: text} if attribute else _titled(text)
    for name, value in values.items():
        setattr(row, name, value)
    row.save(update_fields=list(values))


def _build_world():
    base = build_everything()
    sv, users = base.sv, base.users
    secretariat_user, focal_sv = users["secretariat"], users["focal_sv"]
    _mark(base.partners, PARTNERS_ROADMAP)
    _mark(base.a_partners_sv, PARTNERS_ACTION)
    _mark(base.internal, INTERNAL_ROADMAP)
    _mark(base.a_internal_hn, INTERNAL_ACTION)
    _mark(base.draft, DRAFT_ROADMAP_SV)
    _mark(base.u_submitted, PENDING_SV, "narrative")
    _mark(base.u_returned, RETURNED_GT, "narrative")
    _mark(base.u_approved, REVIEW_COMMENT_SV, "review_comment")
    for row in (base.u_submitted, base.u_approved, base.u_returned):
        row.evidence_file.save(f"evidence-{row.review_state}.pdf", ContentFile(PDF_BYTES), save=True)
    action_sv = ActionFactory(roadmap=base.public, code="SV-1", countries=[sv], objectives=[base.obj2])

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
    practice_published.countries.set([sv])
    practice_published.objectives.set([base.obj2])
    practice_draft_sv = GoodPractice.objects.create(
        status=PracticeStatus.DRAFT, **{**practice_fields, **_titled(DRAFT_PRACTICE_SV)}
    )
    practice_draft_sv.countries.set([sv])
    practice_draft_sv.objectives.set([base.obj2])

    # Indicators: one of a public action, one of an internal one; an approved value and a pending one
    # (its note is the pending report's marker: no list may show it to whom the update is hidden).
    cycle = ReportingCycleFactory(key="sweep-2025")
    indicator_sv = IndicatorFactory(action=base.a_public_sv, code="I1")
    indicator_internal = IndicatorFactory(action=base.a_internal_hn, code="I1")
    value_approved_sv = IndicatorValue.objects.create(
        indicator=indicator_sv, country=sv, cycle=cycle, update=base.u_approved, value=5
    )
    value_pending_sv = IndicatorValue.objects.create(
        indicator=indicator_sv, country=sv, cycle=cycle, update=base.u_submitted, value=7, note=PENDING_SV
    )

    base.tokens = {role: Token.objects.create(user=user).key for role, user in users.items() if user is not None}
    for user in users.values():
        if user is not None:
            profile_for(user)

    # One row of every other model the admin shows, so its change/delete/history pages have an object.
    NotRelatedPair.objects.create(action_a=base.a_public_gt, action_b=action_sv, marked_by=secretariat_user)
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
        return SweepWorld(
            **vars(base),
            action_sv=action_sv,
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
