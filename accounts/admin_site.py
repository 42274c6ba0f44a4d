"""The admin belongs to the secretariat: the site itself refuses everyone else.

Installed through `SecretariatAdminConfig` (in INSTALLED_APPS instead of `django.contrib.admin`), so
`admin.site` everywhere is this site and every `@admin.register` lands on it.
"""

from functools import wraps

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.roles import is_secretariat


class SecretariatAdminSite(AdminSite):
    # The tracker's lists are wide (country, objectives, status, percent, due date, overdue…): give
    # them the whole width; the breadcrumbs and the index lead everywhere.
    enable_nav_sidebar = False

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
