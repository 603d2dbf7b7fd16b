"""Which transparency notices a procurement owes, and whether each is due, overdue or published.

A pure function of dates and state: it reads nothing from the database and
takes "today" from the caller (the project clock, core.clock), so every
line of the table is pinned by a unit test. Notices are named as the law
names them, with their form number on the Find a Tender service.

Sources:
- PA23 s.50: contract award notice (UK6), before entering into a public contract.
- PA23 s.53: contract details notice (UK7), within the period of 30 days
  beginning with the day the contract is entered into, or 120 days for a
  light touch contract.
- PA23 s.55: procurement termination notice, when an authority decides not to
  award the contract after a tender or transparency notice was published.
- PA23 s.75: contract change notice (UK10), before modifying a public contract
  where the section requires one (the modification check decides: see
  tenders.modification_rules).
- PA23 s.52: key performance indicators for a public contract worth more than
  £5m (not for light touch contracts), assessed and published in a contract
  performance notice (UK9) at least once every 12 months; for other contracts
  the notice is voluntary.
- PA23 s.80: contract termination notice, within the period of 30 days
  beginning with the day the contract ends, whether it is terminated early or
  runs to the end of its term.
These duties bind "public contracts": a below-threshold contract has its own
Part 6 rules, a Provider Selection Regime contract the PSR's own notices, and
a contract procured before 24 February 2025 the PCR 2015.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

PUBLIC_CONTRACT_REGIMES = ("light_touch", "public_contract")
KPI_THRESHOLD_PENCE = 500_000_000  # PA23 s.52: contracts worth more than £5m
DETAILS_DAYS = 30  # PA23 s.53
DETAILS_DAYS_LIGHT_TOUCH = 120  # PA23 s.53, light touch contracts
TERMINATION_DAYS = 30  # PA23 s.80
PERFORMANCE_MONTHS = 12  # PA23 s.52: at least once every 12 months

STATES = {
    "published": "Published",
    "due": "Due",
    "overdue": "Overdue",
    "voluntary": "Voluntary",
    "not_required": "Not required",
}


@dataclass(frozen=True)
class NoticeFacts:
    """Everything the notice table depends on, gathered by tenders.services.notices."""

    regime: str | None  # the contract's regime (or the tender notice's, before there is a contract)
    framework: str  # "pa23" | "pcr2015"
    stage: str
    tender_published_at: datetime | None = None
    award_published_at: datetime | None = None
    closed_at: datetime | None = None
    contract_entered_at: datetime | None = None
    contract_value_pence: int | None = None
    contract_starts_on: date | None = None
    contract_ends_on: date | None = None
    terminated_on: date | None = None
    details_published_at: datetime | None = None
    termination_published_at: datetime | None = None
    performance_published_at: list[datetime] = field(default_factory=list)
    change_notices_published_at: list[datetime] = field(default_factory=list)  # modifications s.75(1) required


@dataclass(frozen=True)
class NoticeStatus:
    code: str
    form: str  # the Find a Tender form number ("UK7"), "" where the notice has none
    label: str
    state: str  # a key of STATES
    why: str
    source: str
    due_on: date | None = None  # the last day to publish it
    published_at: datetime | None = None

    @property
    def state_label(self) -> str:
        return STATES[self.state]


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_day(start: date, days: int) -> date:
    """The last day of a period of `days` days beginning with `start` (start counts as day 1)."""
    return start + timedelta(days=days - 1)


def _owed(due_on: date, today: date) -> str:
    return "overdue" if today > due_on else "due"


def notice_statuses(f: NoticeFacts, today: date) -> list[NoticeStatus]:
    """Every notice this procurement owes or has published, in the order the law asks for them."""
    if f.regime == "psr":
        return [NoticeStatus("psr", "", "Procurement Act 2023 notices", "not_required",
                             "This is a Provider Selection Regime contract: the PSR's own notices apply, not the "
                             "Procurement Act's.",
                             "Health Care Services (Provider Selection Regime) Regulations 2023")]
    if f.framework != "pa23":
        return [NoticeStatus("pcr", "", "Procurement Act 2023 notices", "not_required",
                             "This procurement began before 24 February 2025: the Public Contracts Regulations "
                             "2015 govern its notices.",
                             "Public Contracts Regulations 2015, kept in force by the Procurement Act 2023's "
                             "transitional regulations")]
    public = f.regime in PUBLIC_CONTRACT_REGIMES
    found: list[NoticeStatus] = []
    if f.award_published_at is not None:
        found.append(NoticeStatus(
            "contract_award", "UK6", "Contract award notice", "published",
            "Published with the award decision; the standstill period counts from it.",
            "Procurement Act 2023 s.50" if public else
            "Platform policy (Procurement Act 2023 s.50 requires it only for public contracts)",
            published_at=f.award_published_at))
    if f.stage in ("cancelled", "unsuccessful") and f.tender_published_at is not None and f.closed_at is not None:
        found.append(NoticeStatus(
            "procurement_termination", "", "Procurement termination notice", "published",
            "The authority decided not to award the contract after the tender notice: the notice was published "
            "with the decision and its reason.", "Procurement Act 2023 s.55", published_at=f.closed_at))
    if f.contract_entered_at is not None:
        starts_on, ends_on = _term(f)
        found.append(_details(f, f.contract_entered_at, public, today))
        found.extend(_changes(f, public))
        found.append(_performance(f, starts_on, ends_on, public, today))
        termination = _termination(f, ends_on, public, today)
        if termination is not None:
            found.append(termination)
    return found


def _term(f: NoticeFacts) -> tuple[date, date]:
    """The contract's first and last days: the facts of a contract entered into always carry both."""
    if f.contract_starts_on is None or f.contract_ends_on is None:
        raise ValueError("The facts of a contract entered into must give its start and end")
    return f.contract_starts_on, f.contract_ends_on


