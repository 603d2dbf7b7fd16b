"""Payment by results: a pure, versioned function of the verified returns.

It reads nothing from the database and knows no clock: the service (and the
auditor's recomputation from the trail) gathers the contract's price basis,
each outcome's payment terms, every return with its status, and what earlier
approved statements already paid, and this module says what the period pays.
Keeping it pure lets every rule be pinned by a table test and a property test.

The rules (formula version 2026.1):
- A period's price is the contract value shared by days across the term.
  Each outcome puts its share of that price at risk (rounded half up, never
  more in all than the price); the rest is the base.
- Only a verified return earns. A return that is submitted, queried,
  disputed or refused earns nothing, and a superseded one is ignored in
  favour of the return that superseded it.
- The measured figure is the proportion achieved (percent of the cohort), the
  count, the mean score on a scale, or 1/0 for a milestone.
- All or nothing: the whole amount at risk once the target is met. Linear:
  the share of the way from baseline to target, none at or before the
  baseline. Tiered: the percent of the highest tier reached. Direction
  "lower" means falling figures are better. Then the cap: no outcome earns
  more than its cap percent of the amount at risk.
- Earned is rounded half up to the penny; withheld is the rest, so earned plus
  withheld is always the amount at risk.
- A correction to a period already approved is paid (or recovered) as an
  adjustment in the statement being calculated: what the period earns now,
  less what was paid for it before. Approved statements never change.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from outcomes.periods import Period, periods

FORMULA_VERSION = "2026.1"
PAYABLE = "verified"
IGNORED = "superseded"
NOT_PAID = {"submitted": "Not paid: the return is waiting for verification",
            "queried": "Not paid: the return is queried",
            "disputed": "Not paid: the return is disputed",
            "rejected": "Not paid: the dispute was upheld"}


@dataclass(frozen=True)
class Price:
    """The contract's price basis for outcome payments."""

    value_pence: int
    starts_on: date
    ends_on: date
    period_months: int = 3


@dataclass(frozen=True)
class Terms:
    """One outcome's payment terms, as copied into the contract at award."""

    outcome_id: int
    measure: str  # proportion | count | scale | milestone
    direction: str  # higher | lower
    formula: str  # all_or_nothing | linear | tiered
    baseline: Decimal
    target: Decimal
    at_risk_percent: int
    cap_percent: int = 100
    tiers: tuple[tuple[Decimal, int], ...] = ()  # (threshold, percent of the amount at risk earned)


@dataclass(frozen=True)
class Return:
    return_id: int
    outcome_id: int
    period: str
    status: str
    cohort: int | None = None
    achieved: int | None = None
    value: Decimal | None = None


@dataclass(frozen=True)
class Line:
    outcome_id: int
    period: str
    return_id: int | None
    at_risk_pence: int
    earned_pence: int
    withheld_pence: int
    adjustment_pence: int = 0
    reason: str = ""


@dataclass(frozen=True)
class Statement:
    formula_version: str
    period: str
    base_pence: int
    at_risk_pence: int
    earned_pence: int
    withheld_pence: int
    adjustment_pence: int
    lines: tuple[Line, ...] = field(default_factory=tuple)

    @property
    def total_pence(self) -> int:
        return self.base_pence + self.earned_pence + self.adjustment_pence


