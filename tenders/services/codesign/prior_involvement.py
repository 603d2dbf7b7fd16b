"""Prior involvement (PA23 s.16(4)-(5); PCR reg 41): who contributed to co-design, and the mitigation notes
that answer it."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

import trail
from accounts.models import Organisation, User
from core.errors import RuleViolation
from core.extensions import db
from core.markdown import render_markdown
from tenders.models import Procurement
from tenders.models.codesign import MitigationNote
from tenders.policy import codesign as codesign_policy
from tenders.services.codesign.proposals import proposals_for
from tenders.services.codesign.rules import MAX_TEXT
from tenders.services.codesign.threads import threads_for
from tenders.services.common import lock, refuse


@dataclass
class Involvement:
    organisation: Organisation
    threads: int = 0
    messages: int = 0
    proposals: int = 0
    meeting_proposals: int = 0
    first_at: datetime | None = None
    last_at: datetime | None = None

    def saw(self, moment: datetime) -> None:
        self.first_at = moment if self.first_at is None else min(self.first_at, moment)
        self.last_at = moment if self.last_at is None else max(self.last_at, moment)

    @property
    def summary(self) -> str:
        parts = [(self.threads, "thread opened", "threads opened"), (self.messages, "message", "messages"),
                 (self.proposals, "proposal", "proposals"),
                 (self.meeting_proposals, "proposal made in a meeting", "proposals made in meetings")]
        return ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in parts if n)


def prior_involvement(procurement: Procurement) -> list[Involvement]:
    """Every provider organisation that contributed to co-design, by name (rule 3)."""
    found: dict[int, Involvement] = {}

    def note(organisation: Organisation, moment: datetime) -> Involvement | None:
        if organisation.kind != "provider":
            return None
        entry = found.setdefault(organisation.id, Involvement(organisation))
        entry.saw(moment)
        return entry

    for thread in threads_for(procurement):
        if entry := note(thread.organisation, thread.opened_at):
            entry.threads += 1
        for index, message in enumerate(thread.messages):
            if index == 0 and message.author_id == thread.opened_by_id:
                continue  # the opening message is part of opening the thread
            if entry := note(message.organisation, message.posted_at):
                entry.messages += 1
    for proposal in proposals_for(procurement):
        if entry := note(proposal.organisation, proposal.proposed_at):
            if proposal.thread_id is None:
                entry.meeting_proposals += 1
            else:
                entry.proposals += 1
    return sorted(found.values(), key=lambda e: (e.organisation.name.lower(), e.organisation.id))


def latest_contribution_at(procurement: Procurement) -> datetime | None:
    moments = [e.last_at for e in prior_involvement(procurement) if e.last_at is not None]
    return max(moments) if moments else None


def mitigation_notes(procurement: Procurement) -> list[MitigationNote]:
    return list(db.session.scalars(select(MitigationNote).where(MitigationNote.procurement_id == procurement.id)
                                   .order_by(MitigationNote.number)))


def latest_note(procurement: Procurement) -> MitigationNote | None:
    notes = mitigation_notes(procurement)
    return notes[-1] if notes else None


def note_providers(note: MitigationNote) -> list[str]:
    providers: list[str] = json.loads(note.providers_json or "[]")
    return providers


def record_mitigation_note(procurement: Procurement, actor: User, *, shared_md: str, time_limit_md: str,
                           now: datetime) -> MitigationNote:
    """What was shared with everyone and why the time limit is adequate. A new note supersedes; none is edited."""
    lock(procurement)
    if not codesign_policy.may_write_mitigation(actor, procurement):
        raise refuse(actor, procurement, "codesign.mitigation_note", "not a commissioner of the owning organisation",
                     "Only commissioners of the owning organisation can write the mitigation note.")
    if not codesign_policy.can_write_mitigation(actor, procurement):
        raise RuleViolation({"": "The mitigation note is written before the tender is published: the procurement "
                                 f"is at the “{procurement.stage_label}” stage"})
    shared, time_limit = (shared_md or "").strip(), (time_limit_md or "").strip()
    reasons = {}
    if not shared:
        reasons["shared"] = "Say what was shared with all providers"
    elif len(shared) > MAX_TEXT:
        reasons["shared"] = f"This must be {MAX_TEXT} characters or fewer"
    if not time_limit:
        reasons["time_limit"] = "Say why the time limit for responses is adequate"
    elif len(time_limit) > MAX_TEXT:
        reasons["time_limit"] = f"This must be {MAX_TEXT} characters or fewer"
    if reasons:
        raise RuleViolation(reasons)
    number = (db.session.scalar(select(func.max(MitigationNote.number)).where(
        MitigationNote.procurement_id == procurement.id)) or 0) + 1
    providers = [entry.organisation.name for entry in prior_involvement(procurement)]
    note = MitigationNote(procurement_id=procurement.id, number=number, shared_md=shared,
                          shared_html=render_markdown(shared), time_limit_md=time_limit,
                          time_limit_html=render_markdown(time_limit), providers_json=json.dumps(providers),
                          recorded_by_id=actor.id, recorded_at=now)
    db.session.add(note)
    db.session.flush()
    trail.record("codesign.mitigation_note_recorded", actor=actor, subject=note, procurement_id=procurement.id,
                 audience="public",
                 summary=f"Prior-involvement mitigation note {number} recorded on {procurement.reference}",
                 payload={"number": number, "shared": shared, "time_limit": time_limit, "providers": providers})
    return note