def _details(f: NoticeFacts, entered_at: datetime, public: bool, today: date) -> NoticeStatus:
    if not public:
        return NoticeStatus("contract_details", "UK7", "Contract details notice", "not_required",
                            "A below-threshold contract is not a public contract: section 53 does not apply.",
                            "Procurement Act 2023 s.53", published_at=f.details_published_at)
    light = f.regime == "light_touch"
    days = DETAILS_DAYS_LIGHT_TOUCH if light else DETAILS_DAYS
    due_on = last_day(entered_at.date(), days)
    why = (f"Within {days} days beginning with the day the contract was entered into"
           + (" (120 for a light touch contract)." if light else "."))
    if f.details_published_at is not None:
        return NoticeStatus("contract_details", "UK7", "Contract details notice", "published", why,
                            "Procurement Act 2023 s.53", due_on=due_on, published_at=f.details_published_at)
    return NoticeStatus("contract_details", "UK7", "Contract details notice", _owed(due_on, today), why,
                        "Procurement Act 2023 s.53", due_on=due_on)


def _changes(f: NoticeFacts, public: bool) -> list[NoticeStatus]:
    return [NoticeStatus("contract_change", "UK10", "Contract change notice", "published",
                         "Published with the modification, which the modification check said needed one.",
                         "Procurement Act 2023 s.75(1)", published_at=moment)
            for moment in f.change_notices_published_at]


def kpis_required(regime: str | None, value_pence: int | None) -> bool:
    """PA23 s.52: key performance indicators, and a performance notice (UK9) against them, are owed for a public
    contract worth more than £5m that is not a light touch contract."""
    return regime in PUBLIC_CONTRACT_REGIMES and regime != "light_touch" and (value_pence or 0) > KPI_THRESHOLD_PENCE


def _performance(f: NoticeFacts, starts_on: date, ends_on: date, public: bool, today: date) -> NoticeStatus:
    required = kpis_required(f.regime, f.contract_value_pence)
    latest = max(f.performance_published_at, default=None)
    if not required:
        return NoticeStatus(
            "contract_performance", "UK9", "Contract performance notice", "published" if latest else "voluntary",
            "Key performance indicators are required only for a public contract worth more than £5m that is not a "
            "light touch contract; publishing an assessment is voluntary here.", "Procurement Act 2023 s.52",
            published_at=latest)
    since = latest.date() if latest is not None else starts_on
    due_on = add_months(since, PERFORMANCE_MONTHS)
    why = ("The contract is worth more than £5m: assess it against its key performance indicators and publish "
           "the assessment at least once every 12 months.")
    running = today <= (f.terminated_on or ends_on)
    if latest is not None and (today <= due_on or not running):
        return NoticeStatus("contract_performance", "UK9", "Contract performance notice", "published", why,
                            "Procurement Act 2023 s.52", due_on=due_on if running else None, published_at=latest)
    return NoticeStatus("contract_performance", "UK9", "Contract performance notice", _owed(due_on, today), why,
                        "Procurement Act 2023 s.52", due_on=due_on, published_at=latest)


def _termination(f: NoticeFacts, ends_on: date, public: bool, today: date) -> NoticeStatus | None:
    ended = f.terminated_on or ends_on
    if f.termination_published_at is None and today <= ended:
        return None  # the contract is still running: nothing is owed yet
    why = "Within 30 days beginning with the day the contract ends, whether terminated early or at the end of its term."
    if not public:
        return NoticeStatus("contract_termination", "", "Contract termination notice",
                            "published" if f.termination_published_at else "not_required",
                            "A below-threshold contract is not a public contract: section 80 does not apply.",
                            "Procurement Act 2023 s.80", published_at=f.termination_published_at)
    due_on = last_day(ended, TERMINATION_DAYS)
    if f.termination_published_at is not None:
        return NoticeStatus("contract_termination", "", "Contract termination notice", "published", why,
                            "Procurement Act 2023 s.80", due_on=due_on, published_at=f.termination_published_at)
    return NoticeStatus("contract_termination", "", "Contract termination notice", _owed(due_on, today), why,
                        "Procurement Act 2023 s.80", due_on=due_on)
