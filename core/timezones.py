"""UK time for people, naive UTC in the database.

Why: deadlines here are legal facts. A commissioner who types 12:00 for a
summer response deadline means noon in the UK, which is 11:00 UTC; storing
what they typed as if it were UTC would keep the box open for an hour past
the advertised time. Everything a person types is read as UK time and stored
as UTC; everything shown to a person is UTC turned back into UK time. The
audit trail and the open-data exports stay in UTC, and say so.
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")
DEFAULT_FORMAT = "%A %-d %B %Y, %H:%M"


def uk_to_utc(day: date, moment: time) -> datetime:
    """A day and clock time as read on a UK clock, as naive UTC for storage."""
    local = datetime.combine(day, moment).replace(tzinfo=UK)
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def in_uk(value: datetime) -> datetime:
    """A stored (naive UTC) time on the UK clock."""
    return value.replace(tzinfo=timezone.utc).astimezone(UK)


def uk_time(value: datetime | None, fmt: str = DEFAULT_FORMAT) -> str:
    """A stored time as people in the UK read it; the `uk_time` template filter."""
    return in_uk(value).strftime(fmt) if value is not None else ""


def uk_when(value: datetime | None) -> str:
    """The short form messages and summaries use: "1 July 2027 at 12:00"."""
    return uk_time(value, "%-d %B %Y at %H:%M")
