"""The collaboration finder: similar actions of different countries, and the secretariat's "not related"."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from regional.forms import CollaborationFilterForm, NotRelatedForm
from regional.models import NotRelatedPair
from regional.similarity import DESCRIPTION_WEIGHT, MIN_SCORE, TITLE_WEIGHT, similar_groups, similar_pairs
from roadmaps.models import Action


def score_explanation():
    return {
        "title_weight": round(TITLE_WEIGHT * 100),
        "description_weight": round(DESCRIPTION_WEIGHT * 100),
        "min_score": round(MIN_SCORE * 100),
    }


def collaboration(request):
    form = CollaborationFilterForm(request.GET or None, initial={"min_score": round(MIN_SCORE * 100)})
    status = 200
    pairs = []
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        objective, country, min_score = data.get("objective"), data.get("country"), data.get("min_score")
        pairs = similar_pairs(
            request.user,
            objective_number=objective.number if objective else None,
            country_id=country.id if country else None,
            min_score=MIN_SCORE if min_score is None else min_score / 100,
        )
    else:
        status = 400
    context = {
        "form": form,
        "pairs": pairs,
        "groups": similar_groups(pairs),
        "may_mark": roles.is_secretariat(request.user),
        "next": request.get_full_path(),
        **score_explanation(),
    }
    return render(request, "regional/collaboration.html", context, status=status)


@require_POST
def mark_not_related(request):
    """The secretariat hides a pair from the collaboration finder (403 for everyone else)."""
    if not roles.is_secretariat(request.user):
        raise PermissionDenied(_("Only the secretariat can mark actions as not related."))
    form = NotRelatedForm(request.POST)
    if not form.is_valid():
        return render(request, "regional/not_related_error.html", {"form": form}, status=400)
    first_id, second_id = NotRelatedPair.ordered(form.cleaned_data["first"], form.cleaned_data["second"])
    found = Action.objects.filter(id__in=[first_id, second_id]).count()
    if found != 2:
        form.add_error(None, _("One of these actions does not exist."))
        return render(request, "regional/not_related_error.html", {"form": form}, status=400)
    try:
        with transaction.atomic():
            NotRelatedPair.objects.get_or_create(
                action_a_id=first_id, action_b_id=second_id, defaults={"marked_by": request.user}
            )
    except IntegrityError:  # marked at the same moment by someone else: the pair is hidden either way
        pass
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("regional:collaboration")
    messages.success(request, _("The pair is marked as not related and no longer shown."))
    return redirect(target)
