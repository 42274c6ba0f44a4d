"""The Spanish-completeness checker (`config/translations.py`) itself: it must catch what it claims to."""

from pathlib import Path

from config.translations import catalogues, check, problems_in

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: es\\n"\n\n'


def write(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_untranslated_and_fuzzy_entries_are_problems(tmp_path):
    po = write(
        tmp_path / "django.po",
        'msgid "Roadmaps"\nmsgstr "Hojas de ruta"\n\n'
        'msgid "Overdue actions"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Due soon"\nmsgstr "Vence ayer"\n',
    )
    problems = problems_in(po)
    assert [(p.msgid, p.reason) for p in problems] == [
        ("Overdue actions", "untranslated"),
        ("Due soon", "fuzzy (needs review)"),
    ]
    assert all(p.path == po for p in problems)
    assert "Overdue actions" in str(problems[0]) and str(po) in str(problems[0])


def test_an_untranslated_plural_is_a_problem(tmp_path):
    po = write(
        tmp_path / "django.po",
        'msgid "%(n)s action"\nmsgid_plural "%(n)s actions"\nmsgstr[0] "%(n)s acción"\nmsgstr[1] ""\n',
    )
    assert [(p.msgid, p.reason) for p in problems_in(po)] == [("%(n)s action", "untranslated plural")]


def test_a_complete_catalogue_has_no_problems(tmp_path):
    po = write(
        tmp_path / "django.po",
        'msgid "Roadmaps"\nmsgstr "Hojas de ruta"\n\n'
        'msgid "%(n)s action"\nmsgid_plural "%(n)s actions"\nmsgstr[0] "%(n)s acción"\nmsgstr[1] "%(n)s acciones"\n',
    )
    assert problems_in(po) == []


def test_the_checker_finds_catalogues_under_each_app(tmp_path):
    good = write(tmp_path / "gcm" / "locale" / "es" / "LC_MESSAGES" / "django.po", 'msgid "Yes"\nmsgstr "Sí"\n')
    bad = write(tmp_path / "roadmaps" / "locale" / "es" / "LC_MESSAGES" / "django.po", 'msgid "No"\nmsgstr ""\n')
    write(tmp_path / ".venv" / "pkg" / "locale" / "es" / "LC_MESSAGES" / "django.po", 'msgid "X"\nmsgstr ""\n')
    found = catalogues(tmp_path)
    assert found == [good, bad]
    assert [p.msgid for p in check(found)] == ["No"]
