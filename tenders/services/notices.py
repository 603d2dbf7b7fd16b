"""Publishing the contract notices that need a commissioner's action, and the notice table of a procurement.

The UK6 contract award notice goes out with the award decision
(tenders.services.evaluation), the procurement termination notice with the
decision to close after the tender (tenders.services.procurements) and the
UK10 contract change notice with a modification that needs one
(tenders.services.spinoffs). The three here are the commissioner's own acts:
the UK7 contract details notice (PA23 s.53), the UK9 contract performance
notice (s.52) and the contract termination notice (s.80). Each writes its
public audit event in the same transaction, so it reaches the Atom feed and
the OCDS releases with the change.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import select

import trail
from accounts.models import User
from core import clock
from core.errors import RuleViolation
from core.extensions import db
from core.markdown import render_markdown
from tenders.models import Contract, ContractPerformanceNotice, Procurement
from tenders.models.spinoffs import ContractModification
from tenders.notices import NoticeFacts, NoticeStatus, notice_statuses
from tenders.policy import is_owner_commissioner
from tenders.policy import notices as notice_policy
from tenders.services.common import lock, refuse
from tenders.services.evaluation import award_for, contract_for
from tenders.thresholds import regime_of

MAX_TEXT = 20_000
ALREADY = "This notice has already been published: it is published once"


def _clean(text: str | None) -> str:
    return (text or "").strip()


def performance_notices(contract: Contract) -> list[ContractPerformanceNotice]:
    return list(db.session.scalars(select(ContractPerformanceNotice)
                                   .where(ContractPerformanceNotice.contract_id == contract.id)
                                   .order_by(ContractPerformanceNotice.id)))


def change_notices_published(contract: Contract) -> list[datetime]:
    """When each modification that needed a contract change notice (s.75(1)) was made and its notice published."""
    found = []
    for modification in db.session.scalars(select(ContractModification)
                                           .where(ContractModification.contract_id == contract.id)
                                           .order_by(ContractModification.id)):
        if any(n.get("status") == "required" and str(n.get("source", "")).startswith("Procurement Act 2023 s.75(1)")
               for n in modification.notice_list):
            found.append(modification.decided_at)
    return found


def facts_for(procurement: Procurement) -> NoticeFacts:
    award = award_for(procurement)
    contract = contract_for(procurement)
    regime = regime_of(procurement, clock.utcnow())  # the framework and, before a contract, the regime
    facts = NoticeFacts(regime=regime.code, framework=regime.regime.framework, stage=procurement.stage,
                        tender_published_at=procurement.tender_published_at,
                        award_published_at=award.notice_published_at if award else None,
                        closed_at=procurement.closed_at)
    if contract is None:
        return facts
    return replace(
        facts, regime=contract.regime, contract_entered_at=contract.created_at,
        contract_value_pence=contract.value_pence, contract_starts_on=contract.starts_on,
        contract_ends_on=contract.ends_on, terminated_on=contract.terminated_on,
        details_published_at=contract.details_notice_published_at,
        termination_published_at=contract.termination_notice_published_at,
        performance_published_at=[n.published_at for n in performance_notices(contract)],
        change_notices_published_at=change_notices_published(contract))


def notices_for(procurement: Procurement, today: date) -> list[NoticeStatus]:
    """The procurement's notices and their state today (the caller passes the project clock's date)."""
    return notice_statuses(facts_for(procurement), today)


def _require(procurement: Procurement, actor: User, attempted: str) -> None:
    """The owning commissioners, once the contract is entered into; a refusal of anyone else is audited."""
    if not is_owner_commissioner(actor, procurement):
        raise refuse(actor, procurement, attempted, "not a commissioner of the owning organisation",
                     "Only commissioners of the organisation that owns this contract can publish its notices.")
    if not notice_policy.can_publish_contract_notices(actor, procurement):
        raise RuleViolation({"": "Contract notices can be published only once the contract has been entered into"})


def _contract(procurement: Procurement) -> Contract:
    """The contract, re-read so a notice published by a concurrent request is seen."""
    contract = contract_for(procurement)
    if contract is None:
        raise RuleViolation({"": "There is no contract yet"})
    db.session.refresh(contract)
    return contract


def publish_contract_details(procurement: Procurement, actor: User, *, now: datetime) -> Contract:
    """The UK7 contract details notice (PA23 s.53): the contract as entered into, published once."""
    lock(procurement)
    _require(procurement, actor, "notice.contract_details")
    contract = _contract(procurement)
    if contract.details_notice_published_at is not None:
        raise RuleViolation({"": ALREADY})
    contract.details_notice_published_at = now
    db.session.flush()
    trail.record("notice.contract_details_published", actor=actor, subject=contract, procurement_id=procurement.id,
                 audience="public",
                 summary=f"Contract details notice (UK7) published for {procurement.reference}: "
                         f"{contract.provider.name}, £{contract.value_pence / 100:,.2f}, "
                         f"{contract.starts_on:%-d %B %Y} to {contract.ends_on:%-d %B %Y}",
                 payload={"provider": contract.provider.name, "value_pence": contract.value_pence,
                          "entered_into_on": contract.created_at.date().isoformat(),
                          "starts_on": contract.starts_on.isoformat(), "ends_on": contract.ends_on.isoformat(),
                          "regime": contract.regime})
    return contract


def publish_performance_notice(procurement: Procurement, actor: User, *, assessment_md: str,
                               period_ends_on: date | None, now: datetime) -> ContractPerformanceNotice:
    """A UK9 contract performance notice (PA23 s.52): the assessment against the KPIs for a period."""
    lock(procurement)
    _require(procurement, actor, "notice.contract_performance")
    contract = _contract(procurement)
    reasons = {}
    if not _clean(assessment_md):
        reasons["assessment"] = "Give the assessment of the contract's performance against its KPIs: it is published"
    elif len(assessment_md) > MAX_TEXT:
        reasons["assessment"] = f"The assessment must be {MAX_TEXT:,} characters or fewer"
    if period_ends_on is None:
        reasons["period_ends_on"] = "Enter the last day of the period assessed"
    elif period_ends_on > now.date():
        reasons["period_ends_on"] = "The period assessed cannot end in the future"
    elif period_ends_on < contract.starts_on:
        reasons["period_ends_on"] = "The period assessed must end after the contract started"
    if reasons or period_ends_on is None:  # a missing day is always among the reasons
        raise RuleViolation(reasons)
    notice = ContractPerformanceNotice(
        contract_id=contract.id, procurement_id=procurement.id, period_ends_on=period_ends_on,
        assessment_md=assessment_md.strip(), assessment_html=render_markdown(assessment_md.strip()),
        published_by_id=actor.id, published_at=now)
    db.session.add(notice)
    db.session.flush()
    trail.record("notice.contract_performance_published", actor=actor, subject=notice,
                 procurement_id=procurement.id, audience="public",
                 summary=f"Contract performance notice (UK9) published for {procurement.reference}, period to "
                         f"{period_ends_on:%-d %B %Y}",
                 payload={"contract_id": contract.id, "period_ends_on": period_ends_on.isoformat(),
                          "assessment": notice.assessment_md})
    return notice


def publish_termination_notice(procurement: Procurement, actor: User, *, terminated_on: date | None, reason: str,
                               now: datetime) -> Contract:
    """The contract termination notice (PA23 s.80): the day the contract ended and why, published once."""
    lock(procurement)
    _require(procurement, actor, "notice.contract_termination")
    contract = _contract(procurement)
    if contract.termination_notice_published_at is not None:
        raise RuleViolation({"": ALREADY})
    reasons = {}
    if not _clean(reason):
        reasons["reason"] = "Give the reason the contract ended: it is published"
    elif len(reason) > MAX_TEXT:
        reasons["reason"] = f"The reason must be {MAX_TEXT:,} characters or fewer"
    if terminated_on is None:
        reasons["terminated_on"] = "Enter the day the contract ended"
    elif terminated_on > now.date():
        reasons["terminated_on"] = (
            "The notice is published once the contract has ended: the day cannot be in the future"
        )
    elif terminated_on < contract.starts_on:
        reasons["terminated_on"] = f"The contract started on {contract.starts_on:%-d %B %Y}: it cannot end before that"
    elif terminated_on > contract.ends_on:
        reasons["terminated_on"] = f"The contract's term ended on {contract.ends_on:%-d %B %Y}: it cannot end later"
    if reasons or terminated_on is None:  # a missing day is always among the reasons
        raise RuleViolation(reasons)
    contract.terminated_on = terminated_on if terminated_on < contract.ends_on else None
    contract.termination_reason = _clean(reason)
    contract.termination_notice_published_at = now
    db.session.flush()
    early = contract.terminated_on is not None
    trail.record("notice.contract_termination_published", actor=actor, subject=contract,
                 procurement_id=procurement.id, audience="public",
                 summary=f"Contract termination notice published for {procurement.reference}: the contract "
                         + ("was terminated early on " if early else "ended at the end of its term on ")
                         + f"{terminated_on:%-d %B %Y}: {contract.termination_reason}",
                 payload={"contract_id": contract.id, "ended_on": terminated_on.isoformat(), "early": early,
                          "reason": contract.termination_reason})
    return contract
