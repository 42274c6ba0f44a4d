"""Bilingual text: each translatable field is stored as `<name>_en` and `<name>_es`.

`Bilingual("title")` on a model gives `obj.title`: the active language's value, falling back to the
other language when that one is empty, so a missing translation never shows as a blank.
"""

from django.db import models
from django.utils.translation import get_language

LANGUAGE_CODES = ("en", "es")


def active_language() -> str:
    code = (get_language() or "en")[:2]
    return code if code in LANGUAGE_CODES else "en"


def pick(values: dict[str, str], language: str | None = None) -> str:
    """The value for `language` (default: the active one), else the first non-empty other."""
    language = language or active_language()
    preferred = values.get(language) or ""
    if preferred:
        return preferred
    for code in LANGUAGE_CODES:
        if values.get(code):
            return values[code]
    return ""


class Bilingual:
    """Descriptor: `title = Bilingual("title")` reads `title_en` / `title_es`."""

    def __init__(self, base: str):
        self.base = base

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return pick({code: getattr(instance, f"{self.base}_{code}", "") for code in LANGUAGE_CODES})


def localized_expression(base: str):
    """An SQL expression with the same fallback, for ordering and `values()` queries."""
    from django.db.models.functions import Coalesce, NullIf

    first, second = ("es", "en") if active_language() == "es" else ("en", "es")
    return Coalesce(
        NullIf(models.F(f"{base}_{first}"), models.Value("")),
        models.F(f"{base}_{second}"),
        output_field=models.TextField(),
    )


def localized_sql(alias: str, base: str) -> str:
    """The same fallback in hand-written SQL: `alias`'s column in the active language, else the other."""
    first, second = ("es", "en") if active_language() == "es" else ("en", "es")
    return f"COALESCE(NULLIF({alias}.{base}_{first}, ''), {alias}.{base}_{second})"
