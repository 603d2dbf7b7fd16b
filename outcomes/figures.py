"""What the contract outcome pages and the API publish: targets against actuals, payments, ratings, the timeline.

Counts of children go through the shared small-number suppression
(core.disclosure): each outcome's periods form one table of achieved and not
achieved with the cohort as its row total, so no hidden count can be worked
out from the totals beside it, and a percentage from a hidden count is hidden
too. The parties and auditors get the same structures unsuppressed. Only
verified returns are actuals.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from core import charts
from core.disclosure import THRESHOLD, Figure, rate, suppress_count, suppress_table
from core.extensions import db
from outcomes.models import (
    ContractOutcome,
    Measure,
    OutcomeReturn,
    OutcomeTerms,
    PaymentStatement,
    ReturnDecision,
    ReturnStatus,
)
from outcomes.periods import Period, reporting_periods
from outcomes.services.common import outcomes_for, terms_for
from outcomes.services.statements import statements_for
from tenders.models import Contract


@dataclass(frozen=True)
class PeriodResult:
    period: str
    period_end: date
    cohort: Figure | None
    achieved: Figure | None
    actual: float | None  # percent, count or score, as the chart plots it; None when not shown
    actual_label: str


@dataclass(frozen=True)
class OutcomeResults:
    outcome: ContractOutcome
    rows: tuple[PeriodResult, ...]
    total_cohort: Figure | None
    total_achieved: Figure | None
    chart: charts.Chart


def _number(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def _shown(value: float | None, unit: str) -> str:
    if value is None:
        return "not published"
    return f"{value:,.1f}".removesuffix(".0") + unit


def verified_by_period(contract: Contract) -> dict[tuple[int, str], OutcomeReturn]:
    found = db.session.scalars(select(OutcomeReturn).where(OutcomeReturn.contract_id == contract.id,
                                                           OutcomeReturn.status == ReturnStatus.VERIFIED))
    return {(r.outcome_id, r.period): r for r in found}


def reported_periods(terms: OutcomeTerms, contract: Contract, today: date) -> list[Period]:
    return reporting_periods(terms.starts_on, terms.ends_on, contract.ended_on, terms.period_months, today)


def period_rows(outcome: ContractOutcome, periods: list[Period], verified: dict[tuple[int, str], OutcomeReturn],
                *, full: bool) -> tuple[list[PeriodResult], Figure | None, Figure | None]:
    """One outcome's actuals by period with the cohort and achieved totals, suppressed unless `full`."""
    found = [verified.get((outcome.id, p.label)) for p in periods]
    unit = "%" if outcome.measure == Measure.PROPORTION else ""
    rows: list[PeriodResult] = []
    total_cohort = total_achieved = None
    cohort: Figure | None  # a period's cohort: shown, suppressed or not reported
    if outcome.measure == Measure.PROPORTION:
        reported = [r for r in found if r is not None]
        grid = [[r.achieved or 0, (r.cohort or 0) - (r.achieved or 0)] for r in reported]
        # Full figures: a threshold of 0 hides nothing (no count is below it).
        table = suppress_table(grid, threshold=0 if full else THRESHOLD) if grid else None
        for p, r in zip(periods, found):
            if r is None or table is None:  # any return at all means the table was made
                rows.append(PeriodResult(p.label, p.end, None, None, None, "no verified return"))
                continue
            i = reported.index(r)
            achieved, cohort = table.cells[i][0], table.row_totals[i]
            share = rate(achieved, cohort)
            actual = None if share is None else round(share * 100, 1)
            rows.append(PeriodResult(p.label, p.end, cohort, achieved, actual, _shown(actual, unit)))
        if table is not None:
            total_cohort, total_achieved = table.total, table.column_totals[0]
    else:
        for p, r in zip(periods, found):
            if r is None:
                rows.append(PeriodResult(p.label, p.end, None, None, None, "no verified return"))
                continue
            cohort = None if r.cohort is None else (Figure(r.cohort) if full else suppress_count(r.cohort))
            if outcome.measure == Measure.COUNT:
                achieved = Figure(r.achieved or 0) if full else suppress_count(r.achieved or 0)
                actual = _number(achieved.shown)
                rows.append(PeriodResult(p.label, p.end, cohort, achieved, actual, achieved.label))
            elif outcome.measure == Measure.MILESTONE:
                met = r.value == 1
                rows.append(PeriodResult(p.label, p.end, cohort, None, 1.0 if met else 0.0,
                                         "met" if met else "not met"))
            elif not full and (cohort is None or cohort.is_hidden):
                # A mean over a handful of children (or over a cohort nobody counted) can give away each
                # child's score, so it is hidden with its cohort.
                rows.append(PeriodResult(p.label, p.end, cohort, None, None, _shown(None, "")))
            else:
                actual = _number(r.value)
                rows.append(PeriodResult(p.label, p.end, cohort, None, actual, _shown(actual, "")))
    return rows, total_cohort, total_achieved


