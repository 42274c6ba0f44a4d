"""Spanish catalogues: compile them without GNU gettext, and check that none is incomplete.

    python -m config.translations compile   # every django.po -> django.mo (polib)
    python -m config.translations check     # fails, naming file and line, on untranslated or fuzzy

`make i18n` runs Django's makemessages first (when xgettext is installed) so that a string added to
the code and not yet translated shows up here as untranslated.
"""

import sys
from dataclasses import dataclass
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".venv", "node_modules", "staticfiles", ".git"}


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    msgid: str
    reason: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.reason}: {self.msgid!r}"


def catalogues(root: Path = BASE_DIR, language: str = "es") -> list[Path]:
    found = []
    for path in root.rglob(f"locale/{language}/LC_MESSAGES/django.po"):
        if not SKIP_DIRS.intersection(path.relative_to(root).parts):
            found.append(path)
    return sorted(found)


def problems_in(path: Path) -> list[Problem]:
    problems = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(Problem(path, entry.linenum, entry.msgid, "fuzzy (needs review)"))
        elif entry.msgid_plural:
            if not entry.msgstr_plural or any(not text for text in entry.msgstr_plural.values()):
                problems.append(Problem(path, entry.linenum, entry.msgid, "untranslated plural"))
        elif not entry.msgstr:
            problems.append(Problem(path, entry.linenum, entry.msgid, "untranslated"))
    return problems


def check(paths: list[Path]) -> list[Problem]:
    return [problem for path in paths for problem in problems_in(path)]


def compile_all(paths: list[Path]) -> None:
    for path in paths:
        polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    paths = catalogues()
    if command == "compile":
        compile_all(paths)
        print(f"compiled {len(paths)} Spanish catalogue(s)")
        return 0
    if command == "check":
        problems = check(paths)
        for problem in problems:
            print(problem)
        if problems:
            print(f"{len(problems)} Spanish translation(s) missing or fuzzy.")
            return 1
        print(f"Spanish translations complete ({len(paths)} catalogue(s)).")
        return 0
    print(f"unknown command {command!r}: use compile or check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
