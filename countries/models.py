from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.bilingual import BilingualFields
from core.models import ReferenceDataModel, TimeStampedModel


class Subregion(models.TextChoices):
    NORTH_AMERICA = "north_america", _("North America")
    CENTRAL_AMERICA = "central_america", _("Central America")
    CARIBBEAN = "caribbean", _("Caribbean")
    SOUTH_AMERICA = "south_america", _("South America")
    OTHER = "other", _("Other")


class RcmStatus(models.TextChoices):
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")
    NONE = "none", _("None")


class GcmVote(models.TextChoices):
    IN_FAVOUR = "in_favour", _("In favour")
    AGAINST = "against", _("Against")
    ABSTAINED = "abstained", _("Abstained")
    DID_NOT_VOTE = "did_not_vote", _("Did not vote")
    UNKNOWN = "unknown", _("Unknown")


class CountryQuerySet(models.QuerySet):
    def rcm(self):
        return self.exclude(rcm_status=RcmStatus.NONE)


class Country(ReferenceDataModel, TimeStampedModel):
    code = models.CharField(_("ISO 3166-1 alpha-2 code"), max_length=2, unique=True)
    alpha3 = models.CharField(_("ISO 3166-1 alpha-3 code"), max_length=3, unique=True)
    name = BilingualFields(models.CharField, max_length=100)
    subregion = models.CharField(_("subregion"), max_length=20, choices=Subregion, default=Subregion.OTHER)
    rcm_status = models.CharField(_("RCM status"), max_length=10, choices=RcmStatus, default=RcmStatus.NONE)
    is_gcm_champion = models.BooleanField(_("GCM champion country"), default=False)
    champion_since = models.PositiveSmallIntegerField(_("champion since (year)"), null=True, blank=True)
    gcm_vote = models.CharField(_("vote on A/RES/73/195"), max_length=15, choices=GcmVote, default=GcmVote.UNKNOWN)

    objects = CountryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name_en"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[A-Z]{2}$"), name="country_code_upper_alpha2"),
            models.CheckConstraint(condition=Q(alpha3__regex=r"^[A-Z]{3}$"), name="country_alpha3_upper"),
            models.CheckConstraint(
                condition=Q(champion_since__isnull=True) | Q(is_gcm_champion=True),
                name="country_champion_year_needs_champion",
            ),
        ]

    def __str__(self):
        return self.name


class FocalPointQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True)


class FocalPoint(TimeStampedModel):
    """A government official who reports for a country. Deactivate instead of deleting."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="focal_points",
        verbose_name=_("user"),
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="focal_points", verbose_name=_("country")
    )
    is_active = models.BooleanField(_("active"), default=True)
    role_title = models.CharField(_("position"), max_length=200, blank=True)

    objects = FocalPointQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")
        ordering = ["country__name_en", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "country"], name="focal_point_unique_user_country"),
        ]

    def __str__(self):
        return f"{self.user} – {self.country}"
