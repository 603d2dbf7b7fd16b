"""Working days in England and Wales, for the standstill period (PA23 s.51).

Bank holidays come from the `holidays` package (England; Wales has the same
days), which works them out for any year by the rules gov.uk publishes,
substitute days included, and carries one-off holidays such as a coronation
once they are proclaimed: keep it up to date like any dependency.
tests/unit/tenders/test_speccheck_and_regime.py checks it against gov.uk's
own list for 2025 to 2027.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (the start day itself does not count)."""
    current = start
    counted = 0
    while counted < days:
        current += timedelta(days=1)
        if is_working_day(current):
            counted += 1
    return current
