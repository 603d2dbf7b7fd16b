"""The auditor's recomputation: every payment statement of a contract, rebuilt from the audit trail alone.

The trail's outcome events carry everything a payment depends on: the terms
(price basis, each outcome's formula), every return's figures, every
decision, and each calculation with the payments it had already counted.
Replaying them in chain order gives the state of the returns at the moment
each statement was calculated; the pure formula then gives what that
statement must say. Any difference from the statement as stored (or from the
figures its own event recorded) is reported.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from core.extensions import db
from outcomes import payment
from outcomes.models import PaymentStatement
from outcomes.services.statements import statement_payload
from tenders.models import Contract
from trail.models import AuditEvent

FIGURES = ("base_pence", "at_risk_pence", "earned_pence", "withheld_pence", "adjustment_pence")


@dataclass
class Check:
    statement_id: int
    period: str
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def _decimal(text: Any) -> Decimal | None:
    return None if text is None else Decimal(str(text))


def _terms(entry: dict[str, Any]) -> payment.Terms:
    return payment.Terms(
        outcome_id=entry["outcome_id"], measure=entry["measure"], direction=entry["direction"],
        formula=entry["formula"], baseline=Decimal(entry["baseline"]), target=Decimal(entry["target"]),
        at_risk_percent=entry["at_risk_percent"], cap_percent=entry["cap_percent"],
        tiers=tuple((Decimal(str(t)), int(p)) for t, p in entry.get("tiers", [])))


def _return(figures: dict[str, Any], status: str) -> payment.Return:
    return payment.Return(figures["return_id"], figures["outcome_id"], figures["period"], status,
                          figures.get("cohort"), figures.get("achieved"), _decimal(figures.get("value")))


def _lines(lines: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(line, sort_keys=True) for line in lines)


def _compare(label: str, expected: dict[str, Any], found: dict[str, Any]) -> list[str]:
    differences = [f"{label} {name}: recomputed {expected[name]}, found {found.get(name)}"
                   for name in FIGURES if expected[name] != found.get(name)]
    if _lines(expected["lines"]) != _lines(found.get("lines", [])):
        differences.append(f"{label} lines differ from the recomputation")
    return differences


def _stored(statement: PaymentStatement) -> dict[str, Any]:
    return {name: getattr(statement, name) for name in FIGURES} | {
        "lines": [{"outcome_id": x.outcome_id, "period": x.period, "return_id": x.return_id,
                   "at_risk_pence": x.at_risk_pence, "earned_pence": x.earned_pence,
                   "withheld_pence": x.withheld_pence, "adjustment_pence": x.adjustment_pence}
                  for x in statement.lines]}


def recompute(contract: Contract) -> list[Check]:
    """One check per statement calculated for the contract, in the order they were calculated."""
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.procurement_id == contract.procurement_id,
                                                         AuditEvent.action.like("outcomes.%"))
                                .order_by(AuditEvent.seq))
    price: payment.Price | None = None
    outcomes: dict[int, payment.Terms] = {}
    returns: dict[int, payment.Return] = {}
    recomputed: dict[int, payment.Statement] = {}
    paid: dict[tuple[str, int], int] = {}
    approved: set[int] = set()
    checks: list[Check] = []
    stored = {s.id: s for s in db.session.scalars(select(PaymentStatement)
                                                  .where(PaymentStatement.contract_id == contract.id))}
    for event in events:
        data = json.loads(event.payload or "{}")
        action = event.action.removeprefix("outcomes.")
        if action in ("terms_set", "terms_agreed"):
            if data.get("contract_id") != contract.id:
                continue
            price = payment.Price(data["value_pence"], date.fromisoformat(data["starts_on"]),
                                  date.fromisoformat(data["ends_on"]), data["period_months"])
            outcomes = {o["outcome_id"]: _terms(o) for o in data["outcomes"]}
        elif action in ("return_submitted", "return_resubmitted"):
            if data.get("supersedes_id") in returns:
                returns[data["supersedes_id"]] = replace(returns[data["supersedes_id"]], status="superseded")
            returns[data["return_id"]] = _return(data, "submitted")
        elif action in ("return_queried", "return_verified", "return_disputed") and data["return_id"] in returns:
            status = {"return_queried": "queried", "return_verified": "verified", "return_disputed": "disputed"}
            returns[data["return_id"]] = replace(returns[data["return_id"]], status=status[action])
        elif action == "dispute_resolved" and data["return_id"] in returns:
            settled = {"upheld": "rejected", "withdrawn": "verified", "amended": "superseded"}[data["resolution"]]
            returns[data["return_id"]] = replace(returns[data["return_id"]], status=settled)
            if data["resolution"] == "amended":
                returns[data["amended"]["return_id"]] = _return(data["amended"], "verified")
        elif action == "statement_calculated":
            check = Check(data["statement_id"], data["period"])
            checks.append(check)
            if price is None:
                check.differences.append("no contract terms on the trail before this statement")
                continue
            figures = payment.calculate(data["formula_version"], price, outcomes.values(), data["period"],
                                        returns.values(), paid)
            recomputed[check.statement_id] = figures
            expected = statement_payload(figures)
            check.differences += _compare("trail", expected, data)
            statement = stored.get(check.statement_id)
            if statement is None:
                check.differences.append("the statement is missing from the database")
            else:
                check.differences += _compare("stored", expected, _stored(statement))
        elif action == "statement_approved" and data["statement_id"] in recomputed:
            approved.add(data["statement_id"])
            for line in recomputed[data["statement_id"]].lines:
                key = (line.period, line.outcome_id)
                paid[key] = paid.get(key, 0) + line.earned_pence + line.adjustment_pence
    for check in checks:
        statement = stored.get(check.statement_id)
        if statement is not None and (statement.status == "approved") != (check.statement_id in approved):
            check.differences.append(f"stored as {statement.status}, but the trail "
                                     + ("records its approval" if check.statement_id in approved
                                        else "records no approval"))
    missing = set(stored) - {c.statement_id for c in checks}
    for statement_id in sorted(missing):
        checks.append(Check(statement_id, stored[statement_id].period,
                            ["the statement has no calculation event on the trail"]))
    return checks
