"""Reading what people type the way they write it: sums of money, clock times and dates.

Why: a commissioner writes a budget as "£1,200,000" and a meeting as "10am";
refusing those as "not a number" loses their work for no reason. Each parser
accepts the common UK ways of writing a value and raises ValueError with one
plain message for anything else, which a form field shows as its only error.
"""
from __future__ import annotations

import re
from datetime import date, time

_POUNDS = re.compile(r"£?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.00?)?")
_CLOCK_24 = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")
_CLOCK_12 = re.compile(r"(1[0-2]|0?[1-9])(?:[:.]([0-5]\d))?\s*([ap])\.?\s*m\.?")


def whole_number(text: str | None, max_digits: int = 9) -> int | None:
    """The whole number written in plain digits, or None for anything else.

    Not str.isdigit(): it is true of "²" and other digits int() cannot read,
    which would turn a typing slip into a server error.
    """
    cleaned = (text or "").strip()
    if not re.fullmatch(rf"[0-9]{{1,{max_digits}}}", cleaned):
        return None
    return int(cleaned)


def parse_pounds(text: str) -> int:
    """Whole pounds from "1200000", "1,200,000", "£1,200,000" or "£1,200,000.00".

    Commas must group thousands properly ("1,20,000" is refused), so a typing
    slip is caught rather than read as a different amount.
    """
    match = _POUNDS.fullmatch(text.strip().replace(" ", ""))
    if match is None:
        raise ValueError("Enter an amount in whole pounds, like 1,200,000")
    return int(match.group(1).replace(",", ""))


def parse_clock_time(text: str) -> time:
    """A time of day from "14:30", "9.15", "10am", "2:30pm", "12pm" (midday) or "12am" (midnight)."""
    cleaned = text.strip().lower()
    if cleaned == "midday" or cleaned == "noon":
        return time(12, 0)
    if cleaned == "midnight":
        return time(0, 0)
    match = _CLOCK_24.fullmatch(cleaned)
    if match:
        return time(int(match.group(1)), int(match.group(2)))
    match = _CLOCK_12.fullmatch(cleaned)
    if match:
        hour = int(match.group(1)) % 12 + (12 if match.group(3) == "p" else 0)
        return time(hour, int(match.group(2) or 0))
    raise ValueError("Enter a time like 10am, 2:30pm or 14:30")


_MONTHS = {name.lower(): number for number, name in enumerate(
    ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"), start=1)}
_MONTHS.update({name[:3]: number for name, number in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[\s/.-]+(\d{1,2}|[a-z]+)[\s/.-]+(\d{4})")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_uk_date(text: str) -> date:
    """A day written the UK way, day first: "3/12/2026", "3 12 2026", "3 December 2026", "3 Dec 2026".

    An ISO date ("2026-12-03") is read too, so links shared before keep working. Never month first:
    "12/3/2026" is 12 March.
    """
    cleaned = " ".join(text.strip().lower().replace(",", " ").split())
    try:
        if _ISO.fullmatch(cleaned):
            return date.fromisoformat(cleaned)
        match = _DAY_MONTH_YEAR.fullmatch(cleaned)
        if match:
            day, month, year = match.groups()
            month_number = int(month) if month.isdigit() else _MONTHS.get(month)
            if month_number is not None:
                return date(int(year), month_number, int(day))
    except ValueError:
        pass
    raise ValueError("Enter a real date, like 3/12/2026 or 3 December 2026")
