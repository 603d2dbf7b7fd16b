"""The councils the analysis is counted by: the shipped reference list, neighbours and consortia.

The reference list is `sufficiency/data/areas.csv`: the GSS code, name and
region of every English upper-tier authority and Welsh unitary authority,
with its source and date in the comment lines at the top. It is loaded into
the database by the migration that made the table, and `flask sufficiency
update-areas FILE` reloads it (or a newer ONS file) through `load_areas`.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select

import trail
from accounts import policy as accounts_policy
from accounts.models import Organisation
from core.errors import NotPermitted, RuleViolation
from core.extensions import db
from core.vocabulary import REGIONS
from sufficiency.models import Area, Neighbour
from sufficiency.vocabulary import NeighbourKind
from trail import record_refusal

REFERENCE_FILE = Path(__file__).parent / "data" / "areas.csv"
GSS_CODE = re.compile(r"[EW]\d{8}")
# ONS files name their columns after the year (CTYUA23CD, CTYUA24NM...); the shipped file says code/name/region.
_CODE_COLUMNS = re.compile(r"^(code|ctyua\d\dcd|utla\d\dcd|lad\d\dcd)$", re.IGNORECASE)
_NAME_COLUMNS = re.compile(r"^(name|ctyua\d\dnm|utla\d\dnm|lad\d\dnm)$", re.IGNORECASE)
_REGION_COLUMNS = re.compile(r"^(region|rgn\d\dnm)$", re.IGNORECASE)


@dataclass(frozen=True)
class AreaRow:
    code: str
    name: str
    region: str


def read_reference(text: str) -> tuple[list[AreaRow], str]:
    """Parse a reference file: its rows, and its source (from the `# Source:` and `# Date:` comments)."""
    comments = [line[1:].strip() for line in text.splitlines() if line.startswith("#")]
    source = " ".join(c for c in comments if c.lower().startswith(("source:", "date:")))[:300] or "Uploaded file"
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    reader = csv.DictReader(io.StringIO(body))
    headers = reader.fieldnames or []

    def column(pattern: re.Pattern[str]) -> str | None:
        return next((h for h in headers if pattern.match(h.strip())), None)

    code_col, name_col, region_col = column(_CODE_COLUMNS), column(_NAME_COLUMNS), column(_REGION_COLUMNS)
    if not (code_col and name_col and region_col):
        raise RuleViolation({"file": "The file needs a code, a name and a region column (or ONS's CTYUA..CD, "
                                     "CTYUA..NM and RGN..NM)"})
    rows, errors = [], []
    for line_no, record in enumerate(reader, start=2):
        code, name, region = (record.get(c) or "" for c in (code_col, name_col, region_col))
        code, name, region = code.strip(), " ".join(name.split()), region.strip()
        if not GSS_CODE.fullmatch(code):
            continue  # Scottish and Northern Irish councils, or blank lines: not English or Welsh councils
        if code.startswith("W"):
            region = "Wales"
        if region not in REGIONS or not name:
            errors.append(f"Line {line_no}: {code} needs a name and one of the regions ({region or 'none'} given)")
            continue
        rows.append(AreaRow(code, name[:120], region))
    if errors:
        raise RuleViolation({"file": "; ".join(errors[:10])})
    if not rows:
        raise RuleViolation({"file": "The file lists no English or Welsh council"})
    return rows, source


def load_areas(rows: Iterable[AreaRow], source: str, *, actor: Any = None, demo: bool = False) -> int:
    """Add or update areas (never delete: need statements and settings refer to them). Returns how many changed."""
    if actor is not None and not accounts_policy.is_admin(actor):
        record_refusal(actor, "sufficiency.areas_update", "Only administrators can change the list of areas")
        raise NotPermitted("Only administrators can change the list of areas")
    existing = {a.code: a for a in db.session.scalars(select(Area))}
    changed = 0
    for row in rows:
        area = existing.get(row.code)
        if area is None:
            db.session.add(Area(code=row.code, name=row.name, region=row.region, source=source, is_demo=demo))
            changed += 1
        elif (area.name, area.region) != (row.name, row.region):
            area.name, area.region, area.source = row.name, row.region, source
            changed += 1
    db.session.flush()
    trail.record("sufficiency.areas_loaded", actor=actor, audience="public",
                 summary=f"List of council areas updated: {changed} added or changed ({source[:120]})",
                 payload={"source": source, "changed": changed, "demo": demo})
    return changed


def load_reference_file(path: Path = REFERENCE_FILE, *, actor: Any = None) -> int:
    rows, source = read_reference(path.read_text(encoding="utf-8-sig"))
    return load_areas(rows, source, actor=actor)


def set_neighbours(area: Area, neighbours: dict[str, str], actor: Any) -> None:
    """Replace an area's neighbours ({code: kind}); administrators and commissioners may configure them."""
    from sufficiency.policy import can_set_neighbours

    if not can_set_neighbours(actor):
        record_refusal(actor, "sufficiency.neighbours_set", "Only commissioners and administrators set neighbours")
        raise NotPermitted("Only commissioners and administrators can set neighbours")
    known = set(db.session.scalars(select(Area.code).where(Area.code.in_(list(neighbours)))))
    errors = [code for code in neighbours if code not in known or code == area.code]
    if errors or any(kind not in {k.value for k in NeighbourKind} for kind in neighbours.values()):
        raise RuleViolation({"neighbours": "Choose neighbours from the list of areas, other than the area itself"})
    before = {n.neighbour_code: n.kind for n in db.session.scalars(select(Neighbour).where(
        Neighbour.area_code == area.code))}
    # The rows go in one statement; the neighbours just read stay as they are in the session.
    db.session.execute(delete(Neighbour).where(Neighbour.area_code == area.code)
                       .execution_options(synchronize_session=False))
    for code, kind in sorted(neighbours.items()):
        db.session.add(Neighbour(area_code=area.code, neighbour_code=code, kind=kind))
    db.session.flush()
    trail.record("sufficiency.neighbours_set", actor=actor, audience="public",
                 summary=f"Neighbours of {area.name} set: {len(neighbours)}",
                 payload={"area": area.code, "before": before, "after": neighbours})


