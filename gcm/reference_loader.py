"""Load the official reference data (`gcm/reference/*.yaml`) into the database. Idempotent.

What it loads: the 23 GCM objectives, the 10 guiding principles, the RCM's 11 member and 5 observer
states (with their champion status and vote on A/RES/73/195), the organisations, and the milestones
as forums (plus the I and II Regional Forums of Champion Countries, from a small companion file).

How it treats what is already there. Every row keeps, in `reference_values`, the values it had when
it was last loaded. On a new load, for each row:

- absent → created (*created*);
- equal to the file → left alone (*unchanged*);
- different from its snapshot → someone corrected it in the admin: left alone, and reported
  (*kept correction*); the file never silently overwrites the secretariat's work;
- equal to its snapshot but different from the file → the file changed: updated (*updated*).

Values the file marks `verified: false` load too, with `is_verified=False` and a `reference_note`
saying what to check. The whole load is one transaction: a bad file writes nothing.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import models, transaction

from countries.models import Country, GcmVote, RcmStatus, Subregion
from gcm.models import Forum, ForumKind, GuidingPrinciple, Objective, Organization, OrganizationKind

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
REFERENCE_FILE = REFERENCE_DIR / "gcm_reference.yaml"
FORUMS_FILE = REFERENCE_DIR / "forums_of_champion_countries.yaml"

I_FORUM_KEY = "forum_i_panama_2023"
II_FORUM_KEY = "forum_ii_san_salvador_2024"

SUBREGIONS = {
    **dict.fromkeys(["CA", "US", "MX"], Subregion.NORTH_AMERICA),
    **dict.fromkeys(["BZ", "CR", "SV", "GT", "HN", "NI", "PA"], Subregion.CENTRAL_AMERICA),
    **dict.fromkeys(["DO", "JM"], Subregion.CARIBBEAN),
    **dict.fromkeys(["AR", "CO", "EC", "PE"], Subregion.SOUTH_AMERICA),
}
VOTES = {
    "in_favour": GcmVote.IN_FAVOUR,
    "against": GcmVote.AGAINST,
    "abstained": GcmVote.ABSTAINED,
    "abstaining": GcmVote.ABSTAINED,
    "did_not_vote": GcmVote.DID_NOT_VOTE,
}
ORGANIZATION_KINDS = {
    "RNCOM": OrganizationKind.CIVIL_SOCIETY,
    "UNNM": OrganizationKind.UN_NETWORK,
    "RCM": OrganizationKind.INTERGOVERNMENTAL,
}
FORUM_KINDS = {
    "gcm_adoption_marrakech": ForumKind.ADOPTION,
    "ga_endorsement": ForumKind.ADOPTION,
    "imrf_2022": ForumKind.IMRF,
    "imrf_2026": ForumKind.IMRF,
    "lac_regional_review_1": ForumKind.REGIONAL_REVIEW,
    "lac_regional_review_2": ForumKind.REGIONAL_REVIEW,
}
FORUM_CITIES = {
    "gcm_adoption_marrakech": "Marrakech",
    "ga_endorsement": "New York",
    "imrf_2022": "New York",
    "imrf_2026": "New York",
    "lac_regional_review_1": "Santiago (virtual)",
    "lac_regional_review_2": "Santiago",
}
# The file has no Spanish name for these; ours is a translation, flagged as not verified.
FORUM_NAMES_ES = {
    "ga_endorsement": "Respaldo de la Asamblea General de las Naciones Unidas (A/RES/73/195)",
}
NOTE_KEYS = ("note", "note_es", "discrepancy")


class ReferenceFileError(ValueError):
    """The reference file is missing something the loader needs; the message names the entry."""


@dataclass
class Spec:
    """One row as the file wants it: its natural key and the values the file manages."""

    model: type[models.Model]
    key: dict
    values: dict
    label: str


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)

    def __str__(self):
        return (
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"kept corrections {len(self.kept)}"
        )


def _plain(value):
    """A value as stored in the JSON snapshot."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Country):
        return value.code
    return value


def _snapshot(values: dict) -> dict:
    return {name: _plain(value) for name, value in values.items()}


def _unverified(verified, prefix: str = "") -> list[str]:
    if verified is False:
        return [prefix.rstrip(" .") or "entry"]
    if isinstance(verified, dict):
        return [f"{prefix}{name}" for name, ok in verified.items() if ok is False]
    return []


def _notes(entry: dict, prefix: str = "") -> list[str]:
    return [f"{prefix}{' '.join(str(entry[key]).split())}" for key in NOTE_KEYS if entry.get(key)]


