"""Proposals: new text for one section of the draft (or a new section), made in a thread or recorded from a
meeting; and each proposal as its page shows it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

import trail
from accounts.models import Organisation, User
from core.errors import RuleViolation
from core.extensions import db
from core.markdown import render_markdown
from core.readable_diff import ReadableDiff
from core.safeguarding import check_child_data
from tenders.models import EngagementEvent, Procurement, SpecVersion
from tenders.models.codesign import CodesignProposal, CodesignThread, Decision
from tenders.services.codesign.rules import (
    MAX_TEXT,
    MAX_TITLE,
    audit_child_data,
    require_contributor,
    require_decider,
    who,
)
from tenders.services.codesign.sections import NEW_SECTION, diff_rows, sections_of, slugify
from tenders.services.common import lock


@dataclass
class _Target:
    key: str
    heading: str
    is_new: bool
    base_text: str


def _target(procurement: Procurement, section_key: str, new_heading: str) -> tuple[SpecVersion, _Target]:
    """Which section a proposal is about, checked against the current draft."""
    latest = procurement.latest_version
    if latest is None:
        raise RuleViolation({"section": "There is no draft specification to propose changes to yet"})
    sections = sections_of(latest)
    if section_key == NEW_SECTION:
        heading = " ".join((new_heading or "").split()).lstrip("#").strip()
        if not heading:
            raise RuleViolation({"new_heading": "Enter the heading of the new section"})
        if len(heading) > MAX_TITLE:
            raise RuleViolation({"new_heading": f"The heading must be {MAX_TITLE} characters or fewer"})
        key = slugify(heading)
        if key in sections:
            raise RuleViolation({"new_heading": f"A section called “{sections[key].heading}” already exists: "
                                                "choose it to propose a change to it"})
        return latest, _Target(key, heading, True, "")
    if section_key not in sections:
        raise RuleViolation({"section": "Choose a section of the current draft (or a new section): that section "
                                        f"is not in version {latest.number}"})
    section = sections[section_key]
    return latest, _Target(section.key, section.heading, False, section.text)


def _proposal_reasons(text: str, rationale: str) -> dict[str, str]:
    reasons = {}
    if not text:
        reasons["text"] = "Enter the text you propose for the section"
    elif len(text) > MAX_TEXT:
        reasons["text"] = f"The proposed text must be {MAX_TEXT} characters or fewer"
    if not rationale:
        reasons["rationale"] = "Explain why you propose this change"
    elif len(rationale) > MAX_TEXT:
        reasons["rationale"] = f"The rationale must be {MAX_TEXT} characters or fewer"
    return reasons


def _new_proposal(procurement: Procurement, actor: User, organisation: Organisation, *, section_key: str,
                  new_heading: str, text: str, rationale_md: str, now: datetime, thread: CodesignThread | None = None,
                  event: EngagementEvent | None = None, confirmed_no_child_data: bool = False) -> CodesignProposal:
    clean_text, rationale = (text or "").strip(), (rationale_md or "").strip()
    reasons = _proposal_reasons(clean_text, rationale)
    try:
        latest, target = _target(procurement, section_key or "", new_heading)
    except RuleViolation as exc:
        raise RuleViolation({**exc.reasons, **reasons}) from None
    if reasons:
        raise RuleViolation(reasons)
    kinds = check_child_data("text", [target.heading if target.is_new else "", clean_text, rationale],
                              confirmed_no_child_data)
    proposal = CodesignProposal(
        procurement_id=procurement.id, thread_id=thread.id if thread else None, event_id=event.id if event else None,
        section_key=target.key, section_heading=target.heading, is_new_section=target.is_new,
        base_version_id=latest.id, base_text=target.base_text, proposed_text=clean_text, rationale_md=rationale,
        rationale_html=render_markdown(rationale), organisation_id=organisation.id, recorded_by_id=actor.id,
        proposed_at=now)
    db.session.add(proposal)
    db.session.flush()
    if thread is not None:
        db.session.expire(thread, ["proposals"])
    audit_child_data(kinds, actor, proposal, procurement, "a co-design proposal")
    return proposal


def propose_change(thread: CodesignThread, actor: User, *, section_key: str, text: str, rationale_md: str,
                   now: datetime, new_heading: str = "", confirmed_no_child_data: bool = False) -> CodesignProposal:
    """Propose new text for one section of the current draft (or a new section), with the reason why."""
    procurement = db.session.get_one(Procurement, thread.procurement_id)
    lock(procurement)
    require_contributor(actor, procurement, "codesign.propose")
    proposal = _new_proposal(procurement, actor, actor.organisation, section_key=section_key,
                             new_heading=new_heading, text=text, rationale_md=rationale_md, now=now, thread=thread,
                             confirmed_no_child_data=confirmed_no_child_data)
    trail.record("codesign.proposal_made", actor=actor, subject=proposal, procurement_id=procurement.id,
                 audience="public",
                 summary=f"{proposal.label} made in co-design thread “{thread.title}” on {procurement.reference} "
                         f"by {who(actor)}",
                 payload={"thread_id": thread.id, "section": proposal.section_key,
                          "heading": proposal.section_heading, "new_section": proposal.is_new_section,
                          "base_version": proposal.base_version.number, "text": proposal.proposed_text,
                          "rationale": proposal.rationale_md, "organisation": actor.organisation.name})
    return proposal


def meeting_events(procurement: Procurement) -> list[EngagementEvent]:
    """Engagement events that are forum meetings: where a proposal can have been made out loud."""
    return [e for e in procurement.events if e.meeting_id is not None]


def record_meeting_proposal(procurement: Procurement, actor: User, *, event: EngagementEvent | None,
                            organisation: Organisation | None, section_key: str, text: str, rationale_md: str,
                            now: datetime, new_heading: str = "",
                            confirmed_no_child_data: bool = False) -> CodesignProposal:
    """A commissioner writes down a proposal a provider made in a meeting, crediting that provider."""
    lock(procurement)
    require_decider(actor, procurement, "codesign.record_meeting_proposal")
    reasons = {}
    if event is None or event.procurement_id != procurement.id or event.meeting_id is None:
        reasons["event"] = "Choose an engagement event of this procurement that is a forum meeting"
    elif event.is_cancelled:
        reasons["event"] = "That meeting was cancelled: no proposal can have been made in it"
    elif event.when > now:
        reasons["event"] = "That meeting has not happened yet"
    if organisation is None or organisation.kind != "provider":
        reasons["organisation"] = "Choose the provider organisation that made the proposal"
    if reasons or event is None or organisation is None:  # a missing one is always among the reasons
        raise RuleViolation(reasons)
    proposal = _new_proposal(procurement, actor, organisation, section_key=section_key, new_heading=new_heading,
                             text=text, rationale_md=rationale_md, now=now, event=event,
                             confirmed_no_child_data=confirmed_no_child_data)
    trail.record("codesign.meeting_proposal_recorded", actor=actor, subject=proposal, procurement_id=procurement.id,
                 audience="public",
                 summary=f"{proposal.label} made by {organisation.name} in the meeting “{event.title}” recorded "
                         f"on {procurement.reference} by {who(actor)}",
                 payload={"event_id": event.id, "meeting_id": event.meeting_id, "section": proposal.section_key,
                          "heading": proposal.section_heading, "new_section": proposal.is_new_section,
                          "base_version": proposal.base_version.number, "text": proposal.proposed_text,
                          "rationale": proposal.rationale_md, "organisation": organisation.name})
    return proposal


def proposals_for(procurement: Procurement) -> list[CodesignProposal]:
    return list(db.session.scalars(select(CodesignProposal).where(CodesignProposal.procurement_id == procurement.id)
                                   .order_by(CodesignProposal.id)))


def meeting_proposals(procurement: Procurement) -> list[CodesignProposal]:
    return [p for p in proposals_for(procurement) if p.thread_id is None]


@dataclass
class ProposalView:
    """A proposal as its page shows it: the diff, and whether its section still exists."""

    proposal: CodesignProposal
    current_version: SpecVersion | None
    current_text: str | None  # None: the section is not in the current draft
    diff: ReadableDiff
    adapted_diff: ReadableDiff | None = None

    @property
    def section_missing(self) -> bool:
        return not self.proposal.is_new_section and self.current_text is None

    @property
    def section_changed(self) -> bool:
        return self.current_text is not None and self.current_text != self.proposal.base_text


def view_proposal(proposal: CodesignProposal) -> ProposalView:
    """Undecided: a diff against the current draft's section. Decided: against the text it replaced."""
    procurement = db.session.get_one(Procurement, proposal.procurement_id)
    latest = procurement.latest_version
    section = sections_of(latest).get(proposal.section_key)
    current = None if proposal.is_new_section else (section.text if section is not None else None)
    name = proposal.section_heading
    if proposal.is_decided:
        old, old_label = proposal.base_text, f"Version {proposal.base_version.number}: {name}"
    else:
        old = current or ""
        old_label = ("No draft" if latest is None else f"Version {latest.number}: {name}" if current is not None
                     else f"Version {latest.number}: no section “{name}”")
    view = ProposalView(proposal, latest, current, diff_rows(old, proposal.proposed_text, old_label, "Proposed", name))
    if proposal.decision == Decision.ADAPTED:
        view.adapted_diff = diff_rows(old, proposal.adapted_text or "", old_label, "Adopted (adapted)", name)
    return view
