"""Contract outcomes in OCDS: implementation releases with payments and the Metrics extension.

Each approved payment statement is an `implementation` release: the
contract's `agreedMetrics` (one metric per outcome, its target as an
observation), `implementation.metrics` (the verified actuals by period, with
counts of children suppressed exactly as the public page shows them) and
`implementation.transactions` (what each approved statement pays: base plus
earned plus any adjustment). The oversight package builds the rest of each
release and calls `enrich`; this module never imports it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from outcomes.figures import OutcomeResults, contract_results
from outcomes.models import Measure, OutcomeTerms, PaymentStatement, StatementStatus
from outcomes.services.common import terms_for
from outcomes.services.statements import statements_for
from tenders.models import Contract


@dataclass(frozen=True)
class Approved:
    """An approved payment statement and when it was approved: the moment its release is dated."""

    statement: PaymentStatement
    approved_at: datetime


@dataclass(frozen=True)
class OutcomeFacts:
    contract: Contract
    terms: OutcomeTerms
    approved: tuple[Approved, ...]


def gather(contract: Contract | None) -> OutcomeFacts | None:
    """The approved statements of a contract with outcomes; None when there is nothing to publish."""
    if contract is None:
        return None
    terms = terms_for(contract)
    if terms is None:
        return None
    approved = tuple(Approved(s, s.approved_at) for s in statements_for(contract)
                     if s.status == StatementStatus.APPROVED and s.approved_at is not None)
    return OutcomeFacts(contract, terms, approved) if approved else None


def _stamp(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat() + "Z"


def _period(start: date, end: date) -> dict[str, str]:
    return {"startDate": f"{start.isoformat()}T00:00:00Z", "endDate": f"{end.isoformat()}T23:59:59Z"}


def _unit(measure: str) -> dict[str, str]:
    return {"name": {Measure.PROPORTION: "percent", Measure.COUNT: "count", Measure.SCALE: "score",
                     Measure.MILESTONE: "milestone met (1) or not (0)"}[Measure(measure)]}


def agreed_metrics(facts: OutcomeFacts) -> list[dict[str, Any]]:
    return [{"id": f"outcome-{o.position}", "title": o.indicator or o.description, "description": o.description,
             "observations": [{"id": f"outcome-{o.position}-target", "measure": float(o.target),
                               "unit": _unit(o.measure), "period": _period(facts.terms.starts_on, facts.terms.ends_on),
                               "notes": f"Baseline {float(o.baseline):g}; {o.target_text}"}]}
            for o in facts.terms.outcomes]


def observed_metrics(results: list[OutcomeResults], as_of: date) -> list[dict[str, Any]]:
    """The verified actuals for periods ended by `as_of`, as published (suppressed counts never appear)."""
    metrics = []
    for res in results:
        o = res.outcome
        observations = []
        for row in res.rows:
            if row.period_end > as_of or row.actual is None:
                continue
            observation: dict[str, Any] = {"id": f"outcome-{o.position}-{row.period}", "measure": row.actual,
                                           "unit": _unit(o.measure), "dimensions": {"period": row.period}}
            if row.cohort is not None:
                observation["notes"] = f"Cohort: {row.cohort.label}"
            observations.append(observation)
        metrics.append({"id": f"outcome-{o.position}", "title": o.indicator or o.description,
                        "observations": observations})
    return metrics


def transactions(facts: OutcomeFacts, as_of: datetime, payer: dict[str, str], payee: dict[str, str]
                 ) -> list[dict[str, Any]]:
    return [{"id": f"statement-{a.statement.id}", "date": _stamp(a.approved_at),
             "value": {"amount": round(a.statement.total_pence / 100, 2), "currency": "GBP"},
             "payer": payer, "payee": payee}
            for a in facts.approved if a.approved_at <= as_of]


def releases(facts: OutcomeFacts, build: Callable[[str, datetime], dict[str, Any]], *, payer: dict[str, str],
             payee: dict[str, str]) -> list[dict[str, Any]]:
    """One implementation release per approved statement; `build(suffix, as_of)` makes the release around it."""
    found = []
    for approved in facts.approved:
        release = build(f"outcomes-{approved.statement.period}", approved.approved_at)
        enrich(release, facts, approved.approved_at, payer=payer, payee=payee)
        found.append(release)
    return found


def enrich(release: dict[str, Any], facts: OutcomeFacts, as_of: datetime, *, payer: dict[str, str],
           payee: dict[str, str]) -> None:
    """Add the agreed metrics, observations and transactions to the release's contract."""
    contract = next((c for c in release.get("contracts", []) if c["id"] == str(facts.contract.id)), None)
    if contract is None:
        return
    results = contract_results(facts.contract, as_of.date(), full=False)
    contract["agreedMetrics"] = agreed_metrics(facts)
    implementation = contract.setdefault("implementation", {})
    implementation["transactions"] = transactions(facts, as_of, payer, payee)
    implementation["metrics"] = observed_metrics(results, as_of.date())
