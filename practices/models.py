"""Good practices and lessons learned: what a country shares so others can learn from it.

Titles and summaries carry an English and a Spanish version (the catalogue lists them in the reader's
language). The long narrative fields (what was done, results, lessons, what replication needs) are one
text each, written in the language recorded in `language`: a focal point writes them once in their
working language, as they write a progress update's narrative; asking for both versions of several
pages of text would mean either machine translations nobody checked or practices never submitted.
The catalogue's search reads both languages, so a Spanish narrative is found by Spanish words and an
English one by English words.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts import roles
from core.bilingual import BilingualFields
from core.models import TimeStampedModel, not_before, optional_key
from countries.models import Country
from gcm.models import GuidingPrinciple, Objective, Organization
from roadmaps.models import Action
from roadmaps.uploads import private_storage, validate_evidence_file

LONG_TEXT_MAX = 10000


class PracticeStatus(models.TextChoices):
    # A context: Spanish says "Enviada", "Devuelta" of a práctica, "Enviado" of an informe (one merged
    # catalogue: without it the first app's word would win everywhere).
    DRAFT = "draft", pgettext_lazy("practice", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("practice", "Submitted")
    PUBLISHED = "published", pgettext_lazy("practice", "Published")
    RETURNED = "returned", pgettext_lazy("practice", "Returned")


# States in which the practice's countries' focal points may still edit it.
EDITABLE_STATUSES = (PracticeStatus.DRAFT, PracticeStatus.RETURNED)
REVIEWED_STATUSES = (PracticeStatus.PUBLISHED, PracticeStatus.RETURNED)


class NarrativeLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")


def validate_links(value: str) -> None:
    """One http(s) address per line."""
    check = URLValidator(schemes=["http", "https"])
    for number, line in enumerate(value.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            check(line)
        except ValidationError:
            raise ValidationError(
                _("Line %(line)s is not a web address starting with http:// or https://: %(value)s"),
                code="invalid_link",
                params={"line": number, "value": line[:80]},
            ) from None


_EMAIL = re.compile(r"\S+@\S+")
_PHONE = re.compile(r"(?:\d[\s().-]*){7,}")


def validate_contact_role(value: str) -> None:
    """The contact is a position or office shown on public pages, never a person's e-mail or phone."""
    if _EMAIL.search(value) or _PHONE.search(value):
        raise ValidationError(
            _("Give a position or office (e.g. 'Migration policy unit'), not an e-mail address or phone number."),
            code="personal_data",
        )


class GoodPracticeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Published practices for everyone; a focal point adds every practice of their countries
        (drafts, submitted, returned); the secretariat sees all."""
        if roles.is_secretariat(user):
            return self
        published = Q(status=PracticeStatus.PUBLISHED)
        country_ids = roles.focal_country_ids(user)
        if country_ids:
            own = GoodPractice.countries.through.objects.filter(country_id__in=country_ids).values("goodpractice_id")
            return self.filter(published | Q(id__in=own))
        return self.filter(published)

    def published(self):
        return self.filter(status=PracticeStatus.PUBLISHED)

    def pending(self):
        return self.filter(status=PracticeStatus.SUBMITTED)


class GoodPractice(TimeStampedModel):
    title = BilingualFields(models.CharField, max_length=250, blank=True)
    summary = BilingualFields(models.TextField, max_length=2000, blank=True)
    language = models.CharField(
        _("language of the narrative"),
        max_length=2,
        choices=NarrativeLanguage,
        default=NarrativeLanguage.SPANISH,
        help_text=_("The language in which what was done, results, lessons and replication needs are written."),
    )
    countries = models.ManyToManyField(Country, related_name="good_practices", verbose_name=_("countries"))
    objectives = models.ManyToManyField(
        Objective, blank=True, related_name="good_practices", verbose_name=_("GCM objectives")
    )
    principles = models.ManyToManyField(
        GuidingPrinciple, blank=True, related_name="good_practices", verbose_name=_("guiding principles")
    )
    actions = models.ManyToManyField(
        Action,
        blank=True,
        related_name="good_practices",
        verbose_name=_("roadmap actions it came from"),
    )
    partners = models.ManyToManyField(
        Organization, blank=True, related_name="good_practices", verbose_name=_("partners")
    )
    start_date = models.DateField(_("start of the period"), null=True, blank=True)
    end_date = models.DateField(_("end of the period"), null=True, blank=True)
    what_was_done = models.TextField(_("what was done"), max_length=LONG_TEXT_MAX, blank=True)
    results = models.TextField(
        _("results"),
        max_length=LONG_TEXT_MAX,
        blank=True,
        help_text=_("With figures where there are any."),
    )
    lessons_learned = models.TextField(_("lessons learned"), max_length=LONG_TEXT_MAX, blank=True)
    replication_needs = models.TextField(_("what others need to replicate it"), max_length=LONG_TEXT_MAX, blank=True)
    links = models.TextField(
        _("links"),
        max_length=5000,
        blank=True,
        validators=[validate_links],
        help_text=_("One web address per line."),
    )
    contact_role = models.CharField(
        _("contact (position or office)"),
        max_length=200,
        blank=True,
        validators=[validate_contact_role],
        help_text=_("A position or office, not a person's name or e-mail: it is shown on public pages."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PracticeStatus, default=PracticeStatus.DRAFT, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="good_practices",
        verbose_name=_("author"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    reviewer = optional_key(settings.AUTH_USER_MODEL, related_name="reviewed_practices", verbose_name=_("reviewer"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    objects = GoodPracticeQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[countries, objectives, principles, actions, partners])

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        ordering = ["-published_at", "-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title_en="") | ~Q(title_es=""),
                name="practice_has_a_title",
            ),
            not_before(
                "end_date", "start_date", optional=("end_date", "start_date"), name="practice_end_not_before_start"
            ),
            models.CheckConstraint(
                condition=~Q(status=PracticeStatus.RETURNED) | ~Q(review_comment=""),
                name="practice_returned_needs_comment",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=REVIEWED_STATUSES) | (Q(reviewer__isnull=False) & Q(reviewed_at__isnull=False)),
                name="practice_reviewed_has_reviewer",
            ),
            models.CheckConstraint(
                condition=~Q(status=PracticeStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="practice_published_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("practices:detail", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        if not (self.title_en.strip() or self.title_es.strip()):
            errors["title_es"] = _("Give a title in Spanish or in English (or both).")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The period cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class PracticeAttachment(models.Model):
    """A file shared with a practice (a report, a protocol, a photo). Private: served by a view that
    checks the practice is visible to the reader."""

    practice = models.ForeignKey(
        GoodPractice, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("good practice")
    )
    file = models.FileField(
        _("file"),
        upload_to="practices/%Y/%m/",
        storage=private_storage,
        validators=[validate_evidence_file],
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="practice_attachments",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.description or self.filename

    def get_absolute_url(self):
        return reverse("practices:attachment", kwargs={"pk": self.pk})

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]