def outcome_results(outcome: ContractOutcome, periods: list[Period], verified: dict[tuple[int, str], OutcomeReturn],
                    *, full: bool) -> OutcomeResults:
    """One outcome's actuals by period, suppressed unless `full`, with its chart."""
    rows, total_cohort, total_achieved = period_rows(outcome, periods, verified, full=full)
    unit = "%" if outcome.measure == Measure.PROPORTION else ""
    labels = [p.label for p in periods]
    target = float(outcome.target)
    baseline = float(outcome.baseline)
    chart = charts.line_chart(
        f"Outcome {outcome.position}: actual against target", labels,
        {"Actual": [row.actual for row in rows], "Target": [target] * len(labels),
         "Baseline": [baseline] * len(labels)},
        alt=f"Line chart of outcome {outcome.position}, {outcome.indicator or outcome.description}: the verified "
            f"actual for each period against the target of {_shown(target, unit)} and the baseline of "
            f"{_shown(baseline, unit)}. The figures are in the table below.",
        unit=unit, y_title="Percent of the cohort" if unit else "", dashed=("Target", "Baseline"),
        notes=() if full else (("Counts under 5 are shown as “fewer than 5”, and others are suppressed where they "
                               "would let a small count be worked out; a percentage from a hidden count is not "
                               "published."),))
    return OutcomeResults(outcome, tuple(rows), total_cohort, total_achieved, chart)


def contract_results(contract: Contract, today: date, *, full: bool) -> list[OutcomeResults]:
    terms = terms_for(contract)
    if terms is None:
        return []
    periods = reported_periods(terms, contract, today)
    verified = verified_by_period(contract)
    return [outcome_results(o, periods, verified, full=full) for o in outcomes_for(contract)]


def _pounds(pence: int) -> float:
    return round(pence / 100, 2)


def payment_chart(statements: list[PaymentStatement]) -> charts.Chart:
    labels = [f"{s.period} ({'approved' if s.status == 'approved' else 'not yet approved'})" for s in statements]
    return charts.bar_chart(
        "Payments at risk by period: earned and withheld", labels,
        {"At risk": [_pounds(s.at_risk_pence) for s in statements],
         "Earned": [_pounds(s.earned_pence) for s in statements],
         "Withheld": [_pounds(s.withheld_pence) for s in statements]},
        alt="Bar chart of each period's payment at risk, the part earned and the part withheld. The figures are "
            "in the table below.", unit="", y_title="Pounds")


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    outcome_position: int
    period: str
    what: str
    reason: str


def timeline(contract: Contract) -> list[TimelineEntry]:
    rows = db.session.execute(
        select(ReturnDecision, OutcomeReturn, ContractOutcome)
        .join(OutcomeReturn, OutcomeReturn.id == ReturnDecision.return_id)
        .join(ContractOutcome, ContractOutcome.id == OutcomeReturn.outcome_id)
        .where(ReturnDecision.contract_id == contract.id).order_by(ReturnDecision.decided_at, ReturnDecision.id))
    entries = [TimelineEntry(d.decided_at, o.position, r.period, d.label, d.reason) for d, r, o in rows]
    for s in statements_for(contract):
        entries.append(TimelineEntry(s.calculated_at, 0, s.period, "Payment statement calculated", ""))
        if s.approved_at:
            entries.append(TimelineEntry(s.approved_at, 0, s.period, "Payment statement approved", ""))
    return sorted(entries, key=lambda e: (e.at, e.outcome_position))


def timeline_chart(contract: Contract, entries: list[TimelineEntry]) -> charts.Chart:
    """Each return decision and statement as a point: days since the contract started, by outcome (0 = payments)."""
    start = contract.starts_on
    kinds: dict[str, list[tuple[float, float]]] = {}
    for e in entries:
        kinds.setdefault(e.what.split(":")[0], []).append(((e.at.date() - start).days, e.outcome_position))
    return charts.scatter_chart(
        "Timeline of returns and decisions", kinds,
        alt="Timeline of every return submitted and every decision on it, and of the payment statements, by day "
            "of the contract and by outcome. The same events are listed in the table below.",
        headers=("Date", "Outcome", "Period", "Event"),
        rows=[(e.at.strftime("%-d %B %Y"), "Payments" if e.outcome_position == 0 else f"Outcome {e.outcome_position}",
               e.period, e.what) for e in entries],
        x_title="Days since the contract started", y_title="Outcome (0 is the payment statements)")
