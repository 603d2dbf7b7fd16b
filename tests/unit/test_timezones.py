"""People type and read UK time; the database holds naive UTC (core.timezones)."""
from __future__ import annotations

from datetime import date, datetime, time

from core.timezones import uk_time, uk_to_utc, uk_when


def test_a_summer_time_typed_in_the_uk_is_stored_an_hour_earlier_in_utc():
    assert uk_to_utc(date(2027, 7, 1), time(12, 0)) == datetime(2027, 7, 1, 11, 0)


def test_a_winter_time_typed_in_the_uk_is_stored_unchanged():
    assert uk_to_utc(date(2027, 1, 15), time(12, 0)) == datetime(2027, 1, 15, 12, 0)


def test_stored_times_are_shown_on_the_uk_clock_across_the_clock_change():
    assert uk_when(datetime(2027, 7, 1, 11, 0)) == "1 July 2027 at 12:00"
    assert uk_when(datetime(2027, 1, 15, 12, 0)) == "15 January 2027 at 12:00"
    assert uk_time(datetime(2026, 3, 29, 0, 30)) == "Sunday 29 March 2026, 00:30"  # before 01:00 UTC: still GMT
    assert uk_time(datetime(2026, 3, 29, 1, 30)) == "Sunday 29 March 2026, 02:30"  # after: BST


def test_a_missing_time_shows_as_nothing():
    assert uk_time(None) == "" and uk_when(None) == ""
