"""factory_boy factories for the domain. Reference rows (objectives, countries) are created on demand
with stable natural keys so tests can also run against a database holding the official data."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from countries.models import Country, FocalPoint, RcmStatus
from gcm.models import Forum, GuidingPrinciple, Objective, Organization
from roadmaps.models import (
    Action,
    ActionStatus,
    CountryProgress,
    ProgressUpdate,
    ReviewState,
    Roadmap,
    RoadmapStatus,
    Theme,
    Visibility,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "pass-1234-word")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


_COUNTRY_NAMES = {
    "SV": ("SLV", "El Salvador", "El Salvador"),
    "GT": ("GTM", "Guatemala", "Guatemala"),
    "HN": ("HND", "Honduras", "Honduras"),
    "CR": ("CRI", "Costa Rica", "Costa Rica"),
    "MX": ("MEX", "Mexico", "México"),
    "PA": ("PAN", "Panama", "Panamá"),
    "CA": ("CAN", "Canada", "Canadá"),
    "US": ("USA", "United States", "Estados Unidos"),
    "BZ": ("BLZ", "Belize", "Belice"),
    "DO": ("DOM", "Dominican Republic", "República Dominicana"),
    "NI": ("NIC", "Nicaragua", "Nicaragua"),
    "CO": ("COL", "Colombia", "Colombia"),
    "EC": ("ECU", "Ecuador", "Ecuador"),
    "PE": ("PER", "Peru", "Perú"),
}


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = factory.Iterator(list(_COUNTRY_NAMES))
    alpha3 = factory.LazyAttribute(lambda c: _COUNTRY_NAMES.get(c.code, (c.code + "X",))[0])
    name_en = factory.LazyAttribute(lambda c: _COUNTRY_NAMES.get(c.code, ("", c.code))[1])
    name_es = factory.LazyAttribute(lambda c: _COUNTRY_NAMES.get(c.code, ("", c.code, c.code))[2])
    rcm_status = RcmStatus.MEMBER


class FocalPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocalPoint

    user = factory.SubFactory(UserFactory)
    country = factory.SubFactory(CountryFactory)
    is_active = True


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: n % 23 + 1)
    title_en = factory.LazyAttribute(lambda o: f"Objective {o.number} (English)")
    title_es = factory.LazyAttribute(lambda o: f"Objetivo {o.number} (español)")


class PrincipleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuidingPrinciple
        django_get_or_create = ("letter",)

    letter = factory.Iterator("abcdefghij")
    code = factory.LazyAttribute(lambda p: f"principle-{p.letter}")
    name_en = factory.LazyAttribute(lambda p: f"Principle {p.letter}")
    name_es = factory.LazyAttribute(lambda p: f"Principio {p.letter}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"org{n}")
    name_en = factory.LazyAttribute(lambda o: f"Organisation {o.key}")
    name_es = factory.LazyAttribute(lambda o: f"Organización {o.key}")
    acronym_en = factory.LazyAttribute(lambda o: o.key.upper())
    acronym_es = factory.LazyAttribute(lambda o: o.key.upper())


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"forum-{n}")
    name_en = "II Regional Forum of Champion Countries of the Americas"
    name_es = "II Foro Regional de Países Campeones de las Américas"
    start_date = datetime.date(2024, 9, 25)
    end_date = datetime.date(2024, 9, 26)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    slug = factory.Sequence(lambda n: f"theme-{n}")
    title_en = factory.Sequence(lambda n: f"Theme {n}")
    title_es = factory.Sequence(lambda n: f"Tema {n}")


class RoadmapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Roadmap
        skip_postgeneration_save = True

    title_en = factory.Sequence(lambda n: f"Roadmap {n}")
    title_es = factory.Sequence(lambda n: f"Hoja de ruta {n}")
    slug = factory.Sequence(lambda n: f"roadmap-{n}")
    theme = factory.SubFactory(ThemeFactory)
    lead_country = factory.SubFactory(CountryFactory, code="SV")
    start_date = datetime.date(2025, 1, 1)
    end_date = datetime.date(2027, 12, 31)
    status = RoadmapStatus.ACTIVE
    visibility = Visibility.PUBLIC

    @factory.post_generation
    def objectives(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.objectives.set(extracted)

    @factory.post_generation
    def countries(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.countries.set(extracted)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    roadmap = factory.SubFactory(RoadmapFactory)
    code = factory.Sequence(lambda n: f"A{n}")
    title_en = factory.Sequence(lambda n: f"Action {n}")
    title_es = factory.Sequence(lambda n: f"Acción {n}")
    start_date = datetime.date(2025, 1, 1)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))
    status = ActionStatus.NOT_STARTED
    percent_complete = 0

    @factory.post_generation
    def countries(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.countries.set(extracted)
            # As the secretariat's values do (services.action_progress_set_baseline): every responsible
            # country starts at the action's status and percent until it has an approved report.
            CountryProgress.objects.filter(action=obj).update(status=obj.status, percent_complete=obj.percent_complete)
            # As the secretariat's values do (services.action_progress_set_baseline): every responsible
            # country starts at the action's status and percent until it has an approved report.
            CountryProgress.objects.filter(action=obj).update(status=obj.status, percent_complete=obj.percent_complete)

    @factory.post_generation
    def objectives(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.objectives.set(extracted)


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    """Creates rows directly (no service): for arranging state. Tests of behaviour use the services."""

    class Meta:
        model = ProgressUpdate

    action = factory.SubFactory(ActionFactory)
    country = factory.SubFactory(CountryFactory, code="SV")
    author = factory.SubFactory(UserFactory)
    status = ActionStatus.ON_TRACK
    percent_complete = 40
    narrative = "Work is under way."
    review_state = ReviewState.SUBMITTED
