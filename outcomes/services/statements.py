"""Payment statements: calculated by the pure formula from verified returns, approved by a second commissioner.

The service only gathers the facts (outcomes.payment decides). A statement
calculated again before approval supersedes the earlier calculation; an
approved statement never changes, and a later correction to its period is
paid as an adjustment in the next statement calculated. The approver is a
commissioner who verified none of the returns the statement pays on.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

import trail
from accounts.models import User
from core.errors import RuleViolation
from core.extensions import db
from outcomes import notices, payment, policy
from outcomes.models import (
    ContractOutcome,
    OutcomeReturn,
    OutcomeTerms,
    PaymentStatement,
    StatementLine,
    StatementStatus,
)
from outcomes.periods import reporting_periods
from outcomes.services.common import deny, locked, outcomes_for, terms_for
from tenders.models import Contract


def price_of(terms: OutcomeTerms) -> payment.Price:
    return payment.Price(terms.value_pence, terms.starts_on, terms.ends_on, terms.period_months)


def terms_of(outcome: ContractOutcome) -> payment.Terms:
    return payment.Terms(
        outcome_id=outcome.id, measure=outcome.measure, direction=outcome.direction, formula=outcome.formula,
        baseline=outcome.baseline, target=outcome.target, at_risk_percent=outcome.at_risk_percent,
        cap_percent=outcome.cap_percent,
        tiers=tuple((Decimal(str(t)), int(p)) for t, p in json.loads(outcome.tiers or "[]")))


def return_of(ret: OutcomeReturn) -> payment.Return:
    return payment.Return(ret.id, ret.outcome_id, ret.period, ret.status, ret.cohort, ret.achieved, ret.value)


def statements_for(contract: Contract, *, include_superseded: bool = False) -> list[PaymentStatement]:
    query = select(PaymentStatement).where(PaymentStatement.contract_id == contract.id)
    if not include_superseded:
        query = query.where(PaymentStatement.status != StatementStatus.SUPERSEDED)
    return list(db.session.scalars(query.order_by(PaymentStatement.period_end, PaymentStatement.id)))


def paid_so_far(statements: Iterable[PaymentStatement]) -> dict[tuple[str, int], int]:
    """What approved statements paid for each (period, outcome): earned in its own statement plus adjustments."""
    paid: dict[tuple[str, int], int] = {}
    for statement in statements:
        if statement.status != StatementStatus.APPROVED:
            continue
        for line in statement.lines:
            key = (line.period, line.outcome_id)
            paid[key] = paid.get(key, 0) + line.earned_pence + line.adjustment_pence
    return paid


def statement_payload(figures: payment.Statement) -> dict[str, Any]:
    return {"period": figures.period, "formula_version": figures.formula_version, "base_pence": figures.base_pence,
            "at_risk_pence": figures.at_risk_pence, "earned_pence": figures.earned_pence,
            "withheld_pence": figures.withheld_pence, "adjustment_pence": figures.adjustment_pence,
            "lines": [{"outcome_id": x.outcome_id, "period": x.period, "return_id": x.return_id,
                       "at_risk_pence": x.at_risk_pence, "earned_pence": x.earned_pence,
                       "withheld_pence": x.withheld_pence, "adjustment_pence": x.adjustment_pence}
                      for x in figures.lines]}


def preview(contract: Contract, period: str) -> payment.Statement:
    """What the period would pay if calculated now (nothing is stored)."""
    terms = terms_for(contract)
    if terms is None:
        raise RuleViolation({"": "This contract has no outcome terms: there is nothing to calculate"})
    returns = db.session.scalars(select(OutcomeReturn).where(OutcomeReturn.contract_id == contract.id))
    return payment.calculate(terms.formula_version, price_of(terms), [terms_of(o) for o in outcomes_for(contract)],
                             period, [return_of(r) for r in returns], paid_so_far(statements_for(contract)))


def calculate_statement(contract: Contract, actor: User, *, period: str, now: datetime) -> PaymentStatement:
    """Calculate (or calculate again, before approval) the statement for an ended period."""
    procurement = locked(contract)
    if not policy.can_decide(actor, procurement):
        raise deny(actor, contract, "outcomes.statement_calculate", "not a commissioner of the owning organisation",
                   "Only commissioners of the organisation that owns this contract can calculate its payments.")
    terms = terms_for(contract)
    chosen = next((p for p in reporting_periods(terms.starts_on, terms.ends_on, contract.ended_on,
                                                terms.period_months, now.date())
                   if p.label == period), None) if terms else None
    if chosen is None:
        raise RuleViolation({"period": "Choose a period of the contract that has ended"})
    existing = [s for s in statements_for(contract) if s.period == period]
    if any(s.status == StatementStatus.APPROVED for s in existing):
        raise RuleViolation({"period": f"The {period} statement is approved and cannot change: a correction is "
                                       "paid as an adjustment in a later statement"})
    figures = preview(contract, period)
    for earlier in existing:
        earlier.status = StatementStatus.SUPERSEDED
    statement = PaymentStatement(
        contract_id=contract.id, period=period, period_start=chosen.start, period_end=chosen.end,
        formula_version=figures.formula_version, status=StatementStatus.CALCULATED, base_pence=figures.base_pence,
        at_risk_pence=figures.at_risk_pence, earned_pence=figures.earned_pence,
        withheld_pence=figures.withheld_pence, adjustment_pence=figures.adjustment_pence,
        calculated_by_id=actor.id, calculated_at=now)
    db.session.add(statement)
    db.session.flush()
    db.session.add_all([StatementLine(statement_id=statement.id, outcome_id=x.outcome_id, period=x.period,
                                      return_id=x.return_id, at_risk_pence=x.at_risk_pence,
                                      earned_pence=x.earned_pence, withheld_pence=x.withheld_pence,
                                      adjustment_pence=x.adjustment_pence, reason=x.reason) for x in figures.lines])
    db.session.flush()
    event = trail.record(
        "outcomes.statement_calculated", actor=actor, subject=statement, procurement_id=procurement.id,
        audience="public",
        summary=f"{period} payment statement calculated for {procurement.reference}: "
                f"£{figures.earned_pence / 100:,.2f} earned of £{figures.at_risk_pence / 100:,.2f} at risk",
        payload={"statement_id": statement.id, "superseded": [s.id for s in existing]} | statement_payload(figures))
    statement.audit_seq = event.seq
    db.session.flush()
    db.session.refresh(statement)
    notices.statement_calculated(procurement, statement, verifiers_of(statement))
    return statement


def verifiers_of(statement: PaymentStatement) -> set[int]:
    ids = [line.return_id for line in statement.lines if line.return_id is not None]
    if not ids:
        return set()
    return {v for v in db.session.scalars(select(OutcomeReturn.verified_by_id).where(OutcomeReturn.id.in_(ids)))
            if v is not None}


def approve_statement(statement: PaymentStatement, actor: User, *, now: datetime) -> PaymentStatement:
    """A second commissioner, who verified none of its returns, approves the statement; it never changes again."""
    contract = db.session.get_one(Contract, statement.contract_id)
    procurement = locked(contract)
    if not policy.can_decide(actor, procurement):
        raise deny(actor, contract, "outcomes.statement_approve", "not a commissioner of the owning organisation",
                   "Only commissioners of the organisation that owns this contract can approve its payments.")
    db.session.refresh(statement)
    if statement.status != StatementStatus.CALCULATED:
        raise RuleViolation({"": f"This statement is {statement.status}: only a calculated statement can be "
                                 "approved"})
    if not policy.can_approve_statement(actor, procurement, verifiers_of(statement)):
        raise deny(actor, contract, "outcomes.statement_approve", "approver verified a return it pays on",
                   "You verified a return this statement pays on: a second commissioner must approve it.")
    statement.status = StatementStatus.APPROVED
    statement.approved_by_id, statement.approved_at = actor.id, now
    db.session.flush()
    trail.record("outcomes.statement_approved", actor=actor, subject=statement, procurement_id=procurement.id,
                 audience="public",
                 summary=f"{statement.period} payment statement approved for {procurement.reference}: "
                         f"£{statement.total_pence / 100:,.2f} payable",
                 payload={"statement_id": statement.id, "period": statement.period,
                          "total_pence": statement.total_pence})
    return statement
