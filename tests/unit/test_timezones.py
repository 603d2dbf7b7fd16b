"""People type and read UK time; the database holds naive UTC (core.timezones)."""
from __future__ import annotations

from datetime import date, datetime, time

from core.timezones import uk_date, uk_time, uk_time_with_utc, uk_to_utc, uk_when


def test_a_summer_time_typed_in_the_uk_is_stored_an_hour_earlier_in_utc():
    assert uk_to_utc(date(2027, 7, 1), time(12, 0)) == datetime(2027, 7, 1, 11, 0)


def test_a_winter_time_typed_in_the_uk_is_stored_unchanged():
    assert uk_to_utc(date(2027, 1, 15), time(12, 0)) == datetime(2027, 1, 15, 12, 0)


def test_stored_times_are_shown_on_the_uk_clock_across_the_clock_change():
    assert uk_when(datetime(2027, 7, 1, 11, 0)) == "1 July 2027 at 12:00"
    assert uk_when(datetime(2027, 1, 15, 12, 0)) == "15 January 2027 at 12:00"
    assert uk_time(datetime(2026, 3, 29, 0, 30)) == "29 March 2026, 12:30am"  # before 01:00 UTC: still GMT
    assert uk_time(datetime(2026, 3, 29, 1, 30)) == "29 March 2026, 2:30am"  # after: BST


def test_a_missing_time_shows_as_nothing():
    assert uk_time(None) == "" and uk_when(None) == ""


def test_times_are_shown_in_gov_uk_style():
    assert uk_time(datetime(2026, 12, 3, 7, 22)) == "3 December 2026, 7:22am"
    assert uk_time(datetime(2026, 12, 3, 14, 0)) == "3 December 2026, 2pm"
    assert uk_time(datetime(2026, 12, 3, 12, 0)) == "3 December 2026, midday"
    assert uk_time(datetime(2026, 12, 3, 0, 0)) == "3 December 2026, midnight"
    assert uk_time(datetime(2027, 7, 1, 11, 5)) == "1 July 2027, 12:05pm"  # BST
    assert uk_date(date(2027, 1, 5)) == "5 January 2027" and uk_date(datetime(2027, 6, 30, 23, 30)) == "1 July 2027"


def test_audit_times_show_uk_time_with_exact_utc_in_the_title():
    shown = str(uk_time_with_utc(datetime(2027, 7, 1, 11, 5, 9)))
    assert ">1 July 2027, 12:05pm</time>" in shown and 'title="2027-07-01 11:05:09 UTC"' in shown
    assert str(uk_time_with_utc("2027-07-01T11:05:09.123456Z")).count("2027-07-01 11:05:09 UTC") == 1
