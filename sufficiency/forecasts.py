"""Demand forecasts uploaded as CSV: counts by area, category, intensity and horizon, never a child.

A file is checked whole before anything is stored: every bad line is listed
with its number, and one bad line means nothing is imported. A correction is
a new upload replacing the forecast's lines (its version goes up, the old
lines are in the audit trail).
"""
from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

import trail
from accounts.models import User
from core.clock import utcnow
from core.disclosure import suppress_count
from core.errors import NotPermitted, RuleViolation
from core.extensions import db
from core.parsing import whole_number
from core.safeguarding import check_child_data
from sufficiency import policy
from sufficiency.areas import areas_of
from sufficiency.models import Area, Forecast, ForecastLine
from sufficiency.vocabulary import HORIZONS, INTENSITIES, NEED_CATEGORIES
from trail import record_refusal

COLUMNS = ("area", "category", "intensity", "horizon", "count")
MAX_BYTES = 1024 * 1024
MAX_LINES = 20_000
MAX_COUNT = 100_000
MAX_ERRORS_SHOWN = 20


@dataclass(frozen=True)
class ParsedLine:
    line_no: int
    area: str
    category: str
    intensity: str
    horizon: str
    count: int


def _choice(value: str, choices: dict[str, str]) -> str | None:
    """A vocabulary key, given as the key or its label (case and spacing ignored)."""
    wanted = " ".join(value.split()).lower()
    for key, label in choices.items():
        if wanted in (key.lower(), label.lower()):
            return key
    return None


def parse_forecast(data: bytes, allowed_areas: set[str]) -> list[ParsedLine]:
    """Every line checked; a RuleViolation lists each bad line by number, and nothing is returned half-done."""
    if len(data) > MAX_BYTES:
        raise RuleViolation({"file": f"The file must be {MAX_BYTES // 1024:,} KB or smaller"})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RuleViolation({"file": "The file must be a CSV saved as UTF-8 text"}) from None
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error):
        raise RuleViolation({"file": "The file is empty: its first line must be area,category,intensity,horizon,count"
                             }) from None
    if tuple(header) != COLUMNS:
        raise RuleViolation({"file": "Line 1 must be exactly the column names area,category,intensity,horizon,count "
                                     "(counts only: no names, dates of birth or other details about a child)"})
    lines: list[ParsedLine] = []
    errors: list[str] = []
    try:
        for line_no, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(lines) >= MAX_LINES:
                raise RuleViolation({"file": f"The file may have at most {MAX_LINES:,} lines"})
            if len(cells) != len(COLUMNS):
                errors.append(f"Line {line_no}: expected 5 values, found {len(cells)}")
                continue
            area, category, intensity, horizon, count = (c.strip() for c in cells)
            problems = []
            if area.upper() not in allowed_areas:
                problems.append(f"area “{area[:20]}” is not one of your council areas")
            category_key = _choice(category, NEED_CATEGORIES)
            if category_key is None:
                problems.append(f"category “{category[:40]}” is not a known need category")
            intensity_key = _choice(intensity, INTENSITIES)
            if intensity_key is None:
                problems.append(f"intensity “{intensity[:20]}” must be low, medium, high or very_high")
            horizon_key = _choice(horizon, HORIZONS)
            if horizon_key is None:
                problems.append(f"horizon “{horizon[:20]}” must be now, 12_months or 3_years")
            number = whole_number(count, max_digits=6)
            if number is None or number > MAX_COUNT:
                problems.append(f"count “{count[:12]}” must be a whole number from 0 to {MAX_COUNT:,}")
            if problems:
                errors.append(f"Line {line_no}: " + "; ".join(problems))
                continue
            lines.append(ParsedLine(line_no, area.upper(), category_key, intensity_key, horizon_key,  # type: ignore[arg-type]
                                    number))  # type: ignore[arg-type]
    except csv.Error as error:
        errors.append(f"Line {reader.line_num}: not readable as CSV ({error})")
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        more = len(errors) - len(shown)
        raise RuleViolation({"file": "Nothing was imported. " + " ".join(shown)
                             + (f" …and {more} more lines with errors." if more else "")})
    if not lines:
        raise RuleViolation({"file": "The file has no lines after its column names"})
    return lines


