"""HTML forms: they translate input and messages; the rules live in `practices.services`."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts import roles
from core.bilingual import active_language
from countries.models import Country
from gcm.models import GuidingPrinciple, Objective, Organization
from practices.models import GoodPractice, PracticeAttachment
from practices.services import STORY_FIELDS
from roadmaps.models import Action, Theme
from roadmaps.uploads import ALLOWED_TYPES_LABEL, validate_evidence_file

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PracticeForm(forms.ModelForm):
    attachment = forms.FileField(
        label=_("Add a file"),
        required=False,
        validators=[validate_evidence_file],
    )
    attachment_description = forms.CharField(label=_("Description of the file"), max_length=200, required=False)
    remove_attachments = forms.ModelMultipleChoiceField(
        label=_("Remove these files"),
        queryset=PracticeAttachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = GoodPractice
        fields = [
            "title_es",
            "title_en",
            "summary_es",
            "summary_en",
            "countries",
            "objectives",
            "principles",
            "actions",
            "partners",
            "start_date",
            "end_date",
            "language",
            *STORY_FIELDS,
        ]
        widgets = {
            "countries": forms.CheckboxSelectMultiple,
            "objectives": forms.CheckboxSelectMultiple,
            "principles": forms.CheckboxSelectMultiple,
            "partners": forms.CheckboxSelectMultiple,
            "actions": forms.SelectMultiple(attrs={"size": 8}),
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "summary_es": forms.Textarea(attrs={"rows": 4}),
            "summary_en": forms.Textarea(attrs={"rows": 4}),
            "links": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        current_ids = set(self.instance.countries.values_list("id", flat=True)) if self.instance.pk else set()
        offered = Country.objects.filter(id__in=roles.focal_country_ids(user) | current_ids).order_by("name_en")
        # Validation accepts any country so that a country the user may not add reaches the service and
        # is refused there (403) rather than silently dropped; the boxes offered are theirs and the
        # practice's own.
        countries = self.fields["countries"]
        countries.queryset = Country.objects.all()
        countries.widget.choices = [(country.pk, country.name) for country in offered]
        countries.help_text = _("Your countries, and any other country already sharing this practice.")
        self.fields["objectives"].queryset = Objective.objects.order_by("number")
        self.fields["principles"].queryset = GuidingPrinciple.objects.order_by("letter")
        self.fields["partners"].queryset = Organization.objects.order_by("acronym_en")
        # The actions of the user's countries (and those already chosen), not every visible action: the
        # list stays short, and a practice comes from its own countries' work.
        current_actions = set(self.instance.actions.values_list("id", flat=True)) if self.instance.pk else set()
        own_actions = Action.countries.through.objects.filter(country_id__in=roles.focal_country_ids(user))
        actions = self.fields["actions"]
        actions.queryset = (
            Action.objects.visible_to(user)
            .filter(Q(id__in=own_actions.values("action_id")) | Q(id__in=current_actions))
            .select_related("roadmap")
            .order_by("roadmap__title_en", "code")
        )
        actions.label_from_instance = lambda action: f"{action.roadmap.title} · {action.code} {action.title}"
        self.fields["actions"].help_text = _("Optional: the roadmap actions this practice came from.")
        if self.instance.pk:
            self.fields["remove_attachments"].queryset = self.instance.attachments.all()
        else:
            del self.fields["remove_attachments"]
            self.initial.setdefault("language", active_language())
        self.fields["attachment"].help_text = _("Optional. Accepted: %(types)s.") % {"types": ALLOWED_TYPES_LABEL}
        self.fields["title_es"].help_text = _("A title in Spanish or in English is required; both are best.")

    def service_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}


class CatalogueFilterForm(forms.Form):
    """The catalogue's search and filters (GET). Unknown values are field errors, never a 500."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    objective = forms.ModelChoiceField(
        label=pgettext_lazy("filter label", "GCM objective"),
        queryset=Objective.objects.order_by("number"),
        to_field_name="number",
        required=False,
    )
    principle = forms.ModelChoiceField(
        label=_("Guiding principle"),
        queryset=GuidingPrinciple.objects.order_by("letter"),
        to_field_name="code",
        required=False,
    )
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.filter(good_practices__status="published").distinct().order_by("name_en"),
        to_field_name="code",
        required=False,
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.order_by("title_en"), to_field_name="slug", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The same word as the other pages' filters (docs/glossary.md), not Django's "---------".
        for name in ("objective", "principle", "country", "theme"):
            self.fields[name].empty_label = _("Any")

    def filters(self) -> dict:
        # Only the valid fields are in cleaned_data: a bad value shows its error and is not applied.
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class ReturnForm(forms.Form):
    review_comment = forms.CharField(
        label=_("Why is it returned?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The focal points read this comment."),
    )