def all_areas() -> list[Area]:
    return list(db.session.scalars(select(Area).order_by(Area.name)))


def area_choices() -> list[tuple[str, str]]:
    """(GSS code, name) of every area, by name: the choices of the forms that ask for a council area."""
    return [(a.code, a.name) for a in all_areas()]


def area_names() -> dict[str, str]:
    return {code: name for code, name in db.session.execute(select(Area.code, Area.name))}


def regions_by_area() -> dict[str, str]:
    return {code: region for code, region in db.session.execute(select(Area.code, Area.region))}


def neighbours_by_area() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for row in db.session.scalars(select(Neighbour).order_by(Neighbour.area_code, Neighbour.neighbour_code)):
        found.setdefault(row.area_code, []).append(row.neighbour_code)
    return {a: tuple(n) for a, n in found.items()}


def areas_of(organisation: Organisation) -> list[str]:
    """The areas a commissioning organisation speaks for: its council's, or every member council's."""
    if organisation.kind == "consortium":
        return sorted({m.gss_code for m in organisation.consortium_members if m.gss_code})
    return [organisation.gss_code] if organisation.gss_code else []


def normalised(name: str) -> str:
    """A council's name for matching another list's spelling ("Bristol, City of" and "City of Bristol")."""
    words = re.sub(r"[^a-z ]", " ", name.lower().replace("&", " and ")).split()
    return " ".join(sorted(w for w in words if w not in {"city", "of", "county", "council", "the", "borough"}))


def code_for_name(name: str) -> str | None:
    wanted = normalised(name)
    for code, area_name in area_names().items():
        if normalised(area_name) == wanted:
            return code
    return None
