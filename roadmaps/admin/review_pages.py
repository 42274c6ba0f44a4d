"""The secretariat's review queue and the update entered on a country's behalf (admin pages).

The queue lists submitted updates, oldest first, each with what approval would change (the country's
state and the action's overall, by the approval's own rule: `roadmaps.services.approval_previews`) and
approve / return buttons that post to the update's review view. A reviewer never edits a report: a
correction is a return with a comment, or an update the secretariat enters for the country, marked
`on_behalf` (`progress_update_submit(on_behalf=True)`).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import update_change_reason

from core.errors import InvalidStateError
from countries.models import Country
from roadmaps.models import COMPLETED_MEANS_100_MESSAGE, Action, ActionStatus, ProgressUpdate
from roadmaps.services import approval_previews, progress_update_return, progress_update_submit, report_fields

QUEUE_PAGE_SIZE = 50


def queue_rows(updates) -> list[dict]:
    """One row per pending update: the update, its age in days and what approving it would do."""
    previews = approval_previews(updates)
    today = timezone.localdate()
    return [
        {
            "update": u,
            "age": (today - timezone.localdate(u.created_at)).days,
            "preview": previews[u.pk],
        }
        for u in updates
    ]


def queue_view(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    pending = (
        ProgressUpdate.objects.pending()
        .select_related("action", "action__roadmap", "country", "author")
        .order_by("created_at", "pk")
    )
    page = Paginator(pending, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Review queue"),
        "opts": model_admin.opts,
        "page": page,
        "rows": queue_rows(list(page.object_list)),
        "may_review": model_admin.has_change_permission(request),
        "on_behalf_url": reverse("admin:roadmaps_progressupdate_on_behalf"),
    }
    return TemplateResponse(request, "admin/roadmaps/progressupdate/review_queue.html", context)


class OnBehalfForm(forms.Form):
    """A report the secretariat enters for a responsible country; the same fields a focal point fills."""

    country = forms.ModelChoiceField(label=gettext_lazy("reporting country"), queryset=Country.objects.none())
    reporting_date = forms.DateField(
        label=gettext_lazy("reporting date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    status = forms.ChoiceField(label=gettext_lazy("status"), choices=ActionStatus.choices)
    percent_complete = forms.IntegerField(label=gettext_lazy("percent complete"), min_value=0, max_value=100)
    narrative = forms.CharField(label=gettext_lazy("narrative"), widget=forms.Textarea(attrs={"rows": 4}))
    challenges = forms.CharField(
        label=gettext_lazy("challenges"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    next_steps = forms.CharField(
        label=gettext_lazy("next steps"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    evidence_url = forms.URLField(
        label=gettext_lazy("evidence link"), required=False, max_length=500, assume_scheme="https"
    )
    source = forms.CharField(
        label=gettext_lazy("where the report comes from"),
        max_length=80,
        help_text=gettext_lazy("For example: e-mail of the focal point, 3 March. Kept in the update's history."),
    )

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = action.countries.order_by("code")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == ActionStatus.COMPLETED and cleaned.get("percent_complete") not in (None, 100):
            self.add_error("percent_complete", COMPLETED_MEANS_100_MESSAGE % {})
        return cleaned


def _initial(action: Action, replaced: ProgressUpdate | None) -> dict:
    if replaced is None:
        return {
            "reporting_date": timezone.localdate(),
            "status": action.status,
            "percent_complete": action.percent_complete,
        }
    fields = ["country", "reporting_date", "status", "percent_complete", "narrative", "challenges", "next_steps"]
    return {name: getattr(replaced, name) for name in fields} | {"evidence_url": replaced.evidence_url}


def on_behalf_view(model_admin, request):
    """`?action=<id>` (and `&replaces=<id>` of a pending update): enter a report for a country. With
    `replaces`, the pending update is returned in the same transaction, its comment naming the new one."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    action = get_object_or_404(Action.objects.select_related("roadmap"), pk=_int(request.GET.get("action")))
    replaced = None
    if request.GET.get("replaces"):
        replaced = get_object_or_404(ProgressUpdate.objects.pending(), pk=_int(request.GET["replaces"]), action=action)
    form = OnBehalfForm(request.POST or None, action=action, initial=_initial(action, replaced))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update = _enter(request.user, action, data, replaced)
        except (ValidationError, InvalidStateError) as error:
            messages_ = error.messages if isinstance(error, ValidationError) else [str(error)]
            form.add_error(None, " ".join(messages_))
        else:
            model_admin.message_user(
                request,
                _("Update entered on %(country)s's behalf; it waits for review in the queue.")
                % {"country": update.country.name},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:roadmaps_progressupdate_queue"))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Enter an update on a country's behalf"),
        "opts": model_admin.opts,
        "action": action,
        "replaced": replaced,
        "form": form,
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(request, "admin/roadmaps/progressupdate/on_behalf.html", context)


@transaction.atomic
def _enter(user, action, data, replaced):
    update = progress_update_submit(
        action=action,
        country=data["country"],
        author=user,
        **report_fields(data),
        on_behalf=True,
    )
    update_change_reason(update, (_("Entered on the country's behalf: %(source)s") % {"source": data["source"]})[:100])
    if replaced is not None:
        comment = _("Replaced by update %(id)s, entered by the secretariat on the country's behalf.") % {
            "id": update.pk
        }
        returned = progress_update_return(update=replaced, reviewer=user, comment=comment)
        update_change_reason(returned, comment[:100])
    return update


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def next_after_review(request, update) -> str:
    """Where the review form goes back to: the queue when sent from it, else the update's page."""
    if request.POST.get("next") == "queue":
        return reverse("admin:roadmaps_progressupdate_queue")
    return reverse("admin:roadmaps_progressupdate_change", args=[update.pk])
