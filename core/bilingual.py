"""Bilingual text: each translatable field is stored as `<name>_en` and `<name>_es`.

`Bilingual("title")` on a model gives `obj.title`: the active language's value, falling back to the
other language when that one is empty, so a missing translation never shows as a blank.
`title = BilingualFields(models.CharField, max_length=200)` declares the pair and that descriptor at once.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

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


# The labels of each pair, whole (a translator sees "title (English)", not a sentence built of parts).
LABELS = {
    "acronym": (_("acronym (English)"), _("acronym (Spanish)")),
    "country name": (_("country name (English)"), _("country name (Spanish)")),
    "definition": (_("definition (English)"), _("definition (Spanish)")),
    "description": (_("description (English)"), _("description (Spanish)")),
    "name": (_("name (English)"), _("name (Spanish)")),
    "note": (_("note (English)"), _("note (Spanish)")),
    "roadmap title": (_("roadmap title (English)"), _("roadmap title (Spanish)")),
    "short title": (_("short title (English)"), _("short title (Spanish)")),
    "summary": (_("summary (English)"), _("summary (Spanish)")),
    "title": (_("title (English)"), _("title (Spanish)")),
}


class BilingualFields:
    """`title = BilingualFields(models.CharField, max_length=200)` on a model declares `title_en` and
    `title_es` (the same field twice, labelled from `LABELS` by `label`, default the name) and `title`,
    the `Bilingual` value. `es` overrides options of the Spanish field only (e.g. `{"blank": True}`).
    The fields are made here, in the class body, so they keep their place among the model's fields."""

    def __init__(self, field_class, *, label: str | None = None, es: dict | None = None, **options):
        self.label = label
        self.english = field_class(**options)
        self.spanish = field_class(**{**options, **(es or {})})

    def contribute_to_class(self, cls, name):
        for field, label in zip(
            (self.english, self.spanish), LABELS[self.label or name.replace("_", " ")], strict=True
        ):
            field.verbose_name = field._verbose_name = label  # (_verbose_name: what migrations see)
        cls.add_to_class(f"{name}_en", self.english)
        cls.add_to_class(f"{name}_es", self.spanish)
        descriptor = Bilingual(name)
        descriptor.__set_name__(cls, name)
        setattr(cls, name, descriptor)


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
