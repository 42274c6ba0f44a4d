"""Every write a user can cause on good practices. The web form, the admin and (read-only) API share
these rules.

Who may do what:
- a focal point drafts and submits practices for their own countries. On a practice shared with other
  countries they may edit it (it is one of their countries' practices), but they may add or remove
  only their own countries;
- the secretariat publishes or returns submitted practices (and may take a published one back with a
  comment); it edits content in the admin.

Each function is one transaction, locks the practice row, and raises `PermissionDenied`,
`ValidationError` or `InvalidStateError`.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from core.errors import InvalidStateError
from countries.models import Country
from practices.models import EDITABLE_STATUSES, GoodPractice, PracticeAttachment, PracticeStatus
from roadmaps.models import Action

# The practice's story, in the order the form and the export show it.
STORY_FIELDS = ("what_was_done", "results", "lessons_learned", "replication_needs", "links", "contact_role")
# The plain fields a focal point fills in; many-to-many fields are passed separately.
CONTENT_FIELDS = (
    "title_en",
    "title_es",
    "summary_en",
    "summary_es",
    "language",
    "start_date",
    "end_date",
    *STORY_FIELDS,
)
RELATION_FIELDS = ("countries", "objectives", "principles", "actions", "partners")


def _country_names(country_ids: Iterable[int]) -> str:
    return ", ".join(Country.objects.filter(id__in=country_ids).order_by("name_en").values_list("name_en", flat=True))


def may_edit(*, user, practice: GoodPractice) -> bool:
    """Whether `user` may change this practice's content from the web form (not the review state)."""
    if not practice.is_editable:
        return False
    if roles.is_secretariat(user):
        return True
    theirs = roles.focal_country_ids(user)
    return bool(theirs & set(practice.countries.values_list("id", flat=True)))


def _check_countries(*, user, old_ids: set[int], new_ids: set[int]) -> None:
    if not new_ids:
        raise ValidationError({"countries": _("Choose at least one country.")})
    if roles.is_secretariat(user):
        return
    theirs = roles.focal_country_ids(user)
    if not theirs:
        raise PermissionDenied(_("Only country focal points share good practices from this page."))
    if old_ids and not (old_ids & theirs):
        raise PermissionDenied(_("This practice belongs to countries you are not a focal point for."))
    foreign = (old_ids ^ new_ids) - theirs
    if foreign:
        raise PermissionDenied(
            _("You are not a focal point for %(countries)s: you cannot add or remove it on a practice.")
            % {"countries": _country_names(foreign)}
        )
    if not (new_ids & theirs):
        raise ValidationError({"countries": _("Keep at least one of your own countries on the practice.")})


def _lock(practice: GoodPractice) -> GoodPractice:
    return GoodPractice.objects.select_for_update().get(pk=practice.pk)


@transaction.atomic
def practice_save_draft(
    *,
    user,
    practice: GoodPractice | None = None,
    values: dict,
    new_attachments: Iterable = (),
    attachment_description: str = "",
    remove_attachment_ids: Iterable[int] = (),
) -> GoodPractice:
    """Create a practice, or save changes to one still in draft or returned. Its state does not change.

    `values` holds CONTENT_FIELDS and RELATION_FIELDS (querysets or lists of model instances).
    """
    new_country_ids = {c.id for c in values.get("countries") or ()}
    if practice is None:
        _check_countries(user=user, old_ids=set(), new_ids=new_country_ids)
        practice = GoodPractice(author=user)
    else:
        practice = _lock(practice)
        old_ids = set(practice.countries.values_list("id", flat=True))
        _check_countries(user=user, old_ids=old_ids, new_ids=new_country_ids)
        if practice.status not in EDITABLE_STATUSES:
            raise InvalidStateError(
                _("This practice is %(status)s; it can no longer be changed here.")
                % {"status": practice.get_status_display().lower()}
            )

    actions = list(values.get("actions") or ())
    if actions:
        wanted = {a.id for a in actions}
        visible = set(Action.objects.visible_to(user).filter(id__in=wanted).values_list("id", flat=True))
        if visible != wanted:
            raise ValidationError({"actions": _("Choose actions from the roadmaps you can see.")})

    for name in CONTENT_FIELDS:
        if name in values:
            value = values[name]
            setattr(practice, name, value.strip() if isinstance(value, str) else value)
    practice.full_clean()
    practice.save()
    for name in RELATION_FIELDS:
        if name in values:
            getattr(practice, name).set(values[name] or [])

    if remove_attachment_ids:
        for attachment in practice.attachments.filter(id__in=list(remove_attachment_ids)):
            # The file goes only once the transaction commits: a later error keeps row and file together.
            storage, name = attachment.file.storage, attachment.file.name
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
            attachment.delete()
    for upload in new_attachments:
        if not upload:
            continue
        attachment = PracticeAttachment(
            practice=practice, file=upload, description=attachment_description.strip(), uploaded_by=user
        )
        try:
            attachment.full_clean(exclude=["practice", "uploaded_by"])
        except ValidationError as error:
            raise ValidationError({"attachment": error.message_dict.get("file", error.messages)}) from None
        attachment.save()
    return practice


