"""Working days and the standstill period, in UK local time.

PA23 s.123 (interpretation): a "working day" is any day other than a
Saturday, a Sunday, Christmas Day, Good Friday or a bank holiday under the
Banking and Financial Dealings Act 1971 in ANY part of the United Kingdom. So a
Scottish or Northern Irish bank holiday (St Andrew's Day, 2 January, St
Patrick's Day, the Battle of the Boyne) is not a working day in Cornwall
either: the set here is the union of England and Wales, Scotland and Northern
Ireland.

PA23 s.51(2)-(3): the mandatory standstill period is eight working days
BEGINNING WITH the day the contract award notice is published, so the
publication day counts when it is a working day. The Health Care Services
(Provider Selection Regime) Regulations 2023 (SI 2023/1348) reg 12 counts its
eight working days from the day AFTER the notice of the decision. Either way the
contract may be entered into from the calendar day after the last day.

The date a notice was published is the date on a UK clock (Europe/London): an
award published at 00:30 BST is published on that day, not on the previous UTC
day.

Bank holidays come from the `holidays` package, which works them out for any
year by the rules gov.uk publishes, substitute days included, and carries
one-off proclaimed holidays: keep it up to date like any dependency.
tests/unit/tenders/test_workingdays.py checks it against gov.uk's lists.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import holidays

from core.timezones import UK

# The three bank-holiday jurisdictions of the United Kingdom, by the `holidays` package's subdivision codes.
UK_PARTS = {"ENG": "England and Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}
STANDSTILL_WORKING_DAYS = 8
PA23_STANDSTILL_BASIS = ("Procurement Act 2023 s.51: 8 working days beginning with the day the contract award "
                         "notice is published; working day as defined in s.123 (not a Saturday, Sunday, Christmas "
                         "Day, Good Friday or a bank holiday in any part of the United Kingdom).")
PSR_STANDSTILL_BASIS = ("Health Care Services (Provider Selection Regime) Regulations 2023 (SI 2023/1348) reg 12: "
                        "8 working days beginning with the day after the notice of the decision is published. "
                        "Working days exclude a bank holiday in any part of the United Kingdom, as under the "
                        "Procurement Act 2023 s.123: platform policy, the cautious reading.")
RULES = {"pa23": PA23_STANDSTILL_BASIS, "psr": PSR_STANDSTILL_BASIS}


@lru_cache(maxsize=32)
def bank_holidays(year: int, part: str = "ENG") -> frozenset[date]:
    """One part of the UK's bank holidays in a year (ENG covers England and Wales)."""
    return frozenset(holidays.country_holidays("GB", subdiv=part, years=year))


@lru_cache(maxsize=32)
def uk_bank_holidays(year: int) -> frozenset[date]:
    """Every day that is a bank holiday somewhere in the United Kingdom (PA23 s.123)."""
    return frozenset().union(*(bank_holidays(year, part) for part in UK_PARTS))


def is_working_day(day: date) -> bool:
    """PA23 s.123. Christmas Day and Good Friday are bank holidays in every part, so the union covers them."""
    return day.weekday() < 5 and day not in uk_bank_holidays(day.year)


def uk_date(moment: datetime) -> date:
    """The day on a UK clock: aware datetimes as they are, naive ones as UTC (how the database stores them)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UK).date()


@dataclass(frozen=True)
class Standstill:
    published_on: date  # the UK date the notice was published
    days_counted: tuple[date, ...]  # the working days that make up the period, in order
    ends_on: date  # the last day: the period ends at midnight at its end
    contract_from: date  # the first day the contract may be entered into
    rule: str  # pa23 | psr
    basis: str


def standstill(published_at: datetime, rule: str = "pa23") -> Standstill:
    """The standstill period after a notice published at `published_at` (aware, or naive UTC).

    rule "pa23": PA23 s.51, beginning with the publication day; "psr": SI 2023/1348 reg 12, from the day after.
    """
    if rule not in RULES:
        raise ValueError(f"Unknown standstill rule {rule!r}")
    published_on = uk_date(published_at)
    day = published_on if rule == "pa23" else published_on + timedelta(days=1)
    counted: list[date] = []
    while len(counted) < STANDSTILL_WORKING_DAYS:
        if is_working_day(day):
            counted.append(day)
        day += timedelta(days=1)
    ends_on = counted[-1]
    return Standstill(published_on=published_on, days_counted=tuple(counted), ends_on=ends_on,
                      contract_from=contract_from(ends_on), rule=rule, basis=RULES[rule])


def contract_from(ends_on: date) -> date:
    """The first day a contract may be entered into: the calendar day after the standstill's last day."""
    return ends_on + timedelta(days=1)


# Whether each regime's contracts must stand still, and why (regime codes of tenders.regime_rules).
STANDSTILL_BY_REGIME = {
    "public_contract": (True, "Mandatory for a public contract (PA23 s.51(1))."),
    "light_touch": (False, "A light-touch contract may be entered into without a standstill (PA23 s.51(3)). The "
                           "platform keeps the standstill by default: platform policy."),
    "psr": (True, "Mandatory after direct award process C, the most suitable provider process and the competitive "
                  "process; not after direct award processes A and B (SI 2023/1348 reg 12)."),
    "notifiable_below_threshold": (False, "No mandatory standstill for a below-threshold contract (PA23 s.51 applies "
                                          "to public contracts); the dates are those of a voluntary standstill."),
    "below_threshold": (False, "No mandatory standstill for a below-threshold contract (PA23 s.51 applies to "
                               "public contracts); the dates are those of a voluntary standstill."),
}


@dataclass(frozen=True)
class StandstillAnswer:
    standstill: Standstill
    mandatory: bool
    basis: str  # the count's basis and whether this regime must stand still


def standstill_for_regime(published_at: datetime, regime: str) -> StandstillAnswer:
    """The standstill a contract in `regime` would have after a notice published at `published_at`."""
    if regime not in STANDSTILL_BY_REGIME:
        raise ValueError(f"Unknown regime {regime!r}")
    period = standstill(published_at, "psr" if regime == "psr" else "pa23")
    mandatory, why = STANDSTILL_BY_REGIME[regime]
    return StandstillAnswer(period, mandatory, f"{period.basis} {why}")


def standstill_over(ends_on: date, now: datetime) -> bool:
    """Whether a standstill ending on `ends_on` is over at `now`: it ends at midnight, UK time."""
    return uk_date(now) > ends_on
