"""Working days in England and Wales, for the standstill period (PA23 s.51).

Bank holidays come from the table below (gov.uk/bank-holidays, England and
Wales). A date outside the table is refused rather than guessed, so a stale
table shows up as a clear error instead of a wrong standstill date.
"""
from __future__ import annotations

from datetime import date, timedelta

BANK_HOLIDAYS_ENGLAND_WALES: frozenset[date] = frozenset({
    # 2025
    date(2025, 1, 1), date(2025, 4, 18), date(2025, 4, 21), date(2025, 5, 5), date(2025, 5, 26),
    date(2025, 8, 25), date(2025, 12, 25), date(2025, 12, 26),
    # 2026 (Boxing Day falls on a Saturday: substitute Monday 28 December)
    date(2026, 1, 1), date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 4), date(2026, 5, 25),
    date(2026, 8, 31), date(2026, 12, 25), date(2026, 12, 28),
    # 2027 (Christmas Day and Boxing Day fall at a weekend: substitutes 27 and 28 December)
    date(2027, 1, 1), date(2027, 3, 26), date(2027, 3, 29), date(2027, 5, 3), date(2027, 5, 31),
    date(2027, 8, 30), date(2027, 12, 27), date(2027, 12, 28),
})
COVERED_YEARS = range(2025, 2028)


class OutsideHolidayTable(ValueError):
    """The bank-holiday table does not cover the year asked about."""


def is_working_day(day: date) -> bool:
    if day.year not in COVERED_YEARS:
        raise OutsideHolidayTable(f"Bank holidays for {day.year} are not in the table yet")
    return day.weekday() < 5 and day not in BANK_HOLIDAYS_ENGLAND_WALES


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (the start day itself does not count)."""
    current = start
    counted = 0
    while counted < days:
        current += timedelta(days=1)
        if is_working_day(current):
            counted += 1
    return current
