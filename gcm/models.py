from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.bilingual import BilingualFields
from core.models import ReferenceDataModel, TimeStampedModel, not_before, optional_key
from countries.models import Country


class Objective(ReferenceDataModel, TimeStampedModel):
    """One of the 23 objectives of the GCM (A/RES/73/195)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = BilingualFields(models.CharField, max_length=300)
    short_title = BilingualFields(models.CharField, max_length=100, blank=True)
    description = BilingualFields(models.TextField, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("GCM objective")
        verbose_name_plural = _("GCM objectives")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=23), name="objective_number_1_23"),
        ]

    def __str__(self):
        return f"{self.number}. {self.short_title or self.title}"


class GuidingPrinciple(ReferenceDataModel, TimeStampedModel):
    """One of the 10 guiding principles (A/RES/73/195, paragraph 15)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    letter = models.CharField(_("letter in paragraph 15"), max_length=1, unique=True)
    name = BilingualFields(models.CharField, max_length=150)
    description = BilingualFields(models.TextField, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("guiding principle")
        verbose_name_plural = _("guiding principles")
        ordering = ["letter"]
        constraints = [
            models.CheckConstraint(condition=Q(letter__regex=r"^[a-j]$"), name="principle_letter_a_j"),
        ]

    def __str__(self):
        return f"({self.letter}) {self.name}"


class OrganizationKind(models.TextChoices):
    UN_AGENCY = "un_agency", _("UN agency")
    UN_NETWORK = "un_network", _("UN Network on Migration")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental body")
    OTHER = "other", _("Other")


class Organization(ReferenceDataModel, TimeStampedModel):
    key = models.SlugField(_("key"), max_length=50, unique=True)
    name = BilingualFields(models.CharField, max_length=200)
    acronym = BilingualFields(models.CharField, max_length=30)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind, default=OrganizationKind.OTHER)
    website = models.URLField(_("website"), blank=True)
    is_un_network_member = models.BooleanField(_("UN Network executive committee"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["acronym_en"]

    def __str__(self):
        return self.acronym or self.name


class ForumKind(models.TextChoices):
    CHAMPIONS_FORUM = "champions_forum", _("Regional forum of champion countries")
    IMRF = "imrf", _("International Migration Review Forum")
    REGIONAL_REVIEW = "regional_review", _("Regional review of the GCM")
    RCM_MEETING = "rcm_meeting", _("RCM meeting")
    ADOPTION = "adoption", _("Adoption of the GCM")
    OTHER = "other", _("Other")


class Forum(ReferenceDataModel, TimeStampedModel):
    """A meeting where priorities or roadmaps were set."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    name = BilingualFields(models.CharField, max_length=250)
    kind = models.CharField(_("kind"), max_length=20, choices=ForumKind, default=ForumKind.OTHER)
    host_country = optional_key(Country, related_name="forums_hosted", verbose_name=_("host country"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["start_date", "key"]
        constraints = [
            not_before(
                "end_date", "start_date", optional=("end_date", "start_date"), name="forum_end_not_before_start"
            ),
        ]

    def __str__(self):
        return self.name
