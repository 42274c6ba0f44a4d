"""The focal point's pages: thin views over the selectors, the forms and `roadmaps.services`."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from accounts import roles
from core.errors import ConflictError
from core.paging import page_and_query
from roadmaps.models import Action, ProgressUpdate
from roadmaps.services import REPORT_FIELDS, progress_update_submit, report_fields, reporting_countries
from roadmaps.uploads import CONTENT_TYPES, file_type, name_for_type
from workspace import selectors
from workspace.forms import ProgressReportForm, SpreadsheetUploadForm, WorkspaceFilterForm
from workspace.spreadsheet import SpreadsheetError, build_template, import_updates

PAGE_SIZE = 50
# The updates awaiting review and returned, and a cycle's missing reports: the first LIST_LIMIT of each
# (with how many there are), so /my/ stays one screenful for a focal point of many actions.
LIST_LIMIT = 20


def _first(rows, limit=LIST_LIMIT):
    """(the first `limit` rows, how many there are in all): counted only when there are more."""
    head = list(rows[: limit + 1])
    if len(head) <= limit:
        return head, len(head)
    return head[:limit], len(rows) if isinstance(rows, list) else rows.count()


# Service field names that are also form fields; anything else is shown above the form.
FORM_FIELDS = {"status", "percent_complete", "narrative", "challenges", "next_steps", "evidence_url", "evidence_file"}


def forbidden(request, message: str):
    """A clear refusal page (never a silent no-op)."""
    return render(request, "403.html", {"message": message}, status=403)


def _not_focal_point_message():
    return _("Only country focal points report progress here. Ask the secretariat if you should be one.")


def _lists(user) -> dict:
    pending, pending_total = _first(selectors.my_pending_updates(user=user))
    returned, returned_total = _first(selectors.my_open_returned_updates(user=user))
    todo = []
    for item in selectors.my_cycle_todo(user=user):
        missing, missing_total = _first(item["missing"])
        todo.append({**item, "missing": missing, "missing_total": missing_total})
    return {
        "pending_updates": pending,
        "pending_total": pending_total,
        "returned_updates": returned,
        "returned_total": returned_total,
        "cycle_todo": todo,
        "list_limit": LIST_LIMIT,
    }


@login_required
@require_safe
def home(request):
    user = request.user
    filters = WorkspaceFilterForm(request.GET or None, roadmaps=selectors.my_roadmaps(user=user))
    criteria = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    actions = selectors.my_actions(
        user=user,
        roadmap=criteria.get("roadmap"),
        objective=criteria.get("objective"),
        status=criteria.get("status") or "",
    )
    page, query = page_and_query(request, actions, PAGE_SIZE)
    return render(
        request,
        "workspace/home.html",
        {
            "is_focal": roles.is_focal_point(user),
            "filters": filters,
            "page_obj": page,
            "actions": page.object_list,
            "filter_query": query,
            **_lists(user),
        },
    )


def _add_service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for message in errors:
                form.add_error(field if field in FORM_FIELDS and field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _answer_id(request):
    try:
        return int(request.GET.get("answer", ""))
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk):
    action = get_object_or_404(Action.objects.select_related("roadmap"), pk=pk)
    user = request.user
    countries = reporting_countries(user=user, action=action)
    if not countries:
        # An action the user may not see answers as a missing one: the address tells nothing.
        if not Action.objects.visible_to(user).filter(pk=action.pk).exists():
            raise Http404(_("There is no such action."))
        if roles.is_focal_point(user):
            return forbidden(
                request,
                _("No country you serve as focal point is responsible for this action, so you cannot report on it."),
            )
        return forbidden(request, _not_focal_point_message())

    indicators = list(action.indicators.all())
    answer_id = _answer_id(request)
    returned = selectors.open_returned_update(user=user, action=action, update_id=answer_id)
    conflict = None
    status = 200
    if request.method == "POST":
        form = ProgressReportForm(request.POST, request.FILES, countries=countries, indicators=indicators)
        if form.is_valid():
            data = form.cleaned_data
            try:
                progress_update_submit(
                    action=action,
                    country=form.chosen_country(),
                    author=user,
                    **report_fields(data),
                    evidence_file=data["evidence_file"],
                    expected_version=data["version"],
                    cycle=data["cycle"],
                    indicator_values=form.indicator_values,
                )
            except ConflictError as exc:
                conflict = exc.current
                # Keep what the user wrote, but against the current version: a deliberate second
                # submission (after reading the current values) goes through.
                initial = {k: v for k, v in data.items() if k != "evidence_file"}
                initial["version"] = conflict.version
                form = ProgressReportForm(initial=initial, countries=countries, indicators=indicators)
                status = 409
            except ValidationError as exc:
                _add_service_errors(form, exc)
                status = 400
            except PermissionDenied as exc:
                return forbidden(request, str(exc))
            else:
                messages.success(
                    request,
                    _("Your update on action %(code)s was sent. It awaits review by the secretariat.")
                    % {"code": action.code},
                )
                return redirect("workspace:home")
        else:
            status = 400
    else:
        # Start from the reporting country's own state (the first one, when the user serves several).
        own = action.country_progress.filter(country_id=countries[0].id).first()
        start = own or action
        initial = {"status": start.status, "percent_complete": start.percent_complete, "version": action.version}
        if returned is not None:
            # Answering a returned update: start from what was sent, to correct it.
            initial.update({name: getattr(returned, name) for name in REPORT_FIELDS}, country=returned.country_id)
        form = ProgressReportForm(initial=initial, countries=countries, indicators=indicators)

    current = conflict or action
    return render(
        request,
        "workspace/report.html",
        {
            "action": action,
            "current": current,
            "conflict": conflict,
            "form": form,
            "returned": returned,
            "answer_id": returned.pk if returned else None,
            "latest_updates": selectors.latest_updates(user=user, action=action),
        },
        status=status,
    )


@require_safe
def evidence(request, pk):
    """Streams an evidence file to those who may read its update, under a safe file name."""
    # A hidden update answers exactly as a missing one (sign-in for visitors, 404 for the signed-in),
    # so the address cannot be used to learn which updates exist.
    update = ProgressUpdate.objects.visible_to(request.user).filter(pk=pk).first()
    if update is None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404(_("This update has no evidence file."))
    if not update.evidence_file:
        raise Http404(_("This update has no evidence file."))
    try:
        handle = update.evidence_file.open("rb")
    except FileNotFoundError:
        raise Http404(_("This update has no evidence file.")) from None
    # The type comes from the bytes (as on upload), never from the stored name, and so does the
    # extension: a PDF stored as `x.html` is downloaded as `x.pdf`.
    kind = file_type(handle)
    content_type = CONTENT_TYPES.get(kind, "application/octet-stream")
    filename = name_for_type(get_valid_filename(Path(update.evidence_file.name).name) or "evidence", kind)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    if not roles.is_focal_point(request.user):
        return forbidden(request, _not_focal_point_message())
    errors = []
    status = 200
    if request.method == "POST":
        form = SpreadsheetUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                updates = import_updates(user=request.user, file=form.cleaned_data["file"])
            except SpreadsheetError as exc:
                errors = exc.errors
                status = 400
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s update was sent. It awaits review by the secretariat.",
                        "%(count)s updates were sent. They await review by the secretariat.",
                        len(updates),
                    )
                    % {"count": len(updates)},
                )
                return redirect("workspace:home")
        else:
            status = 400
    else:
        form = SpreadsheetUploadForm()
    return render(request, "workspace/upload.html", {"form": form, "errors": errors}, status=status)


@login_required
@require_safe
def upload_template(request):
    if not roles.is_focal_point(request.user):
        return forbidden(request, _not_focal_point_message())
    response = HttpResponse(
        build_template(user=request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="progress-updates-template.xlsx"'
    return response
