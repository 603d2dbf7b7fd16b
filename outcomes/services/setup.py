"""Contract outcomes at award: the specification's outcomes copied into the contract, and their payment terms.

When a contract is entered into, tenders sends `contract_entered`; this
module copies the published specification's outcomes into contract outcomes
in the same transaction, so later specification versions never touch them.
Each gets a measure, direction, formula, baseline and target: read from the
target text where it names a percentage (a proportion, all or nothing at the target), otherwise a
milestone met or not. Before any return is made
the owning commissioners may set the agreed payment terms precisely (what the
contract says); after that a change is a contract modification, made through
the spin-off and lawful-route check, never an edit here.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

import trail
from accounts.models import User
from core.errors import RuleViolation
from core.extensions import db
from outcomes import policy
from outcomes.models import (
    ContractOutcome,
    Direction,
    Formula,
    Measure,
    OutcomeReturn,
    OutcomeTerms,
)
from outcomes.payment import FORMULA_VERSION
from outcomes.periods import PERIOD_CHOICES
from outcomes.services.common import (
    MAX_VALUE,
    decimal_text,
    deny,
    locked,
    outcomes_for,
    procurement_of,
    terms_for,
)
from tenders.models import Contract
from tenders.notices import kpis_required
from tenders.signals import contract_entered

_PERCENT = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*%")


def terms_payload(terms: OutcomeTerms, outcomes: list[ContractOutcome]) -> dict[str, Any]:
    """Everything a payment depends on, as the trail keeps it: the auditor's recomputation reads only this."""
    return {"contract_id": terms.contract_id, "value_pence": terms.value_pence,
            "starts_on": terms.starts_on.isoformat(), "ends_on": terms.ends_on.isoformat(),
            "period_months": terms.period_months, "formula_version": terms.formula_version,
            "uk9_required": terms.uk9_required,
            "outcomes": [outcome_payload(o) for o in outcomes]}


def outcome_payload(o: ContractOutcome) -> dict[str, Any]:
    return {"outcome_id": o.id, "position": o.position, "indicator": o.indicator, "measure": o.measure,
            "direction": o.direction, "formula": o.formula, "baseline": decimal_text(o.baseline),
            "target": decimal_text(o.target), "tiers": json.loads(o.tiers or "[]"),
            "at_risk_percent": o.at_risk_percent, "cap_percent": o.cap_percent}


def _defaults(target_text: str) -> dict[str, Any]:
    found = _PERCENT.search(target_text or "")
    if found and Decimal(found.group(1)) <= 100:
        return {"measure": Measure.PROPORTION, "direction": Direction.HIGHER, "formula": Formula.ALL_OR_NOTHING,
                "baseline": Decimal(0), "target": Decimal(found.group(1))}
    return {"measure": Measure.MILESTONE, "direction": Direction.HIGHER, "formula": Formula.ALL_OR_NOTHING,
            "baseline": Decimal(0), "target": Decimal(1)}


def set_up_outcomes(contract: Contract, actor: User | None, *, now: datetime) -> OutcomeTerms | None:
    """Copy the published specification's outcomes into the contract (once); None if it has no outcomes."""
    if terms_for(contract) is not None:
        return None
    procurement = procurement_of(contract)
    spec = procurement.published_version or procurement.latest_version
    if spec is None or not spec.outcomes:
        return None
    terms = OutcomeTerms(contract_id=contract.id, procurement_id=procurement.id, period_months=3,
                         value_pence=contract.value_pence, starts_on=contract.starts_on, ends_on=contract.ends_on,
                         formula_version=FORMULA_VERSION,
                         uk9_required=kpis_required(contract.regime, contract.value_pence),
                         created_at=now)
    db.session.add(terms)
    db.session.flush()
    for source in spec.outcomes:
        db.session.add(ContractOutcome(
            terms_id=terms.id, contract_id=contract.id, spec_outcome_id=source.id, position=source.position,
            domain=source.domain, description=source.description, indicator=source.indicator,
            target_text=source.target, evidence_source=source.evidence_source, tiers="[]",
            at_risk_percent=max(0, min(source.payment_share, 100)), cap_percent=100, **_defaults(source.target)))
    db.session.flush()
    outcomes = outcomes_for(contract)
    trail.record("outcomes.terms_set", actor=actor, subject=terms, procurement_id=procurement.id, audience="public",
                 summary=f"{len(outcomes)} outcomes of specification version {spec.number} copied into the contract "
                         f"for {procurement.reference}, reported quarterly",
                 payload=terms_payload(terms, outcomes))
    return terms


@contract_entered.connect
def _on_contract_entered(contract: Contract, **kwargs: Any) -> None:
    set_up_outcomes(contract, kwargs.get("actor"), now=kwargs["now"])


@dataclass(frozen=True)
class AgreedTerms:
    """One outcome's payment terms as the contract states them."""

    measure: str
    direction: str
    formula: str
    baseline: Decimal | None
    target: Decimal | None
    at_risk_percent: int | None
    cap_percent: int | None
    tiers: tuple[tuple[Decimal, int], ...] = ()


