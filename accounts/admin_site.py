"""The admin belongs to the secretariat: the site itself refuses everyone else.

Installed through `SecretariatAdminConfig` (in INSTALLED_APPS instead of `django.contrib.admin`), so
`admin.site` everywhere is this site and every `@admin.register` lands on it.
"""

from functools import wraps

from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import CharField, TextField
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

import core.search  # noqa: F401  (registers the `folded` lookup)
from accounts.roles import is_secretariat
from core import params

# Date-hierarchy parameters and their bounds: Django builds a `datetime` from them, and a year of
# 10¹² is an OverflowError (a 500) that the changelist does not catch.
DATE_PARTS = {"__year": (1, 9999), "__month": (1, 12), "__day": (1, 31)}


def bad_filter_parameter(query) -> str | None:
    """The first query parameter the admin's lists and exports cannot take, or None.

    The changelist turns most bad lookups into its own "invalid filters" answer, but a NUL in any
    value reaches PostgreSQL (which raises) and a date part out of range reaches `datetime()`.
    """
    for name, values in query.lists():
        if params.has_control_character(name) or any(params.has_control_character(v) for v in values):
            return name
        for suffix, (low, high) in DATE_PARTS.items():
            if name.endswith(suffix):
                try:
                    for value in values:
                        params.parse_number(value, name=name, minimum=low, maximum=high)
                except ValidationError:
                    return name
    return None


def folded_search_field(model, name: str) -> str:
    """`title_en` → `title_en__folded` for a text field; exact (`=`), prefix (`^`) and full-text (`@`)
    searches, lookups already given and other fields stay as they are."""
    if name[:1] in "^=@":
        return name
    try:
        field = get_fields_from_path(model, name)[-1]
    except (FieldDoesNotExist, NotRelationField):
        return name
    return f"{name}__folded" if isinstance(field, CharField | TextField) else name


class FoldedSearchMixin:
    """The admin's search box ignores case, accents and Unicode form, like the pages and the API."""

    def get_search_fields(self, request):
        return [folded_search_field(self.model, str(name)) for name in super().get_search_fields(request)]


class SecretariatAdminSite(AdminSite):
    # The tracker's lists are wide (country, objectives, status, percent, due date, overdue…): give
    # them the whole width; the breadcrumbs and the index lead everywhere.
    enable_nav_sidebar = False

    def register(self, model_or_iterable, admin_class=None, **options):
        # Every list, ours and the libraries' (users, history, tokens), gets the folded search here,
        # in one place, rather than a mixin each admin class could forget.
        admin_class = admin_class or ModelAdmin
        if not issubclass(admin_class, FoldedSearchMixin):
            admin_class = type(
                admin_class.__name__, (FoldedSearchMixin, admin_class), {"__module__": admin_class.__module__}
            )
        return super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request):
        # Staff alone is not enough: only the Secretariat group (or a superuser) runs the tracker.
        return is_secretariat(request.user)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def guarded(request, *args, **kwargs):
            user = request.user
            # A signed-in staff member outside the group is refused outright (403) rather than sent
            # to a login form they already passed; everyone else not allowed goes to the login.
            refused = user.is_authenticated and user.is_active and user.is_staff and not self.has_permission(request)
            if refused and request.path != reverse("admin:logout", current_app=self.name):
                raise PermissionDenied
            bad = bad_filter_parameter(request.GET) if self.has_permission(request) else None
            if bad is not None:
                return self.invalid_filter(request, bad)
            return inner(request, *args, **kwargs)

        return guarded

    def login(self, request, extra_context=None):
        # Django's sign-in falls back to LOGIN_REDIRECT_URL (the focal points' workspace) when `next`
        # is not a safe address: the admin's sign-in lands in the admin instead.
        index = reverse("admin:index", current_app=self.name)
        for name in ("GET", "POST"):
            query = getattr(request, name)
            target = query.get(REDIRECT_FIELD_NAME)
            if target and not url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                query = query.copy()
                query[REDIRECT_FIELD_NAME] = index
                setattr(request, name, query)
        return super().login(request, extra_context)

    def invalid_filter(self, request, name):
        """A page that names the filter and leads back to the unfiltered list (400; nothing exported)."""
        context = {
            **self.each_context(request),
            "title": _("These filters are not valid"),
            "parameter": name,
            "back_url": self._list_url(request),
        }
        return TemplateResponse(request, "admin/invalid_filter.html", context, status=400)

    def _list_url(self, request):
        # The changelist of the model whose list or export was asked for (`<app>_<model>_<view>`).
        match = request.resolver_match
        parts = (match.url_name or "").split("_") if match else []
        if len(parts) >= 3:
            try:
                return reverse(f"{self.name}:{parts[0]}_{parts[1]}_changelist")
            except NoReverseMatch:
                pass
        return request.path


class SecretariatAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.SecretariatAdminSite"
