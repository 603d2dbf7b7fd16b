"""Spin-off proposals on contracts, the lawful-route modification check and the modification register.

A provider proposes a spin-off on its running contract; the owning
commissioner sees the lawful-route check (tenders.modification_rules) and
accepts it as a modification, declines it, or turns it into a new procurement
in engagement. Every decision keeps the check exactly as it was shown, and an
accepted one updates the contract's value and its public modification register.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

import trail
from accounts.models import User
from core import clock
from core.errors import RuleViolation
from core.extensions import db
from core.markdown import render_markdown
from core.urls import external_url
from tenders import regime_rules
from tenders.jurisdiction import nation_of
from tenders.models import Contract, Procurement
from tenders.models.spinoffs import ContractModification, SpinOffProposal, SpinOffStatus
from tenders.modification_rules import Figures, Result, check_modification
from tenders.policy import spinoffs as spinoff_policy
from tenders.services import procurements
from tenders.services.common import lock, refuse
from tenders.thresholds import legal_start, threshold_amount

# Procurements started before the Procurement Act 2023 came into force stay under the PCR 2015.
MAX_PENCE = 10 ** 13  # £100bn
MAX_MONTHS = 120


@dataclass(frozen=True)
class Answers:
    """The commissioner's answers the check cannot work out from the record."""

    changes_overall_nature: bool = False
    unforeseeable: bool = False
    additional_from_same_provider: bool = False
    known_risk_materialised: bool = False
    corporate_restructuring: bool = False
    materially_changes_scope: bool = False
    shifts_economic_balance: bool = False
    term_change_months: int = 0
    not_substantial_reasons: str = ""


def _clean(text: str | None) -> str:
    return (text or "").strip()


def framework_for(procurement: Procurement) -> str:
    """PCR 2015 for procurements whose legal start is before 24 February 2025, otherwise the Procurement Act 2023.

    The legal start and the rule are the regime's own (tenders.thresholds, tenders.regime_rules): one rule.
    """
    return regime_rules.framework_for(legal_start(procurement, clock.utcnow()).on)


def contract_of(proposal: SpinOffProposal) -> Contract:
    return db.session.get_one(Contract, proposal.contract_id)


def accepted_total(contract: Contract) -> int:
    """The net value of every modification already accepted on the contract (PostgreSQL sums to a Decimal)."""
    return int(db.session.scalar(
        select(func.coalesce(func.sum(ContractModification.value_after_pence
                                      - ContractModification.value_before_pence), 0))
        .where(ContractModification.contract_id == contract.id)) or 0)


def modification_framework(procurement: Procurement, contract: Contract) -> str:
    """The Provider Selection Regime's own rules (reg 13) for a PSR contract; otherwise PA23 or the PCR 2015."""
    return "psr2023" if contract.regime == "psr" else framework_for(procurement)


def check_for(proposal: SpinOffProposal, answers: Answers, on: date) -> Result:
    """The lawful-route check for this proposal on this day, with the thresholds in force that day.

    The owner's nation goes in too: a devolved Welsh authority has no PA23
    s.77 duty to publish the modified contract.
    """
    contract = contract_of(proposal)
    procurement = db.session.get_one(Procurement, proposal.procurement_id)
    light_touch = contract.regime == "light_touch"
    max_term = (procurement.duration_months + (procurement.extension_months or 0)
                if procurement.duration_months else None)
    return check_modification(Figures(
        framework=modification_framework(procurement, contract),
        light_touch=light_touch,
        original_value_pence=contract.original_value_pence,
        accepted_total_pence=accepted_total(contract),
        price_pence=proposal.price_pence,
        threshold_pence=threshold_amount("light_touch" if light_touch else "services_sub_central", on),
        publication_threshold_pence=threshold_amount("modified_contract_publication", on),
        review_clause_in_tender=bool(_clean(procurement.review_clauses_md)),
        review_clause_in_contract=bool(_clean(contract.review_clauses_md)),
        changes_overall_nature=answers.changes_overall_nature,
        unforeseeable=answers.unforeseeable,
        additional_from_same_provider=answers.additional_from_same_provider,
        known_risk_materialised=answers.known_risk_materialised,
        corporate_restructuring=answers.corporate_restructuring,
        materially_changes_scope=answers.materially_changes_scope,
        shifts_economic_balance=answers.shifts_economic_balance,
        term_change_months=answers.term_change_months,
        max_term_months=max_term,
        not_substantial_reasons=answers.not_substantial_reasons,
        nation=nation_of(procurement.owner).value,
    ))