def _reference_fields(unverified: list[str], notes: list[str]) -> dict:
    lines = []
    if unverified:
        lines.append("Not confirmed from a source: " + ", ".join(unverified) + ".")
    lines += notes
    return {"is_verified": not unverified, "reference_note": "\n".join(lines)}


def _require(entry: dict, keys: tuple[str, ...], where: str) -> None:
    missing = [key for key in keys if entry.get(key) in (None, "")]
    if missing:
        raise ReferenceFileError(f"{where}: missing {', '.join(missing)}")


def read_reference(path: Path = REFERENCE_FILE, forums_path: Path | None = FORUMS_FILE) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ReferenceFileError(f"{path}: {error}") from error
    if forums_path is not None:
        try:
            extra = yaml.safe_load(forums_path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as error:
            raise ReferenceFileError(f"{forums_path}: {error}") from error
        data["milestones"] = list(data.get("milestones") or []) + list(extra.get("milestones") or [])
    return data


def _entries(data: dict, key: str, expected: int) -> list[dict]:
    entries = data.get(key) or []
    if len(entries) != expected:
        raise ReferenceFileError(f"{key}: expected {expected} entries, found {len(entries)}")
    return entries


def objective_specs(data: dict) -> list[Spec]:
    specs = []
    for entry in _entries(data, "objectives", 23):
        where = f"objectives[number={entry.get('number')}]"
        _require(entry, ("number", "title_en", "title_es"), where)
        values = {
            "title_en": entry["title_en"],
            "title_es": entry["title_es"],
            "short_title_en": entry.get("hub_label_en") or "",
            "short_title_es": entry.get("hub_label_es") or "",
            **_reference_fields(_unverified(entry.get("verified")), _notes(entry)),
        }
        specs.append(Spec(Objective, {"number": entry["number"]}, values, f"objective {entry['number']}"))
    return specs


def principle_specs(data: dict) -> list[Spec]:
    specs = []
    for entry in _entries(data, "guiding_principles", 10):
        where = f"guiding_principles[code={entry.get('code')}]"
        _require(entry, ("code", "para_15_letter", "name_en", "name_es"), where)
        values = {
            "letter": entry["para_15_letter"],
            "name_en": entry["name_en"],
            "name_es": entry["name_es"],
            **_reference_fields(_unverified(entry.get("verified")), _notes(entry)),
        }
        specs.append(Spec(GuidingPrinciple, {"code": entry["code"]}, values, f"principle {entry['code']}"))
    return specs


def country_specs(data: dict) -> list[Spec]:
    champions = {c["iso_alpha2"]: c for c in (data.get("champion_countries") or {}).get("americas") or []}
    votes = {v["iso_alpha2"]: v for v in (data.get("gcm_vote") or {}).get("rcm_votes") or []}
    specs = []
    groups = ((data.get("rcm_members") or [], RcmStatus.MEMBER), (data.get("rcm_observers") or [], RcmStatus.OBSERVER))
    for entries, status in groups:
        for entry in entries:
            where = f"rcm_{status}s[iso_alpha2={entry.get('iso_alpha2')}]"
            _require(entry, ("iso_alpha2", "iso_alpha3", "name_en", "name_es"), where)
            code = entry["iso_alpha2"]
            unverified = _unverified(entry.get("verified"))
            notes = _notes(entry)
            champion = champions.get(code)
            if champion:
                unverified += _unverified(champion.get("verified"), "champion ")
                notes += _notes(champion, "Champion: ")
            vote = votes.get(code)
            if vote:
                unverified += _unverified(vote.get("verified"), "GCM vote ")
                if vote.get("confidence") and vote.get("method"):
                    notes.append(f"GCM vote ({vote['confidence']} confidence): {' '.join(vote['method'].split())}")
                notes += _notes(vote, "GCM vote: ")
            values = {
                "alpha3": entry["iso_alpha3"],
                "name_en": entry["name_en"],
                "name_es": entry["name_es"],
                "rcm_status": status,
                "subregion": SUBREGIONS.get(code, Subregion.OTHER),
                "is_gcm_champion": champion is not None,
                "champion_since": champion.get("year_joined") if champion else None,
                "gcm_vote": VOTES.get(vote.get("vote"), GcmVote.UNKNOWN) if vote else GcmVote.UNKNOWN,
                **_reference_fields(unverified, notes),
            }
            specs.append(Spec(Country, {"code": code}, values, f"country {code}"))
    return specs


def organization_specs(data: dict) -> list[Spec]:
    specs = []
    for entry in (data.get("organizations") or {}).get("entries") or []:
        where = f"organizations.entries[key={entry.get('key')}]"
        _require(entry, ("key", "name_en", "name_es", "acronym_en"), where)
        notes = _notes(entry)
        acronym_es = entry.get("acronym_es")
        if not acronym_es:
            acronym_es = entry["acronym_en"]
            notes.append("No Spanish acronym in the reference file: the English one is used.")
        values = {
            "name_en": entry["name_en"],
            "name_es": entry["name_es"],
            "acronym_en": entry["acronym_en"],
            "acronym_es": acronym_es,
            "kind": ORGANIZATION_KINDS.get(entry["key"], OrganizationKind.UN_AGENCY),
            "is_un_network_member": bool(entry.get("un_network_executive_committee")),
            **_reference_fields(_unverified(entry.get("verified")), notes),
        }
        key = entry["key"].lower()
        specs.append(Spec(Organization, {"key": key}, values, f"organisation {entry['key']}"))
    return specs


def _date(value, where: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as error:
        raise ReferenceFileError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from error


def forum_specs(data: dict, countries: dict[str, Country]) -> list[Spec]:
    specs = []
    for entry in data.get("milestones") or []:
        where = f"milestones[id={entry.get('id')}]"
        _require(entry, ("id", "name_en"), where)
        key = entry["id"]
        unverified = _unverified(entry.get("verified"))
        notes = _notes(entry)
        name_es = entry.get("name_es")
        if not name_es:
            name_es = FORUM_NAMES_ES.get(key, entry["name_en"])
            unverified.append("name_es")
            notes.append("The Spanish name is not in the reference file: it is the project's translation.")
        host = entry.get("host_country")
        if host and host not in countries:
            raise ReferenceFileError(f"{where}: host_country {host!r} is not an RCM member or observer")
        start = _date(entry.get("start") or entry.get("date"), where)
        end = _date(entry.get("end") or entry.get("date"), where)
        values = {
            "name_en": entry["name_en"],
            "name_es": name_es,
            "kind": entry.get("kind") or FORUM_KINDS.get(key, ForumKind.OTHER),
            "host_country": countries.get(host) if host else None,
            "city": (entry.get("city") or FORUM_CITIES.get(key) or entry.get("place") or "")[:100],
            "start_date": start,
            "end_date": end,
            **_reference_fields(unverified, notes),
        }
        specs.append(Spec(Forum, {"key": key}, values, f"forum {key}"))
    return specs


def _apply(spec: Spec, summary: Summary, log: Callable[[str], None]) -> None:
    wanted = _snapshot(spec.values)
    obj = spec.model.objects.filter(**spec.key).first()
    if obj is None:
        obj = spec.model(**spec.key, **spec.values, reference_values=wanted)
        obj.full_clean()
        obj.save()
        summary.created += 1
        return
    current = _snapshot({name: getattr(obj, name) for name in spec.values})
    if current == wanted:
        if obj.reference_values != wanted:
            obj.reference_values = wanted
            obj.save(update_fields=["reference_values", "updated_at"])
        summary.unchanged += 1
        return
    if obj.reference_values and current != obj.reference_values:
        changed = sorted(name for name in current if current[name] != obj.reference_values.get(name))
        summary.kept.append(spec.label)
        log(f"kept correction: {spec.label} was changed in the admin ({', '.join(changed)}); not overwritten")
        return
    if not obj.reference_values:
        log(f"adopted: {spec.label} existed without a reference snapshot; set to the file's values")
    for name, value in spec.values.items():
        setattr(obj, name, value)
    obj.reference_values = wanted
    obj.full_clean()
    obj.save()
    summary.updated += 1


@transaction.atomic
def load_reference(
    path: Path = REFERENCE_FILE,
    forums_path: Path | None = FORUMS_FILE,
    log: Callable[[str], None] = lambda message: None,
) -> Summary:
    """Load (or re-load) the reference data; returns what happened. Raises ReferenceFileError."""
    data = read_reference(path, forums_path)
    summary = Summary()
    specs = objective_specs(data) + principle_specs(data) + country_specs(data) + organization_specs(data)
    for spec in specs:
        _apply(spec, summary, log)
    countries = {country.code: country for country in Country.objects.all()}
    for spec in forum_specs(data, countries):
        _apply(spec, summary, log)
    return summary


def reference_loaded() -> bool:
    return Objective.objects.count() == 23 and GuidingPrinciple.objects.count() == 10
