"""Recording the facts a procurement's regime is taken from: what is bought, when it legally started, and
whether the Provider Selection Regime applies (tenders.regime_rules decides; this records and audits).

Only while drafting: once the tender notice is out, the regime it was published under is fixed.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

import trail
from accounts.models import User
from core.errors import RuleViolation
from core.extensions import db
from tenders import cpv, policy
from tenders.jurisdiction import Nation, nation_of
from tenders.models import DRAFTING_STAGES, Procurement, Stage
from tenders.regime_rules import PSR_DECISIONS, PSR_PROCESSES, is_psr
from tenders.services.common import lock, refuse, require_stage
from tenders.thresholds import facts_of, legal_start, regime_of
from tenders.workingdays import uk_date


@dataclass(frozen=True)
class RegimeInputs:
    cpv_code: str  # as typed: "85311300", "85311300-5"
    recorded_start_on: date | None  # an earlier legal start made outside the platform
    psr_decision: str  # "" | applies | not_applies
    psr_reason: str
    psr_process: str  # "" or a PSR_PROCESSES key


def default_cpv(category: str) -> str | None:
    """The main CPV code a category proposes (tenders.cpv.CATEGORY_DEFAULT_CPV)."""
    return cpv.CATEGORY_DEFAULT_CPV.get(category)


def set_regime_facts(procurement: Procurement, actor: User, inputs: RegimeInputs, *, now: datetime) -> Procurement:
    """Record the main CPV code, an earlier legal start and the PSR decision; audited, with the regime that results."""
    lock(procurement)
    if not policy.can_edit_details(actor, procurement):
        if not policy.can_manage(actor, procurement):
            raise refuse(actor, procurement, "procurement.regime", "not a commissioner of the owning organisation",
                         "Only commissioners of the organisation that owns this procurement can do that.")
        require_stage(procurement, DRAFTING_STAGES, "change what is bought or when it started")
    reasons: dict[str, str] = {}
    code = cpv.normalise(inputs.cpv_code)
    if code is None:
        reasons["cpv_code"] = "Enter the main CPV code as eight digits, like 85311300 or 85311300-5"
    elif code not in cpv.known_codes():
        reasons["cpv_code"] = ("That CPV code is not in the platform's list: choose the closest code from the "
                               "list on this page")
    today = uk_date(now)
    if inputs.recorded_start_on is not None and inputs.recorded_start_on > today:
        reasons["recorded_start_on"] = "The legal start cannot be in the future"
    if inputs.psr_decision not in PSR_DECISIONS:
        reasons["psr_decision"] = "Choose whether the Provider Selection Regime applies"
    elif inputs.psr_decision == "applies" and nation_of(procurement.owner) is not Nation.ENGLAND:
        reasons["psr_decision"] = "The Provider Selection Regime applies in England only"
    reason = (inputs.psr_reason or "").strip()
    if inputs.psr_decision and not reason:
        reasons["psr_reason"] = "Give the reason for the decision: it is kept in the audit trail"
    if inputs.psr_process and inputs.psr_process not in PSR_PROCESSES:
        reasons["psr_process"] = "Choose one of the Provider Selection Regime's processes"
    if reasons:
        raise RuleViolation(reasons)
    started_on = legal_start(procurement, now).on
    if inputs.recorded_start_on is not None:
        started_on = min(started_on, inputs.recorded_start_on)
    candidate = replace(facts_of(procurement, started_on), cpv=code, psr_decision=inputs.psr_decision)
    if inputs.psr_process and not is_psr(candidate):
        raise RuleViolation({"psr_process": "A PSR process applies only to a procurement under the Provider "
                                            "Selection Regime"})
    before = {"cpv_code": procurement.cpv_code, "recorded_start_on": _iso(procurement.recorded_start_on),
              "psr_decision": procurement.psr_decision, "psr_process": procurement.psr_process}
    procurement.cpv_code = code
    procurement.recorded_start_on = inputs.recorded_start_on
    procurement.psr_decision = inputs.psr_decision
    procurement.psr_reason = reason if inputs.psr_decision else ""
    procurement.psr_process = inputs.psr_process or None
    db.session.flush()
    result = regime_of(procurement, now)
    after = {"cpv_code": code, "recorded_start_on": _iso(inputs.recorded_start_on),
             "psr_decision": inputs.psr_decision, "psr_process": procurement.psr_process}
    trail.record(
        "procurement.regime_facts",
        actor=actor,
        subject=procurement,
        procurement_id=procurement.id,
        audience="public" if procurement.stage != Stage.PLANNING else "auditors",
        summary=f"{procurement.reference}: main CPV {code}, {result.label} ({result.regime.framework_label})"
        + (
            f"; Provider Selection Regime {'confirmed' if inputs.psr_decision == 'applies' else 'ruled out'}"
            f" by the commissioner"
            if inputs.psr_decision
            else ""
        ),
        payload={
            "before": before,
            "after": after,
            "psr_reason": procurement.psr_reason,
            "regime": result.code,
            "framework": result.regime.framework,
            "legal_start": result.start.on.isoformat(),
            "basis": result.regime.basis,
        },
    )
    return procurement


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