def proposals_for(procurement: Procurement) -> list[SpinOffProposal]:
    return list(db.session.scalars(select(SpinOffProposal).where(SpinOffProposal.procurement_id == procurement.id)
                                   .order_by(SpinOffProposal.id)))


def register_for(procurement: Procurement) -> list[ContractModification]:
    return list(db.session.scalars(select(ContractModification)
                                   .where(ContractModification.procurement_id == procurement.id)
                                   .order_by(ContractModification.id)))


def origin_of(procurement: Procurement) -> SpinOffProposal | None:
    """The spin-off proposal a procurement was started from, if any."""
    return db.session.scalar(select(SpinOffProposal).where(SpinOffProposal.new_procurement_id == procurement.id))


def propose_spinoff(contract: Contract, actor: User, *, title: str, description_md: str, evidence_md: str,
                    price_pence: int | None, duration_months: int | None, now: datetime) -> SpinOffProposal:
    """A provider's proposal for extra services on its own running contract."""
    procurement = db.session.get_one(Procurement, contract.procurement_id)
    if not spinoff_policy.is_contract_provider(actor, contract):
        raise refuse(actor, procurement, "spinoff.propose", "not the contract's provider",
                     "Only the provider that holds this contract can propose a spin-off on it.")
    if not spinoff_policy.contract_running(contract, now.date()):
        raise RuleViolation({"": f"The contract ended on {contract.ends_on:%-d %B %Y}: spin-offs can only be "
                                 "proposed on a running contract"})
    reasons = {}
    if not _clean(title):
        reasons["title"] = "Enter a title for the spin-off"
    elif len(_clean(title)) > 200:
        reasons["title"] = "The title must be 200 characters or fewer"
    if not _clean(description_md):
        reasons["description"] = "Describe the spin-off service"
    if price_pence is None:
        reasons["price"] = "Enter the price, including VAT"
    elif price_pence <= 0:
        reasons["price"] = "The price must be more than £0"
    elif price_pence >= MAX_PENCE:
        reasons["price"] = "The price must be less than £100bn"
    if duration_months is None:
        reasons["duration_months"] = "Enter the duration in months"
    elif not 1 <= duration_months <= MAX_MONTHS:
        reasons["duration_months"] = f"The duration must be between 1 and {MAX_MONTHS} months"
    if reasons or price_pence is None or duration_months is None:  # a missing figure is always among the reasons
        raise RuleViolation(reasons)
    proposal = SpinOffProposal(
        contract_id=contract.id, procurement_id=procurement.id, provider_org_id=contract.provider_org_id,
        proposed_by_id=actor.id, title=_clean(title), description_md=description_md,
        description_html=render_markdown(description_md), evidence_md=evidence_md or "",
        evidence_html=render_markdown(evidence_md or ""), price_pence=price_pence, duration_months=duration_months,
        created_at=now, status=SpinOffStatus.PROPOSED)
    db.session.add(proposal)
    db.session.flush()
    trail.record("spinoff.proposed", actor=actor, subject=proposal, procurement_id=procurement.id,
                 audience="participants",
                 summary=f"Spin-off “{proposal.title}” proposed on the contract for {procurement.reference}: "
                         f"£{price_pence / 100:,.2f} over {duration_months} months",
                 payload={"title": proposal.title, "price_pence": price_pence, "duration_months": duration_months,
                          "description": description_md, "evidence": proposal.evidence_md})
    return proposal


