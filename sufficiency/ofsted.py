"""Loading Ofsted's published list of children's social care providers, so a council can count the real register.

Ofsted publishes the register of children's social care providers in England
as a spreadsheet with one row per setting ("Children's social care data in
England: providers and places"). The columns read here are, by their names in
that file: URN, Provider type, Sector, Setting name, Registration status,
Places, Local authority, Organisation which owns the provider. Headers are
matched without regard to case or spacing, and any other column (inspection
judgements, dates, addresses) is ignored. The names come from the published
data dictionary as we know it; the reference search could not fetch the
current file, so a council with a newer layout may need to rename a column.

What Ofsted's list does not hold is which needs a setting meets: that is in
each setting's statement of purpose. An imported setting is given the needs
its kind of setting usually meets (SETTING_DEFAULTS, below) until its
provider declares its own. Only active registrations are loaded; a URN
already on the platform is updated in place, never duplicated.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

import trail
from accounts.models import User
from core.clock import utcnow
from core.errors import NotPermitted, RuleViolation
from core.extensions import db
from core.parsing import whole_number
from core.text import unshowable_character
from sufficiency import policy
from sufficiency.areas import code_for_name
from sufficiency.capacity import MAX_PLACES, OFSTED_URN
from sufficiency.models import Setting
from sufficiency.vocabulary import SettingSource
from trail import record_refusal

REQUIRED = ("urn", "provider type", "setting name", "registration status", "places", "local authority")
OPTIONAL = ("sector", "organisation which owns the provider")
MAX_BYTES = 5 * 1024 * 1024
ACTIVE = ("active", "registered")

# Ofsted's "Provider type" -> the platform's kind of setting, the needs it usually meets, the highest
# intensity, and its usual age range. A provider's own declaration replaces these.
SETTING_DEFAULTS: dict[str, tuple[str, tuple[str, ...], str, tuple[int, int]]] = {
    "children's home": ("childrens_home", ("emotional_wellbeing", "behaviour", "safety", "family", "independence"),
                        "high", (8, 17)),
    "secure children's home": ("secure_childrens_home", ("emotional_wellbeing", "behaviour", "safety"),
                               "very_high", (10, 17)),
    "residential special school": ("residential_special_school", ("communication", "cognition",
                                                                  "sensory_physical", "health"), "high", (5, 19)),
    "independent fostering agency": ("independent_fostering_agency", ("emotional_wellbeing", "family"),
                                     "medium", (0, 17)),
    "residential family centre": ("residential_family_centre", ("family",), "medium", (0, 17)),
    "residential holiday scheme for disabled children": ("short_breaks", ("sensory_physical", "health"),
                                                         "medium", (5, 17)),
    "supported accommodation": ("supported_accommodation", ("independence",), "medium", (16, 17)),
}
SECTOR_LEGAL_FORMS = {"local authority": "public_body", "health authority": "public_body"}


@dataclass(frozen=True)
class RegisterRow:
    line_no: int
    urn: str
    provider_type: str
    setting_name: str
    places: int
    area_code: str
    owner: str
    sector: str


def _key(header: str) -> str:
    return " ".join(header.replace("\ufeff", "").split()).lower()


def parse_register(data: bytes) -> tuple[list[RegisterRow], int]:
    """The active settings in the file, and how many rows were skipped (inactive, or a kind not counted here).

    A malformed row (no URN, places not a number, an unknown council) stops
    the import: every such row is listed by line, and nothing is loaded.
    """
    if len(data) > MAX_BYTES:
        raise RuleViolation({"file": f"The file must be {MAX_BYTES // (1024 * 1024)} MB or smaller"})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Ofsted's spreadsheets saved from Excel on Windows
    reader = csv.reader(io.StringIO(text))
    try:
        header = [_key(h) for h in next(reader)]
    except (StopIteration, csv.Error):
        raise RuleViolation({"file": "The file is empty"}) from None
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise RuleViolation({"file": "Line 1 is not Ofsted's layout: missing the column"
                                     f"{'s' if len(missing) > 1 else ''} " + ", ".join(f"“{m}”" for m in missing)})
    where = {name: header.index(name) for name in REQUIRED + OPTIONAL if name in header}
    rows: list[RegisterRow] = []
    errors: list[str] = []
    skipped = 0
    try:
        for line_no, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) < len(header):
                errors.append(f"Line {line_no}: expected {len(header)} values, found {len(cells)}")
                continue
            value = {name: cells[i].strip() for name, i in where.items()}
            hidden = [(name, found) for name in where if (found := unshowable_character(value[name]))]
            if hidden:
                name, (position, code) = hidden[0]
                errors.append(f"Line {line_no}: the {name} has a hidden control character at position {position} "
                              f"({code}), which cannot be stored or published")
                continue
            if value["registration status"].lower() not in ACTIVE:
                skipped += 1
                continue
            kind = value["provider type"].lower().replace("’", "'")
            if kind not in SETTING_DEFAULTS:
                skipped += 1
                continue
            problems = []
            urn = value["urn"].upper()
            if not OFSTED_URN.fullmatch(urn):
                problems.append("the URN is missing or not a URN")
            places = whole_number(value["places"].replace(",", ""))
            if places is None or places > MAX_PLACES:
                problems.append(f"places “{value['places'][:12]}” is not a whole number")
            area = code_for_name(value["local authority"])
            if area is None:
                problems.append(f"local authority “{value['local authority'][:60]}” is not on the list of councils")
            if not value["setting name"]:
                problems.append("the setting has no name")
            if problems:
                errors.append(f"Line {line_no}: " + "; ".join(problems))
                continue
            rows.append(RegisterRow(line_no, urn, kind, value["setting name"][:200], places or 0, area or "",
                                    value.get("organisation which owns the provider", "")[:200] or
                                    value["setting name"][:200], value.get("sector", "").lower()))
    except csv.Error as error:
        errors.append(f"Line {reader.line_num}: not readable as CSV ({error})")
    if errors:
        more = len(errors) - 20
        raise RuleViolation({"file": "Nothing was imported. " + " ".join(errors[:20])
                             + (f" …and {more} more lines with errors." if more > 0 else "")})
    if not rows:
        raise RuleViolation({"file": "The file has no active settings of a kind counted here"})
    return rows, skipped


def import_register(actor: User, *, filename: str, data: bytes) -> dict[str, Any]:
    """Load Ofsted's list: new settings added, known URNs updated (places, area, name), all or nothing."""
    if not policy.can_import_register(actor):
        record_refusal(
            actor, "sufficiency.register_import", "Only commissioners and administrators import Ofsted's list"
        )
        raise NotPermitted("Only commissioners and administrators can import Ofsted's list")
    rows, skipped = parse_register(data)
    now = utcnow()
    existing = {s.ofsted_urn: s for s in db.session.scalars(
        select(Setting).where(Setting.ofsted_urn.in_([r.urn for r in rows])))}
    added = updated = 0
    changed: dict[str, dict[str, Any]] = {}
    for row in rows:
        setting_type, categories, intensity, (age_from, age_to) = SETTING_DEFAULTS[row.provider_type]
        setting = existing.get(row.urn)
        if setting is None:
            setting = Setting(organisation_id=None, provider_name=row.owner, name=row.setting_name,
                              ofsted_urn=row.urn, area_code=row.area_code, setting_type=setting_type,
                              categories=",".join(categories), highest_intensity=intensity,
                              registered_places=row.places, age_from=age_from, age_to=age_to,
                              legal_form=SECTOR_LEGAL_FORMS.get(row.sector), source=SettingSource.IMPORTED,
                              created_at=now, updated_at=now)
            db.session.add(setting)
            existing[row.urn] = setting
            added += 1
        else:
            # Ofsted's facts (name, council, places) replace ours; a provider's declared needs stay. What they
            # replace is kept in the event, as a provider's own update keeps it.
            before = {"name": setting.name, "area_code": setting.area_code, "places": setting.registered_places}
            if setting.vacancies is not None and setting.vacancies > row.places:
                # Vacancies are private (the provider and commissioners): their change is an auditors' event.
                # Cut first: recording flushes, and vacancies may never exceed the places.
                trail.record("sufficiency.vacancies_capped", actor=actor, subject=setting, audience="auditors",
                             summary=f"Vacancies at “{setting.name}” cut to its {row.places} registered places",
                             payload={"before": setting.vacancies, "after": row.places, "urn": row.urn})
                setting.vacancies = row.places
            setting.name, setting.area_code, setting.registered_places = row.setting_name, row.area_code, row.places
            after = {"name": setting.name, "area_code": setting.area_code, "places": setting.registered_places}
            if after != before:
                changed[row.urn] = {"before": before, "after": after}
            setting.updated_at = now
            updated += 1
    db.session.flush()
    summary = {"filename": filename[:255], "added": added, "updated": updated, "skipped": skipped}
    trail.record("sufficiency.register_imported", actor=actor, audience="public",
                 summary=f"Ofsted's list of providers imported: {added} settings added, {updated} updated, "
                         f"{skipped} rows not counted",
                 payload={**summary, "urns": sorted(r.urn for r in rows), "changed": changed})
    return summary
