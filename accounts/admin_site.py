"""The admin belongs to the secretariat: the site itself refuses everyone else.

Installed through `SecretariatAdminConfig` (in INSTALLED_APPS instead of `django.contrib.admin`), so
`admin.site` everywhere is this site and every `@admin.register` lands on it.
"""

from functools import wraps

from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import CharField, TextField
from django.urls import reverse

import config.search  # noqa: F401  (registers the `folded` lookup)
from accounts.roles import is_secretariat


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
            return inner(request, *args, **kwargs)

        return guarded


class SecretariatAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.SecretariatAdminSite"