def _missing_for_submission(practice: GoodPractice) -> dict[str, str]:
    missing = {}
    if not (practice.summary_en.strip() or practice.summary_es.strip()):
        missing["summary_es"] = _("Write a short summary (in Spanish or in English) before submitting.")
    if not practice.countries.exists():
        missing["countries"] = _("Choose at least one country.")
    if not practice.objectives.exists():
        missing["objectives"] = _("Choose the GCM objectives this practice serves before submitting.")
    if not practice.what_was_done.strip():
        missing["what_was_done"] = _("Say what was done before submitting.")
    if not practice.lessons_learned.strip():
        missing["lessons_learned"] = _("Share the lessons learned before submitting: they are what others read.")
    return missing


@transaction.atomic
def practice_submit(*, practice: GoodPractice, user) -> GoodPractice:
    """Send a draft (or a corrected returned practice) to the secretariat for review."""
    locked = _lock(practice)
    country_ids = set(locked.countries.values_list("id", flat=True))
    if not roles.is_secretariat(user):
        theirs = roles.focal_country_ids(user)
        if not (theirs and country_ids and country_ids & theirs):
            raise PermissionDenied(_("Only a focal point of the practice's countries can submit it."))
    if locked.status not in EDITABLE_STATUSES:
        raise InvalidStateError(
            _("This practice is %(status)s; only drafts and returned practices can be submitted.")
            % {"status": locked.get_status_display().lower()}
        )
    missing = _missing_for_submission(locked)
    if missing:
        raise ValidationError(missing)
    locked.status = PracticeStatus.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    return locked


def _check_reviewer(reviewer) -> None:
    if not roles.is_secretariat(reviewer):
        raise PermissionDenied(_("Only the secretariat reviews good practices."))


@transaction.atomic
def practice_publish(*, practice: GoodPractice, reviewer, comment: str = "") -> GoodPractice:
    """Publish a submitted practice: it appears in the public catalogue and the API."""
    _check_reviewer(reviewer)
    locked = _lock(practice)
    if locked.status != PracticeStatus.SUBMITTED:
        raise InvalidStateError(
            _("This practice is %(status)s; only submitted practices can be published.")
            % {"status": locked.get_status_display().lower()}
        )
    now = timezone.now()
    locked.status = PracticeStatus.PUBLISHED
    locked.reviewer = reviewer
    locked.reviewed_at = now
    locked.published_at = now
    locked.review_comment = (comment or "").strip()
    locked.save()
    return locked


@transaction.atomic
def practice_return(*, practice: GoodPractice, reviewer, comment: str) -> GoodPractice:
    """Send a practice back to its focal points (from submitted, or take a published one back)."""
    _check_reviewer(reviewer)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"review_comment": _("Say why the practice is returned: the focal point will read it.")})
    locked = _lock(practice)
    if locked.status not in (PracticeStatus.SUBMITTED, PracticeStatus.PUBLISHED):
        raise InvalidStateError(
            _("This practice is %(status)s; only submitted or published practices can be returned.")
            % {"status": locked.get_status_display().lower()}
        )
    locked.status = PracticeStatus.RETURNED
    locked.reviewer = reviewer
    locked.reviewed_at = timezone.now()
    locked.published_at = None
    locked.review_comment = comment
    locked.save()
    return locked
