"""UK time for people, naive UTC in the database.

Why: deadlines here are legal facts. A commissioner who types 12:00 for a
summer response deadline means noon in the UK, which is 11:00 UTC; storing
what they typed as if it were UTC would keep the box open for an hour past
the advertised time. Everything a person types is read as UK time and stored
as UTC; everything shown to a person is UTC turned back into UK time. The
audit trail and the open-data exports stay in UTC, and say so.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from markupsafe import Markup

UK = ZoneInfo("Europe/London")


def uk_to_utc(day: date, moment: time) -> datetime:
    """A day and clock time as read on a UK clock, as naive UTC for storage."""
    local = datetime.combine(day, moment).replace(tzinfo=UK)
    return local.astimezone(UTC).replace(tzinfo=None)


def in_uk(value: datetime) -> datetime:
    """A stored (naive UTC) time on the UK clock."""
    return value.replace(tzinfo=UTC).astimezone(UK)


def clock_words(moment: time | datetime) -> str:
    """A clock time in GOV.UK style: "7:22am", "10am", "midday", "midnight"."""
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def uk_clock(value: datetime | None) -> str:
    """Only the clock time of a stored instant, on the UK clock: "2:30pm"."""
    return clock_words(in_uk(value)) if value is not None else ""


def uk_date(value: date | datetime | None) -> str:
    """A day in GOV.UK style, "3 December 2026"; a stored datetime is first put on the UK clock."""
    if value is None:
        return ""
    day = in_uk(value).date() if isinstance(value, datetime) else value
    return f"{day.day} {day:%B %Y}"


def uk_time(value: datetime | None, fmt: str | None = None) -> str:
    """A stored time as people in the UK read it, "3 December 2026, 7:22am"; the `uk_time` template filter.

    One form everywhere (GOV.UK style) unless a caller asks for a strftime format of its own.
    """
    if value is None:
        return ""
    local = in_uk(value)
    if fmt is not None:
        return local.strftime(fmt)
    return f"{uk_date(local.date())}, {clock_words(local)}"


def exact_utc(value: datetime | None) -> str:
    """The exact stored instant, as the audit trail and its exports keep it: "2026-12-03 07:22:05 UTC"."""
    return f"{value:%Y-%m-%d %H:%M:%S} UTC" if value is not None else ""


def uk_when(value: datetime | None) -> str:
    """The short form messages and summaries use: "1 July 2027 at 12:00"."""
    return uk_time(value, "%-d %B %Y at %H:%M")


def uk_time_with_utc(value: datetime | str | None) -> Markup:
    """UK time for people, with the exact UTC instant a hover (or a screen reader's title) away.

    For audit pages: people read UK time, while the trail and its exports keep exact UTC. Takes
    a stored naive-UTC datetime, or the trail's own text form ("2026-12-03T07:22:05.000000Z").
    """
    if not value:
        return Markup("")
    if isinstance(value, str):
        value = datetime.fromisoformat(value.removesuffix("Z"))
    return Markup('<time datetime="{}" title="{}">{}</time>').format(
        f"{value:%Y-%m-%dT%H:%M:%S}Z", exact_utc(value), uk_time(value))
