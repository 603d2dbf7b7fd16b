"""Money and clock times are read the way people in the UK write them."""
from __future__ import annotations

from datetime import date, time

import pytest

from core.parsing import parse_clock_time, parse_pounds, parse_uk_date, whole_number


@pytest.mark.parametrize("text, pounds", [
    ("1200000", 1_200_000), ("1,200,000", 1_200_000), ("£1,200,000", 1_200_000), (" £ 1,200,000 ", 1_200_000),
    ("£1,200,000.00", 1_200_000), ("0", 0), ("950", 950),
])
def test_budgets_are_read_with_commas_and_pound_signs(text, pounds):
    assert parse_pounds(text) == pounds


@pytest.mark.parametrize("text", ["lots", "1,20,000", "£", "1.2m", "-5", "1,200,000.50", ""])
def test_bad_budgets_get_one_plain_message(text):
    with pytest.raises(ValueError, match="Enter an amount in whole pounds, like 1,200,000"):
        parse_pounds(text)


@pytest.mark.parametrize("text, expected", [
    ("10am", time(10, 0)), ("10 am", time(10, 0)), ("2:30pm", time(14, 30)), ("2.30 p.m.", time(14, 30)),
    ("14:30", time(14, 30)), ("9:05", time(9, 5)), ("12pm", time(12, 0)), ("12am", time(0, 0)),
    ("12:15am", time(0, 15)), ("midday", time(12, 0)), ("Midnight", time(0, 0)), ("10AM", time(10, 0)),
])
def test_clock_times_are_read_in_12_and_24_hour_forms(text, expected):
    assert parse_clock_time(text) == expected


@pytest.mark.parametrize("text", ["25:99", "13pm", "0am", "10", "half two", "", "10:60"])
def test_bad_clock_times_get_one_plain_message(text):
    with pytest.raises(ValueError, match="Enter a time like 10am, 2:30pm or 14:30"):
        parse_clock_time(text)


@pytest.mark.parametrize("text, expected", [
    ("3/12/2026", date(2026, 12, 3)), ("03/12/2026", date(2026, 12, 3)), ("3 12 2026", date(2026, 12, 3)),
    ("3 December 2026", date(2026, 12, 3)), ("3 dec 2026", date(2026, 12, 3)), ("3-12-2026", date(2026, 12, 3)),
    ("12/3/2026", date(2026, 3, 12)), ("2026-12-03", date(2026, 12, 3)), (" 29 February 2028 ", date(2028, 2, 29)),
])
def test_dates_are_read_day_first_as_in_the_uk(text, expected):
    assert parse_uk_date(text) == expected


@pytest.mark.parametrize("text", ["31/13/2026", "30 February 2026", "yesterday", "2026-02-30", "3 Decembre 2026",
                                  "12/2026", ""])
def test_bad_dates_get_one_plain_message(text):
    with pytest.raises(ValueError, match="Enter a real date, like 3/12/2026 or 3 December 2026"):
        parse_uk_date(text)


@pytest.mark.parametrize("text, expected", [
    ("12", 12), (" 7 ", 7), ("0", 0), ("", None), (None, None), ("1.5", None), ("-3", None),
    ("²", None), ("١٢", None), ("1234567890", None),  # digits int() cannot read, and one digit too many
])
def test_a_whole_number_is_plain_digits_and_anything_else_is_none_not_an_error(text, expected):
    assert whole_number(text) == expected


def test_outcome_strata_in_unreadable_digits_are_reported_by_line():
    from outcomes.views import parse_strata

    problems: dict[str, str] = {}
    assert parse_strata("high, 11-15, ², 1", problems) == ()
    assert problems["strata"].startswith("Line 1 must read")