def _require_decider(proposal: SpinOffProposal, actor: User, attempted: str) -> Procurement:
    procurement = db.session.get_one(Procurement, proposal.procurement_id)
    lock(procurement)
    if not spinoff_policy.can_decide(actor, procurement):
        raise refuse(actor, procurement, attempted, "not a commissioner of the owning organisation",
                     "Only commissioners of the organisation that owns this contract can decide spin-offs.")
    db.session.refresh(proposal)
    if (decided := _already_decided(proposal)) is not None:
        raise RuleViolation({"": decided})
    return procurement


def _already_decided(proposal: SpinOffProposal) -> str | None:
    if not proposal.is_decided:
        return None
    return f"This proposal was already decided ({proposal.status_label.lower()}): it cannot be decided again"


def _require_reason(reason: str | None, reasons: dict[str, str]) -> None:
    if not _clean(reason):
        reasons["reason"] = "Give the reason for the decision: it is published"


def _decided(proposal: SpinOffProposal, actor: User, status: str, reason: str, check: Result, now: datetime) -> None:
    proposal.status = status
    proposal.decided_by_id = actor.id
    proposal.decided_at = now
    proposal.reason = _clean(reason)
    proposal.check_snapshot = json.dumps(check.as_dict(), sort_keys=True)


def _check_payload(check: Result) -> dict[str, Any]:
    return {"framework": check.framework, "route": check.route, "rule": check.rule, "source": check.source,
            "figures": check.figures, "notices": [{"label": n.label, "status": n.status, "source": n.source}
                                                  for n in check.notices]}


def decision_problems(proposal: SpinOffProposal, *, decision: str, answers: Answers, reason: str | None,
                      engagement_closes_on: date | None, now: datetime) -> dict[str, str]:
    """Why this decision cannot be recorded as it stands: asked before the check-your-answers page, and again
    by the decision itself."""
    reasons: dict[str, str] = {}
    if (decided := _already_decided(proposal)) is not None:
        reasons[""] = decided
    _require_reason(reason, reasons)
    if decision == "accept":
        contract = contract_of(proposal)
        if not spinoff_policy.contract_running(contract, now.date()):
            reasons[""] = f"The contract ended on {contract.ends_on:%-d %B %Y}: it can no longer be modified"
        check = check_for(proposal, answers, now.date())
        if check.needs_new_procurement:
            reasons["decision"] = (f"The lawful-route check says a new procurement is needed: {check.rule} This "
                                   "spin-off cannot be accepted as a modification; decline it or turn it into a "
                                   "new procurement.")
    elif decision == "new_procurement":
        # Checked before anything is created, so a refusal leaves no half-made procurement behind.
        if engagement_closes_on is None:
            reasons["closes_on"] = "Enter the date engagement closes"
        elif engagement_closes_on <= now.date():
            reasons["closes_on"] = "The closing date must be in the future"
    return reasons