def _allowed_areas(actor: User) -> set[str]:
    areas = set(areas_of(actor.organisation))
    known = set(db.session.scalars(select(Area.code).where(Area.code.in_(areas))))
    if not known:
        raise RuleViolation({"file": "Your organisation has no council area recorded: ask an administrator to add "
                                     "its GSS code when verifying it"})
    return known


def _payload(forecast: Forecast) -> dict[str, Any]:
    return {"title": forecast.title, "version": forecast.version, "sha256": forecast.sha256,
            "lines": [[line.area_code, line.category, line.intensity, line.horizon, line.count]
                      for line in forecast.lines]}


def _clean_title(title: str, confirmed_no_child_data: bool) -> tuple[str, list[str]]:
    cleaned = " ".join((title or "").split())
    if not cleaned:
        raise RuleViolation({"title": "Enter a title for the forecast"})
    if len(cleaned) > 200:
        raise RuleViolation({"title": "The title must be 200 characters or fewer"})
    return cleaned, check_child_data("title", [cleaned], confirmed_no_child_data)


def _set_lines(forecast: Forecast, parsed: list[ParsedLine]) -> None:
    forecast.lines = [ForecastLine(line_no=p.line_no, area_code=p.area, category=p.category, intensity=p.intensity,
                                   horizon=p.horizon, count=p.count) for p in parsed]


def upload_forecast(actor: User, *, title: str, filename: str, data: bytes,
                    confirmed_no_child_data: bool = False) -> Forecast:
    """A commissioner's anonymised forecast for its own council areas: all lines or none."""
    if not policy.can_upload_forecast(actor):
        record_refusal(actor, "sufficiency.forecast_upload", "Only commissioners can upload demand forecasts")
        raise NotPermitted("Only commissioners can upload demand forecasts")
    title, kinds = _clean_title(title, confirmed_no_child_data)
    parsed = parse_forecast(data, _allowed_areas(actor))
    now = utcnow()
    forecast = Forecast(organisation_id=actor.organisation_id, title=title, version=1, filename=filename[:255],
                        sha256=hashlib.sha256(data).hexdigest(), uploaded_by_id=actor.id, created_at=now,
                        updated_at=now)
    _set_lines(forecast, parsed)
    db.session.add(forecast)
    db.session.flush()
    trail.record("sufficiency.forecast_uploaded", actor=actor, subject=forecast, audience="public",
                 summary=f"Demand forecast “{title}” uploaded: {len(parsed)} lines, "
                         f"{suppress_count(forecast.total).label} children in all",
                 payload=_payload(forecast) | {"child_data_confirmed": kinds})
    return forecast


def correct_forecast(forecast: Forecast, actor: User, *, filename: str, data: bytes) -> Forecast:
    """Replace a forecast's lines with a corrected file (the previous version stays in the trail)."""
    if not policy.can_manage_forecast(actor, forecast.organisation_id):
        record_refusal(actor, "sufficiency.forecast_correct", "Only the forecast's own commissioners can correct it")
        raise NotPermitted("Only the forecast's own commissioners can correct it")
    parsed = parse_forecast(data, _allowed_areas(actor))
    before = _payload(forecast)
    _set_lines(forecast, parsed)
    forecast.version += 1
    forecast.filename = filename[:255]
    forecast.sha256 = hashlib.sha256(data).hexdigest()
    forecast.uploaded_by_id = actor.id
    forecast.updated_at = utcnow()
    db.session.flush()
    trail.record("sufficiency.forecast_corrected", actor=actor, subject=forecast, audience="public",
                 summary=f"Demand forecast “{forecast.title}” corrected (version {forecast.version})",
                 payload={"before": before, "after": _payload(forecast)})
    return forecast
