"""Deciding a proposal: accept, adapt or decline with a public reason; accepting or adapting saves a new
specification version whose changed section is credited to the proposal."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

import trail
from accounts.models import User
from core.errors import RuleViolation
from core.extensions import db
from core.markdown import render_markdown
from core.urls import external_url
from tenders.models import Procurement
from tenders.models.codesign import DECISIONS, CodesignProposal, Decision
from tenders.services import specification
from tenders.services.codesign.rules import MAX_TEXT, require_decider
from tenders.services.codesign.sections import add_section, replace_section, sections_of
from tenders.services.common import lock
from trail.outbox import queue_email


def decide_proposal(proposal: CodesignProposal, actor: User, *, decision: str, reason_md: str, now: datetime,
                    adapted_text: str = "") -> CodesignProposal:
    """Accept, adapt or decline, once, with a public reason; accepting or adapting saves a new version."""
    procurement = db.session.get_one(Procurement, proposal.procurement_id)
    lock(procurement)
    require_decider(actor, procurement, "codesign.decide")
    db.session.refresh(proposal)
    if proposal.is_decided:
        raise RuleViolation({"": f"{proposal.label} was already {proposal.decision} on "
                                 f"{proposal.decided_at:%-d %B %Y}: a decision cannot be changed"})
    reasons = {}
    reason = (reason_md or "").strip()
    adapted = (adapted_text or "").strip()
    if decision not in DECISIONS:
        reasons["decision"] = "Choose whether to accept, adapt or decline the proposal"
    if not reason:
        reasons["reason"] = "Give the reason for the decision: the proposer and everyone else will read it"
    elif len(reason) > MAX_TEXT:
        reasons["reason"] = f"The reason must be {MAX_TEXT} characters or fewer"
    if decision == Decision.ADAPTED and not adapted:
        reasons["adapted_text"] = "Enter the adapted text that goes into the specification"
    elif len(adapted) > MAX_TEXT:
        reasons["adapted_text"] = f"The adapted text must be {MAX_TEXT} characters or fewer"
    if reasons:
        raise RuleViolation(reasons)
    new_body = None
    latest = procurement.latest_version
    if decision in (Decision.ACCEPTED, Decision.ADAPTED):
        if latest is None:
            raise RuleViolation({"": "There is no draft specification to change: decline the proposal with a reason"})
        text = proposal.proposed_text if decision == Decision.ACCEPTED else adapted
        sections = sections_of(latest)
        if proposal.is_new_section:
            if proposal.section_key in sections:
                raise RuleViolation({"": f"A section called “{sections[proposal.section_key].heading}” now exists "
                                         f"in the current draft (version {latest.number}): this proposal for a new "
                                         "section can only be declined"})
            new_body = add_section(latest.body_md, proposal.section_heading, text)
        else:
            if proposal.section_key not in sections:
                raise RuleViolation({"": f"The section “{proposal.section_heading}” no longer exists in the current "
                                         f"draft (version {latest.number}): the proposal "
                                         "cannot be accepted or adapted; decline it with a reason"})
            new_body = replace_section(latest.body_md, proposal.section_key, text)
    version = None
    check = None
    if new_body is not None and latest is not None:
        outcomes = [specification.OutcomeInput(
            domain=o.domain, description=o.description, indicator=o.indicator, baseline_method=o.baseline_method,
            target=o.target, timescale=o.timescale, evidence_source=o.evidence_source, payment_share=o.payment_share)
            for o in latest.outcomes]
        version, check = specification.save_version(
            procurement, actor, body_md=new_body, outcomes=outcomes,
            note=f"{DECISIONS[decision]}: {proposal.label} by {proposal.organisation.name}", now=now, credit=proposal)
    proposal.decision = decision
    proposal.decision_reason_md = reason
    proposal.decision_reason_html = render_markdown(reason)
    proposal.adapted_text = adapted if decision == Decision.ADAPTED else None
    proposal.decided_by_id = actor.id
    proposal.decided_at = now
    proposal.result_version_id = version.id if version is not None else None
    db.session.flush()
    _tell_proposer(procurement, proposal, actor)
    trail.record("codesign.proposal_decided", actor=actor, subject=proposal, procurement_id=procurement.id,
                 audience="public",
                 summary=f"{proposal.label} by {proposal.organisation.name} {decision} on {procurement.reference}"
                         + (f" (specification version {version.number})" if version is not None else ""),
                 payload={"decision": decision, "reason": reason, "adapted_text": proposal.adapted_text,
                          "section": proposal.section_key, "version": version.number if version else None,
                          "spec_check_errors": len(check.errors) if check else None,
                          "organisation": proposal.organisation.name})
    return proposal


def _tell_proposer(procurement: Procurement, proposal: CodesignProposal, actor: User) -> None:
    """The proposer hears the decision and its reason (the same text is public in the thread)."""
    if proposal.thread_id is not None:
        people = [proposal.recorded_by] if proposal.recorded_by_id != actor.id else []
    else:
        people = list(db.session.scalars(select(User).where(
            User.organisation_id == proposal.organisation_id, User.is_suspended.is_(False),
            User.email_confirmed_at.is_not(None)).order_by(User.id)))
    link = external_url("tenders.codesign_proposal", procurement_id=procurement.id, proposal_id=proposal.id)
    for person in people:
        queue_email(person.email, f"{procurement.reference}: your proposal was {proposal.decision}",
                    f"{proposal.label} ({proposal.organisation.name}) was {proposal.decision} by "
                    f"{actor.full_name}.\n\nReason:\n{proposal.decision_reason_md}\n\n{link}\n")