def has_returns(contract: Contract) -> bool:
    return db.session.scalar(select(OutcomeReturn.id).where(OutcomeReturn.contract_id == contract.id).limit(1)) \
        is not None


def _refuse_after_returns(contract: Contract) -> None:
    if has_returns(contract):
        raise RuleViolation({"": "Returns have been made against this contract's outcomes: changing them now is a "
                                 "contract modification, proposed and checked through the lawful-route check"})


def _validate(agreed: AgreedTerms, total_elsewhere: int) -> dict[str, str]:
    reasons: dict[str, str] = {}
    if agreed.measure not in set(Measure):
        reasons["measure"] = "Choose how the outcome is measured"
    if agreed.direction not in set(Direction):
        reasons["direction"] = "Choose whether higher or lower figures are better"
    if agreed.formula not in set(Formula):
        reasons["formula"] = "Choose the payment formula"
    for name, value in (("baseline", agreed.baseline), ("target", agreed.target)):
        if value is None:
            reasons[name] = f"Enter the {name}"
        elif abs(value) >= MAX_VALUE:
            reasons[name] = f"The {name} must be less than 1,000,000"
    if agreed.measure == Measure.PROPORTION:
        for name, value in (("baseline", agreed.baseline), ("target", agreed.target)):
            if value is not None and not Decimal(0) <= value <= Decimal(100) and name not in reasons:
                reasons[name] = f"A proportion's {name} is a percentage from 0 to 100"
    if agreed.at_risk_percent is None or not 0 <= agreed.at_risk_percent <= 100:
        reasons["at_risk_percent"] = "Enter the share of the price at risk, from 0 to 100 percent"
    elif agreed.at_risk_percent + total_elsewhere > 100:
        reasons["at_risk_percent"] = (f"The other outcomes already put {total_elsewhere}% at risk: all outcomes "
                                      "together cannot put more than 100% of the price at risk")
    if agreed.cap_percent is None or not 0 <= agreed.cap_percent <= 100:
        reasons["cap_percent"] = "Enter the cap, from 0 to 100 percent of the amount at risk"
    if agreed.formula == Formula.TIERED:
        if not agreed.tiers:
            reasons["tiers"] = "A tiered formula needs at least one tier: a threshold and the percent it earns"
        elif any(not 0 <= p <= 100 or abs(t) >= MAX_VALUE for t, p in agreed.tiers):
            reasons["tiers"] = "Each tier earns from 0 to 100 percent, at a threshold less than 1,000,000"
    if (agreed.direction in set(Direction) and agreed.baseline is not None and agreed.target is not None
            and agreed.formula == Formula.LINEAR and "baseline" not in reasons and "target" not in reasons):
        better = agreed.target > agreed.baseline if agreed.direction == Direction.HIGHER \
            else agreed.target < agreed.baseline
        if not better:
            reasons["target"] = "For a linear formula the target must be better than the baseline"
    return reasons


def agree_terms(outcome: ContractOutcome, actor: User, agreed: AgreedTerms, *, period_months: int | None = None,
                now: datetime) -> ContractOutcome:
    """Set an outcome's payment terms as the contract states them, while no return has been made."""
    contract = db.session.get_one(Contract, outcome.contract_id)
    procurement = locked(contract)
    if not policy.can_decide(actor, procurement):
        raise deny(actor, contract, "outcomes.terms", "not a commissioner of the owning organisation",
                   "Only commissioners of the organisation that owns this contract can set its outcome terms.")
    _refuse_after_returns(contract)
    others = sum(o.at_risk_percent for o in outcomes_for(contract) if o.id != outcome.id)
    reasons = _validate(agreed, others)
    if period_months is not None and period_months not in PERIOD_CHOICES:
        reasons["period_months"] = "Choose how often returns are made"
    # A missing figure is always among the reasons (_validate).
    if (reasons or agreed.baseline is None or agreed.target is None or agreed.at_risk_percent is None
            or agreed.cap_percent is None):
        raise RuleViolation(reasons)
    terms = db.session.get_one(OutcomeTerms, outcome.terms_id)
    if period_months is not None:
        terms.period_months = period_months
    outcome.measure, outcome.direction, outcome.formula = agreed.measure, agreed.direction, agreed.formula
    outcome.baseline, outcome.target = agreed.baseline, agreed.target
    outcome.at_risk_percent, outcome.cap_percent = agreed.at_risk_percent, agreed.cap_percent
    outcome.tiers = json.dumps([[decimal_text(t), p] for t, p in sorted(agreed.tiers)])
    db.session.flush()
    trail.record("outcomes.terms_agreed", actor=actor, subject=outcome, procurement_id=procurement.id,
                 audience="public",
                 summary=f"Payment terms of outcome {outcome.position} on {procurement.reference} set: "
                         f"{outcome.measure_label.lower()}, {outcome.formula_label.lower()}, "
                         f"{outcome.at_risk_percent}% of the price at risk",
                 payload=terms_payload(terms, outcomes_for(contract)))
    return outcome
