"""ETags of a row (detail `If-None-Match` → 304, write `If-Match` → 412)."""

from core.bilingual import active_language


def version_etag(pk, version, language: str | None = None) -> str:
    """Strong ETag of a versioned row (Action): changes with its version and with the language."""
    return f'"{pk}-v{version}-{language or active_language()}"'


def timestamp_etag(pk, updated_at, language: str | None = None) -> str:
    return f'"{pk}-t{int(updated_at.timestamp() * 1_000_000)}-{language or active_language()}"'


def etag_matches(header: str | None, etags) -> bool:
    """True when an If-Match / If-None-Match header names one of `etags` (or is `*`)."""
    if not header:
        return False
    candidates = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in candidates or bool(candidates & set(etags))
