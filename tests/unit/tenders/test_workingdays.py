"""Working days anywhere in the UK and the standstill period, counted in UK local time (PA23 ss.51, 123; PSR reg 12)."""
from datetime import date, datetime

import pytest

from core.timezones import UK
from tenders.workingdays import (
    bank_holidays,
    is_working_day,
    standstill,
    standstill_for_regime,
    standstill_over,
    uk_bank_holidays,
)

# (published at (naive UTC, as stored), rule, first day counted, last day, first contract day, days left out)
STANDSTILL_CASES = [
    pytest.param(datetime(2026, 11, 28, 10, 0), "pa23", date(2026, 12, 1), date(2026, 12, 10), date(2026, 12, 11),
                 {date(2026, 11, 30)}, id="saturday-28-nov-2026-st-andrews-day-is-not-a-working-day"),
    pytest.param(datetime(2026, 3, 3, 9, 0), "pa23", date(2026, 3, 3), date(2026, 3, 12), date(2026, 3, 13),
                 set(), id="working-day-publication-counts-as-day-one"),
    pytest.param(datetime(2025, 12, 27, 12, 0), "pa23", date(2025, 12, 29), date(2026, 1, 9), date(2026, 1, 10),
                 {date(2026, 1, 1), date(2026, 1, 2)}, id="christmas-and-new-year-with-scotlands-2-january"),
    pytest.param(datetime(2026, 4, 2, 9, 0), "pa23", date(2026, 4, 2), date(2026, 4, 15), date(2026, 4, 16),
                 {date(2026, 4, 3), date(2026, 4, 6)}, id="easter-good-friday-and-easter-monday"),
    pytest.param(datetime(2027, 6, 1, 23, 30), "pa23", date(2027, 6, 2), date(2027, 6, 11), date(2027, 6, 12),
                 set(), id="00-30-bst-on-wednesday-2-june-2027-counts-from-2-june"),
    pytest.param(datetime(2026, 3, 3, 9, 0), "psr", date(2026, 3, 4), date(2026, 3, 13), date(2026, 3, 14),
                 set(), id="psr-counts-from-the-day-after-the-notice"),
]


@pytest.mark.parametrize(("published_at", "rule", "first", "ends_on", "contract_from", "skipped"), STANDSTILL_CASES)
def test_standstill_is_eight_uk_working_days_ending_and_opening_on_the_right_days(
        published_at, rule, first, ends_on, contract_from, skipped):
    period = standstill(published_at, rule)
    assert len(period.days_counted) == 8
    assert period.days_counted[0] == first
    assert period.ends_on == period.days_counted[-1] == ends_on
    assert period.contract_from == contract_from
    assert not skipped & set(period.days_counted)
    assert all(is_working_day(d) for d in period.days_counted)


def test_an_aware_time_is_read_on_the_uk_clock_like_the_stored_utc_one():
    assert standstill(datetime(2027, 6, 2, 0, 30, tzinfo=UK)) == standstill(datetime(2027, 6, 1, 23, 30))
    assert standstill(datetime(2027, 6, 2, 0, 30, tzinfo=UK)).published_on == date(2027, 6, 2)


@pytest.mark.parametrize(("day", "why"), [
    (date(2026, 11, 30), "St Andrew's Day (Scotland)"),
    (date(2026, 1, 2), "2 January (Scotland)"),
    (date(2026, 8, 3), "Summer bank holiday (Scotland)"),
    (date(2026, 3, 17), "St Patrick's Day (Northern Ireland)"),
    (date(2026, 7, 13), "Battle of the Boyne, substitute day (Northern Ireland)"),
    (date(2026, 8, 31), "Summer bank holiday (England and Wales)"),
    (date(2026, 12, 25), "Christmas Day"),
    (date(2026, 4, 3), "Good Friday"),
    (date(2026, 12, 5), "a Saturday"),
])
def test_a_bank_holiday_in_any_part_of_the_uk_is_not_a_working_day(day, why):
    assert not is_working_day(day), why


def test_an_ordinary_weekday_is_a_working_day():
    assert is_working_day(date(2026, 12, 1))


def test_standstill_ends_at_midnight_uk_time_not_utc():
    # Ends Friday 11 June 2027: 23:30 UTC that day is already 00:30 BST on Saturday 12 June.
    assert not standstill_over(date(2027, 6, 11), datetime(2027, 6, 11, 22, 59))
    assert standstill_over(date(2027, 6, 11), datetime(2027, 6, 11, 23, 30))


def test_light_touch_may_skip_standstill_and_says_keeping_it_is_platform_policy():
    answer = standstill_for_regime(datetime(2026, 3, 3, 9, 0), "light_touch")
    assert not answer.mandatory and "platform policy" in answer.basis and "s.51" in answer.basis
    assert standstill_for_regime(datetime(2026, 3, 3, 9, 0), "public_contract").mandatory
    psr = standstill_for_regime(datetime(2026, 3, 3, 9, 0), "psr")
    assert psr.standstill.rule == "psr" and "reg 12" in psr.basis
    with pytest.raises(ValueError):
        standstill_for_regime(datetime(2026, 3, 3, 9, 0), "unknown")


# gov.uk/bank-holidays, England and Wales, as published: the library must agree with it.
GOV_UK_BANK_HOLIDAYS = {
    2025: {date(2025, 1, 1), date(2025, 4, 18), date(2025, 4, 21), date(2025, 5, 5), date(2025, 5, 26),
           date(2025, 8, 25), date(2025, 12, 25), date(2025, 12, 26)},
    2026: {date(2026, 1, 1), date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 4), date(2026, 5, 25),
           date(2026, 8, 31), date(2026, 12, 25), date(2026, 12, 28)},  # Boxing Day on a Saturday: Monday 28th
    2027: {date(2027, 1, 1), date(2027, 3, 26), date(2027, 3, 29), date(2027, 5, 3), date(2027, 5, 31),
           date(2027, 8, 30), date(2027, 12, 27), date(2027, 12, 28)},  # both at a weekend: 27th and 28th
}
# gov.uk/bank-holidays, Scotland and Northern Ireland, 2026: the days England and Wales do not have.
OTHER_PARTS_2026 = {"SCT": {date(2026, 1, 2), date(2026, 8, 3), date(2026, 11, 30)},
                    "NIR": {date(2026, 3, 17), date(2026, 7, 13)}}


@pytest.mark.parametrize("year", sorted(GOV_UK_BANK_HOLIDAYS))
def test_bank_holidays_on_working_days_match_gov_uk(year):
    assert {d for d in bank_holidays(year) if d.weekday() < 5} == GOV_UK_BANK_HOLIDAYS[year]


@pytest.mark.parametrize("part", sorted(OTHER_PARTS_2026))
def test_scottish_and_northern_irish_days_are_in_the_uk_wide_set(part):
    assert OTHER_PARTS_2026[part] <= bank_holidays(2026, part)
    assert OTHER_PARTS_2026[part] <= uk_bank_holidays(2026)


def test_standstill_runs_into_years_after_the_published_list():
    # Published Monday 23 December 2030: 23, 24, (25, 26), 27, 30, 31, (1 and 2 January 2031), 3, 6, 7
    assert standstill(datetime(2030, 12, 23, 10, 0)).ends_on == date(2031, 1, 7)
