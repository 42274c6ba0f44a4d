"""The language switch, and the one rule for "this page in another language".

Django's `set_language` translates `next` with `translate_url`, which resolves the path in the
language active for the request. /i18n/setlang/ has no prefix, so that language comes from the
cookie or the browser's Accept-Language, and `/en/roadmaps/` does not resolve when it is Spanish: the
switch then silently sends the user back to the page they left. Our pages are the same path under
each language prefix, so swapping the prefix is the whole rule, and it also holds for a 404 page.
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.utils.translation import get_language_from_path
from django.views.i18n import set_language

# Set in the session by the switch: the language this browser chose by hand. Sign-in keeps it rather
# than the profile's (Django's `login` keeps the session's data when it renews the key).
CHOSEN_LANGUAGE_SESSION_KEY = "chosen_language"


def url_in_language(url: str, language: str) -> str:
    """`url` in `language`: `/en/roadmaps/?q=x` → `/es/roadmaps/?q=x`. Unprefixed URLs (the admin,
    the API) are the same in every language (the cookie decides) and come back unchanged."""
    parts = urlsplit(url)
    current = get_language_from_path(parts.path)
    if not current:
        return url
    rest = parts.path[len(current) + 1 :]  # "/en/roadmaps/" → "/roadmaps/"
    return urlunsplit(parts._replace(path=f"/{language}{rest}"))


def chosen_language(request) -> str | None:
    """The language this browser chose with the switch, if it did (and it is still offered)."""
    language = request.session.get(CHOSEN_LANGUAGE_SESSION_KEY)
    return language if language in dict(settings.LANGUAGES) else None


def switch_language(request):
    """Django's `set_language` (the cookie, the check that `next` is ours, GET changing nothing), with
    `next` (or, without one, the page the form was on) put in the chosen language first."""
    if request.method != "POST":
        return set_language(request)
    language = request.POST.get("language", "")
    request.POST = request.POST.copy()
    if language in dict(settings.LANGUAGES):
        next_url = request.POST.get("next") or request.META.get("HTTP_REFERER", "")
        if next_url:
            request.POST["next"] = url_in_language(next_url, language)
        request.session[CHOSEN_LANGUAGE_SESSION_KEY] = language
    else:
        # Django knows French and a hundred more; this site offers only its LANGUAGES.
        request.POST.pop("language", None)
    return set_language(request)
