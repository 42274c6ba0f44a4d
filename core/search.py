"""The one rule for matching what people type against stored text: case, accents and Unicode form
(NFC "é" or NFD "e" + combining accent) never matter. PostgreSQL's `unaccent` (roadmaps/migrations/
0002) strips accents, combining marks included, so both forms fold to the same letters.

- `bilingual_text_search`: full-text search over the English and Spanish versions of bilingual
  fields, each with its language's stemming, web-search syntax. The API's `search` filters and the
  pages' search boxes (e.g. /roadmaps/?q=) both call it, so they find the same rows.
- `simple_text_search`: the same over single-language fields (no stemming).
- `folded` lookup (`title_en__folded="migracion"`): substring match, folded; the admin's search
  boxes use it for every text field (accounts/admin_site.py).
"""

from collections.abc import Sequence

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import CharField, F, Func, Lookup, Q, TextField, Value


class Unaccent(Func):
    function = "unaccent"
    output_field = TextField()


def bilingual_text_search(queryset, bases: Sequence[str], text: str):
    """Rows whose `<base>_en` fields match `text` in English or whose `<base>_es` match in Spanish."""
    text = (text or "").strip()
    if not text:
        return queryset
    vector_en = SearchVector(*[Unaccent(F(f"{b}_en")) for b in bases], config="english")
    vector_es = SearchVector(*[Unaccent(F(f"{b}_es")) for b in bases], config="spanish")
    query = Unaccent(Value(text))
    return queryset.annotate(_search_en=vector_en, _search_es=vector_es).filter(
        Q(_search_en=SearchQuery(query, config="english", search_type="websearch"))
        | Q(_search_es=SearchQuery(query, config="spanish", search_type="websearch"))
    )


def simple_text_search(queryset, fields: Sequence[str], text: str):
    """Rows whose `fields` match `text` word for word (language-neutral configuration)."""
    text = (text or "").strip()
    if not text:
        return queryset
    vector = SearchVector(*[Unaccent(F(f)) for f in fields], config="simple")
    return queryset.annotate(_search=vector).filter(
        _search=SearchQuery(Unaccent(Value(text)), config="simple", search_type="websearch")
    )


@CharField.register_lookup
@TextField.register_lookup
class Folded(Lookup):
    """`field__folded=text`: the field contains `text`, ignoring case, accents and Unicode form."""

    lookup_name = "folded"

    def get_db_prep_lookup(self, value, connection):
        # LIKE's own characters (%, _, \) in what was typed are literal.
        return "%s", [f"%{connection.ops.prep_for_like_query(value)}%"]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"lower(unaccent({lhs})) LIKE lower(unaccent({rhs}))", [*lhs_params, *rhs_params]
