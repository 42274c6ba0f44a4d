"""Thin HTML views: the catalogue, a practice's page, the focal points' form, downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import roles
from core.errors import InvalidStateError
from core.paging import page_and_query
from practices import export, selectors, services
from practices.forms import CatalogueFilterForm, PracticeForm
from practices.models import GoodPractice, PracticeAttachment

PAGE_SIZE = 20


def refused(request, error, status=403):
    """A clear refusal page (never a silent no-op)."""
    message = error.args[0] if getattr(error, "args", None) else str(error)
    return render(request, "practices/refused.html", {"message": message}, status=status)


def _refused_or_back(request, practice, error):
    """A refusal (403 page), or a decision the practice's state does not allow (back to it, said why)."""
    if isinstance(error, PermissionDenied):
        return refused(request, error)
    messages.error(request, str(error))
    return redirect(practice)


@require_GET
def catalogue(request):
    form = CatalogueFilterForm(request.GET or None)
    practices = selectors.catalogue(request.user, **form.filters())
    page, query = page_and_query(request, practices, PAGE_SIZE)
    return render(
        request, "practices/catalogue.html", {"form": form, "page": page, "query": query, "export_query": query}
    )


@require_GET
def detail(request, pk):
    practices = selectors.with_page_relations(GoodPractice.objects.visible_to(request.user), request.user)
    practice = get_object_or_404(practices, pk=pk)
    return render(
        request,
        "practices/detail.html",
        {"practice": practice, "may_edit": services.may_edit(user=request.user, practice=practice)},
    )


@login_required
@require_GET
def mine(request):
    """A focal point's practices: every status, for each of their countries."""
    if not roles.is_focal_point(request.user):
        return refused(request, PermissionDenied(_("This page is for country focal points.")))
    practices = (
        GoodPractice.objects.visible_to(request.user)
        .filter(countries__in=roles.focal_country_ids(request.user))
        .distinct()
        .prefetch_related("countries")
        .order_by("-updated_at", "-id")
    )
    page = Paginator(practices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "practices/mine.html", {"practices": page.object_list, "page": page, "query": ""})


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def edit(request, pk=None):
    """New practice (no pk) or changes to a draft / returned one. "Submit" saves, then submits."""
    practice = None
    if pk is not None:
        practice = get_object_or_404(GoodPractice.objects.visible_to(request.user), pk=pk)
        if not services.may_edit(user=request.user, practice=practice):
            if not practice.is_editable:
                messages.error(request, _("This practice is no longer a draft; it cannot be changed here."))
                return redirect(practice)
            return refused(request, PermissionDenied(_("You are not a focal point of this practice's countries.")))
    elif not roles.is_focal_point(request.user):
        return refused(request, PermissionDenied(_("Only country focal points share good practices from this page.")))

    form = PracticeForm(request.POST or None, request.FILES or None, instance=practice, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                practice = services.practice_save_draft(
                    user=request.user,
                    practice=practice,
                    values=form.service_values(),
                    new_attachments=[form.cleaned_data.get("attachment")],
                    attachment_description=form.cleaned_data.get("attachment_description", ""),
                    remove_attachment_ids=[a.id for a in form.cleaned_data.get("remove_attachments") or ()],
                )
            except (PermissionDenied, InvalidStateError) as error:
                return _refused_or_back(request, practice, error)
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                if "submit" not in request.POST:
                    messages.success(request, _("Draft saved."))
                    return redirect("practices:edit", pk=practice.pk)
                try:
                    services.practice_submit(practice=practice, user=request.user)
                except ValidationError as error:
                    # The draft is saved; say what the submission still needs, on the fields.
                    messages.warning(request, _("Draft saved, but not submitted yet: complete the fields marked."))
                    form = PracticeForm(request.POST, instance=practice, user=request.user)
                    form.is_valid()
                    _add_service_errors(form, error)
                else:
                    messages.success(request, _("Practice submitted. The secretariat will review it."))
                    return redirect(practice)
    return render(request, "practices/form.html", {"form": form, "practice": practice}, status=status)


@login_required
@require_POST
def submit(request, pk):
    practice = get_object_or_404(GoodPractice.objects.visible_to(request.user), pk=pk)
    try:
        services.practice_submit(practice=practice, user=request.user)
    except (PermissionDenied, InvalidStateError) as error:
        return _refused_or_back(request, practice, error)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("practices:edit", pk=practice.pk)
    messages.success(request, _("Practice submitted. The secretariat will review it."))
    return redirect(practice)


@require_GET
def attachment(request, pk):
    """Files are private: served only when the practice is visible to the reader."""
    item = get_object_or_404(
        PracticeAttachment.objects.filter(practice__in=GoodPractice.objects.visible_to(request.user)), pk=pk
    )
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("This file is missing.")) from None
    return FileResponse(handle, as_attachment=True, filename=item.filename)


def _export_rows(request):
    form = CatalogueFilterForm(request.GET or None)
    return selectors.catalogue_export(request.user, **form.filters())


def _page_url(request):
    return lambda practice: request.build_absolute_uri(practice.get_absolute_url())


@require_GET
def export_xlsx(request):
    content = export.to_xlsx(_export_rows(request), page_url=_page_url(request))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="good-practices.xlsx"'
    return response


@require_GET
def export_csv(request):
    response = HttpResponse(export.to_csv(_export_rows(request), page_url=_page_url(request)), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="good-practices.csv"'
    return response
