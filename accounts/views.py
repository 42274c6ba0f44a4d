"""Sign-in in the user's own language, and the profile page where that language is chosen."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import ratelimit, roles
from accounts.forms import ProfileForm
from accounts.language import CHOSEN_LANGUAGE_SESSION_KEY, chosen_language, url_in_language
from accounts.models import profile_for
from core.client_ip import client_address


def use_language(response, language: str):
    """Remember `language` for pages without a language prefix (/, the admin) and for this request."""
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, limited per client address and per e-mail address (PASSWORD_RESET_PER_ADDRESS,
    PASSWORD_RESET_PER_ACCOUNT per hour). Over a limit no mail goes out, and the answer is the same
    "sent" page: it tells neither whether the account exists nor whether a limit was reached."""

    def form_valid(self, form):
        address = client_address(self.request)
        email = form.cleaned_data["email"]
        per_address = ratelimit.hit(
            f"password-reset:address:{address}", limit=settings.PASSWORD_RESET_PER_ADDRESS, seconds=3600
        )
        per_account = ratelimit.hit(
            f"password-reset:account:{ratelimit.hashed(email)}",
            limit=settings.PASSWORD_RESET_PER_ACCOUNT,
            seconds=3600,
        )
        if per_address and per_account:
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


class SignInView(auth_views.LoginView):
    """Django's sign-in, then on to the page asked for, in the user's preferred language."""

    template_name = "accounts/login.html"

    def get_default_redirect_url(self):
        # Focal points to their workspace (LOGIN_REDIRECT_URL), the secretariat to the admin, others
        # (partners) to the regional dashboard.
        user = self.request.user
        if roles.is_focal_point(user):
            return super().get_default_redirect_url()
        if roles.is_secretariat(user):
            return resolve_url("admin:index")
        return resolve_url("regional:dashboard")

    def get_success_url(self):
        # Called after the user is signed in: /en/my/ becomes /es/my/ for a Spanish speaker.
        return url_in_language(super().get_success_url(), self._language())

    def _language(self) -> str:
        # A language chosen with the switch just before signing in wins over the profile's: the
        # person asked for it a moment ago.
        return chosen_language(self.request) or profile_for(self.request.user).preferred_language

    def form_valid(self, form):
        response = super().form_valid(form)
        return use_language(response, self._language())


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user_profile = profile_for(request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=user_profile)
        if form.is_valid():
            user_profile = form.save()
            language = user_profile.preferred_language
            translation.activate(language)
            messages.success(request, _("Your profile was saved."))
            request.session[CHOSEN_LANGUAGE_SESSION_KEY] = language
            response = redirect(url_in_language(reverse("accounts:profile"), language))
            return use_language(response, language)
        status = 400
    else:
        form = ProfileForm(instance=user_profile)
        status = 200
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "focal_countries": request.user.focal_points.filter(is_active=True).select_related("country")},
        status=status,
    )