def _pence(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def period_price(price: Price, period: Period) -> int:
    """The contract value shared by days: a clipped first or last period costs less."""
    term_days = (price.ends_on - price.starts_on).days + 1
    days = (period.end - period.start).days + 1
    return _pence(Decimal(price.value_pence) * days / term_days)


def at_risk(terms: Terms, price_pence: int) -> int:
    return _pence(Decimal(price_pence) * terms.at_risk_percent / 100)


def amounts_at_risk(outcomes: tuple[Terms, ...], price_pence: int) -> list[int]:
    """Each outcome's amount at risk, in order; rounding never puts more than the period's price at risk."""
    amounts, left = [], price_pence
    for terms in outcomes:
        amount = min(at_risk(terms, price_pence), max(left, 0))
        amounts.append(amount)
        left -= amount
    return amounts


def measured(terms: Terms, ret: Return) -> Decimal | None:
    """The figure the formula compares with the baseline and target; None when the return lacks it."""
    if terms.measure == "proportion":
        if not ret.cohort or ret.achieved is None:
            return None
        return Decimal(ret.achieved) * 100 / ret.cohort
    if terms.measure == "count":
        return None if ret.achieved is None else Decimal(ret.achieved)
    return ret.value


def _reached(terms: Terms, figure: Decimal, threshold: Decimal) -> bool:
    return figure >= threshold if terms.direction == "higher" else figure <= threshold


def earned_share(terms: Terms, figure: Decimal) -> Decimal:
    """The share (0 to the cap) of the amount at risk that the measured figure earns."""
    if terms.formula == "all_or_nothing":
        share = Decimal(1) if _reached(terms, figure, terms.target) else Decimal(0)
    elif terms.formula == "linear":
        if terms.target == terms.baseline:
            share = Decimal(1) if _reached(terms, figure, terms.target) else Decimal(0)
        else:
            share = min(max((figure - terms.baseline) / (terms.target - terms.baseline), Decimal(0)), Decimal(1))
    elif terms.formula == "tiered":
        reached = [percent for threshold, percent in terms.tiers if _reached(terms, figure, threshold)]
        share = Decimal(max(reached)) / 100 if reached else Decimal(0)
    else:
        raise ValueError(f"unknown payment formula {terms.formula!r}")
    return min(share, Decimal(terms.cap_percent) / 100)


def effective(returns: Iterable[Return], outcome_id: int, period: str) -> Return | None:
    """The return that counts for an outcome and period: the latest one not superseded."""
    live = [r for r in returns if r.outcome_id == outcome_id and r.period == period and r.status != IGNORED]
    return max(live, key=lambda r: r.return_id) if live else None


def line_for(terms: Terms, price_pence: int, period: str, ret: Return | None, amount: int | None = None) -> Line:
    """One outcome's line: `amount` at risk (by default its share of the price), earned by the verified return."""
    amount = at_risk(terms, price_pence) if amount is None else amount
    if ret is None:
        return Line(terms.outcome_id, period, None, amount, 0, amount, reason="Not paid: no return")
    if ret.status != PAYABLE:
        return Line(terms.outcome_id, period, ret.return_id, amount, 0, amount,
                    reason=NOT_PAID.get(ret.status, "Not paid"))
    figure = measured(terms, ret)
    if figure is None:
        return Line(terms.outcome_id, period, ret.return_id, amount, 0, amount,
                    reason="Not paid: the return lacks the figure")
    share = earned_share(terms, figure)
    earned = _pence(amount * share)
    return Line(terms.outcome_id, period, ret.return_id, amount, earned, amount - earned,
                reason=f"Measured {figure.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}: "
                       f"{(share * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}% of the amount at risk")


def _calculate_2026_1(price: Price, outcomes: tuple[Terms, ...], period: str, returns: tuple[Return, ...],
                      paid: Mapping[tuple[str, int], int]) -> Statement:
    schedule = {p.label: p for p in periods(price.starts_on, price.ends_on, price.period_months)}
    if period not in schedule:
        raise ValueError(f"{period} is not a period of this contract")
    price_pence = period_price(price, schedule[period])
    lines = [line_for(t, price_pence, period, effective(returns, t.outcome_id, period), amount)
             for t, amount in zip(outcomes, amounts_at_risk(outcomes, price_pence))]
    adjustments = []
    for (earlier, outcome_id), already in sorted(paid.items()):
        if earlier == period or earlier not in schedule:
            continue
        terms = next((t for t in outcomes if t.outcome_id == outcome_id), None)
        if terms is None:
            continue
        earlier_price = period_price(price, schedule[earlier])
        amount = dict(zip((t.outcome_id for t in outcomes), amounts_at_risk(outcomes, earlier_price)))[outcome_id]
        now_earned = line_for(terms, earlier_price, earlier, effective(returns, outcome_id, earlier), amount)
        if now_earned.earned_pence != already:
            adjustments.append(Line(outcome_id, earlier, now_earned.return_id, 0, 0, 0,
                                    adjustment_pence=now_earned.earned_pence - already,
                                    reason=f"Correction to {earlier}: earns {now_earned.earned_pence} pence "
                                           f"where {already} pence was paid"))
    risk = sum(x.at_risk_pence for x in lines)
    earned = sum(x.earned_pence for x in lines)
    return Statement(formula_version="2026.1", period=period, base_pence=price_pence - risk, at_risk_pence=risk,
                     earned_pence=earned, withheld_pence=risk - earned,
                     adjustment_pence=sum(a.adjustment_pence for a in adjustments),
                     lines=tuple(lines) + tuple(adjustments))


VERSIONS: dict[str, Callable[..., Statement]] = {"2026.1": _calculate_2026_1}


def calculate(version: str, price: Price, outcomes: Iterable[Terms], period: str, returns: Iterable[Return],
              paid: Mapping[tuple[str, int], int] | None = None) -> Statement:
    """The statement for `period` under formula `version`.

    `paid` maps (earlier period, outcome id) to what approved statements have
    paid for it so far (earned plus adjustments): a difference from what the
    period earns now is this statement's adjustment.
    """
    if version not in VERSIONS:
        raise ValueError(f"unknown formula version {version!r}")
    return VERSIONS[version](price, tuple(outcomes), period, tuple(returns), dict(paid or {}))
