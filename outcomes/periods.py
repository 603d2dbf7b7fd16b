"""A contract's reporting periods: calendar-aligned blocks of the period the contract sets, clipped to its term.

Quarterly is the default, so periods read "2026-Q3" the same on every
contract and results can be compared across contracts. Pure: no database.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

PERIOD_CHOICES = {1: "Monthly", 3: "Quarterly", 6: "Half-yearly", 12: "Yearly"}
RETURN_DUE_DAYS = 28  # a return falls due this many days after its period ends


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date

    @property
    def due_on(self) -> date:
        return self.end + timedelta(days=RETURN_DUE_DAYS)


def _label(start: date, months: int) -> str:
    if months == 3:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if months == 1:
        return f"{start.year}-{start.month:02d}"
    if months == 6:
        return f"{start.year}-H{(start.month - 1) // 6 + 1}"
    return f"{start.year}"


def _block_start(day: date, months: int) -> date:
    return date(day.year, (day.month - 1) // months * months + 1, 1)


def _next_block(start: date, months: int) -> date:
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1)


def periods(starts_on: date, ends_on: date, months: int) -> list[Period]:
    """Every period of the term, the first and last clipped to the contract's own dates."""
    if months not in PERIOD_CHOICES:
        raise ValueError(f"a period must be one of {sorted(PERIOD_CHOICES)} months")
    found = []
    block = _block_start(starts_on, months)
    while block <= ends_on:
        following = _next_block(block, months)
        found.append(Period(_label(block, months), max(block, starts_on), min(following - timedelta(days=1), ends_on)))
        block = following
    return found


def ended_by(starts_on: date, ends_on: date, months: int, today: date) -> list[Period]:
    """The periods that have ended by `today`: the ones a return can be made for."""
    return [p for p in periods(starts_on, ends_on, months) if p.end < today]


def reporting_periods(starts_on: date, ends_on: date, ended_on: date, months: int, today: date) -> list[Period]:
    """The periods returns, ratings and payments are made for: those ended by `today`, and none after the
    contract itself ended (`ended_on`: its end date, or the day it was terminated early)."""
    return ended_by(starts_on, min(ends_on, ended_on), months, today)


def find(starts_on: date, ends_on: date, months: int, label: str) -> Period | None:
    return next((p for p in periods(starts_on, ends_on, months) if p.label == label), None)
