from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.language import switch_language
from ops.views import healthz

admin.site.site_header = _("GCM Roadmap Tracker – Secretariat")
admin.site.site_title = _("GCM Roadmap Tracker")
admin.site.index_title = _("Administration")

# Not language-prefixed: the admin, the API (language from Accept-Language) and the language switch.
urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("i18n/setlang/", switch_language, name="set_language"),
    path("healthz", healthz, name="healthz"),
]

# The pages people read: /en/… and /es/….
urlpatterns += i18n_patterns(
    path("accounts/", include("accounts.urls")),
    path("practices/", include("practices.urls")),
    path("", include("workspace.urls")),
    path("", include("regional.urls")),
)

# JSON under /api/, pages in the site's design elsewhere (config/error_views.py).
handler400 = "config.error_views.bad_request"
handler403 = "config.error_views.permission_denied"
handler404 = "config.error_views.page_not_found"