def accept(proposal: SpinOffProposal, actor: User, *, answers: Answers, reason: str,
           now: datetime) -> ContractModification:
    """Accept as a modification: the contract's value goes up and the register gains a line."""
    procurement = _require_decider(proposal, actor, "spinoff.accept")
    contract = contract_of(proposal)
    reasons = decision_problems(proposal, decision="accept", answers=answers, reason=reason,
                                engagement_closes_on=None, now=now)
    if reasons:
        raise RuleViolation(reasons)
    check = check_for(proposal, answers, now.date())
    before = contract.value_pence
    contract.value_pence = before + proposal.price_pence
    _decided(proposal, actor, "accepted", reason, check, now)
    modification = ContractModification(
        contract_id=contract.id, procurement_id=procurement.id, proposal_id=proposal.id,
        value_before_pence=before, value_after_pence=contract.value_pence,
        cumulative_percent=check.figures["cumulative_percent"], framework=check.framework, route=check.route,
        route_label=check.route_label, ground=check.source,
        notices=json.dumps([{"label": n.label, "status": n.status, "source": n.source} for n in check.notices]),
        reason=proposal.reason, decided_by_id=actor.id, decided_at=now)
    db.session.add(modification)
    db.session.flush()
    trail.record("spinoff.accepted", actor=actor, subject=proposal, procurement_id=procurement.id, audience="public",
                 summary=f"Spin-off “{proposal.title}” accepted as a modification of the contract for "
                         f"{procurement.reference} ({check.route_label}): value £{before / 100:,.2f} → "
                         f"£{contract.value_pence / 100:,.2f}",
                 payload={"proposal_id": proposal.id, "value_before_pence": before,
                          "value_after_pence": contract.value_pence, "reason": proposal.reason,
                          "check": _check_payload(check)})
    return modification


def decline(proposal: SpinOffProposal, actor: User, *, answers: Answers, reason: str,
            now: datetime) -> SpinOffProposal:
    procurement = _require_decider(proposal, actor, "spinoff.decline")
    reasons = decision_problems(proposal, decision="decline", answers=answers, reason=reason,
                                engagement_closes_on=None, now=now)
    if reasons:
        raise RuleViolation(reasons)
    check = check_for(proposal, answers, now.date())
    _decided(proposal, actor, "declined", reason, check, now)
    db.session.flush()
    trail.record("spinoff.declined", actor=actor, subject=proposal, procurement_id=procurement.id, audience="public",
                 summary=f"Spin-off “{proposal.title}” on the contract for {procurement.reference} declined: "
                         f"{proposal.reason}",
                 payload={"proposal_id": proposal.id, "reason": proposal.reason, "check": _check_payload(check)})
    return proposal


def _carried_text(proposal: SpinOffProposal, procurement: Procurement) -> str:
    link = external_url("tenders.spinoffs_show", procurement_id=procurement.id, proposal_id=proposal.id)
    parts = [proposal.description_md.strip()]
    if _clean(proposal.evidence_md):
        parts.append("**Outcomes evidence it builds on**\n\n" + proposal.evidence_md.strip())
    parts.append(f"Started from spin-off proposal [“{proposal.title}”]({link}) on contract "
                 f"{procurement.reference} (“{procurement.title}”).")
    return "\n\n".join(parts)


def to_new_procurement(proposal: SpinOffProposal, actor: User, *, answers: Answers, reason: str,
                       engagement_closes_on: date | None, now: datetime) -> Procurement:
    """Start a new procurement in engagement from the proposal, carrying its text and linking back."""
    procurement = _require_decider(proposal, actor, "spinoff.new_procurement")
    reasons = decision_problems(proposal, decision="new_procurement", answers=answers, reason=reason,
                                engagement_closes_on=engagement_closes_on, now=now)
    if reasons:
        raise RuleViolation(reasons)
    check = check_for(proposal, answers, now.date())
    new = procurements.create_procurement(actor, title=proposal.title, category=procurement.category,
                                          region=procurement.region, subject_md=_carried_text(proposal, procurement),
                                          now=now)
    procurements.publish_engagement_notice(new, actor, closes_on=engagement_closes_on, now=now)
    _decided(proposal, actor, "new_procurement", reason, check, now)
    proposal.new_procurement_id = new.id
    db.session.flush()
    trail.record("spinoff.new_procurement", actor=actor, subject=proposal, procurement_id=procurement.id,
                 audience="public",
                 summary=f"Spin-off “{proposal.title}” on the contract for {procurement.reference} turned into a new "
                         f"procurement, {new.reference}, now in preliminary market engagement",
                 payload={"proposal_id": proposal.id, "new_procurement_id": new.id,
                          "new_procurement_reference": new.reference, "reason": proposal.reason,
                          "check": _check_payload(check)})
    return new
