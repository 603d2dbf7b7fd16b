"""Co-design threads, proposals, specification sections and clause provenance (PA23 s.16(4)-(5): prior involvement).

Providers and the owning commissioners shape the draft specification in public
threads during preliminary market engagement. A proposal changes one section
of the draft (the text under one `## ` heading) or adds a section; the owning
commissioners accept, adapt or decline it with a public reason, and an accepted
or adapted proposal becomes a new specification version saved through
tenders.services.specification like any other. Every section of every version
records where its text came from (clause provenance).

Whoever contributed is listed as having prior involvement (PA23 s.16(4)-(5);
PCR reg 41); the tender cannot be published until a mitigation note answers
the latest contribution, every proposal is decided, and the engagement report
is attached to the tender documents.
"""
from __future__ import annotations

import contextvars
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

import trail
from accounts.models import Organisation, User
from core.errors import RuleViolation
from core.extensions import db
from core.markdown import render_markdown
from core.readable_diff import ReadableDiff, readable_diff
from core.safeguarding import check_child_data
from core.urls import external_url
from tenders.models import EngagementEvent, Procurement, ProcurementDocument, SpecVersion, Stage
from tenders.models.codesign import (
    DECISIONS,
    ClauseProvenance,
    CodesignMessage,
    CodesignProposal,
    CodesignThread,
    Decision,
    MitigationNote,
)
from tenders.policy import codesign as codesign_policy
from tenders.services.common import lock, refuse, safe_filename
from trail.outbox import queue_email

INTRODUCTION = "introduction"
NEW_SECTION = "__new__"
MAX_TITLE = 200
MAX_TEXT = 20000

# ---------------------------------------------------------------- sections (pure)

_HEADING = re.compile(r"^ {0,3}##[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class Section:
    """One named part of a specification body: its `## ` heading line (none for the introduction) and what follows."""

    key: str
    heading: str
    heading_line: str
    body: str

    @property
    def text(self) -> str:
        """The section's text as people compare it: without the blank lines around it."""
        return self.body.strip()

    @property
    def is_introduction(self) -> bool:
        return self.heading_line == ""


def slugify(heading: str) -> str:
    """A stable key for a heading: lower case ASCII words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", heading).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:100] or "section"


def split_sections(body_md: str) -> list[Section]:
    """Divide a body at its `## ` headings; the text before the first heading is the section "Introduction".

    The introduction is always the first section (its body may be empty), so
    `join_sections(split_sections(text)) == text` for any text. Headings inside
    fenced code blocks do not count. Keys are slugs of the headings, made unique
    in order ("staffing", "staffing-2").
    """
    sections: list[Section] = []
    seen = {INTRODUCTION}
    heading, heading_line, key = "Introduction", "", INTRODUCTION
    body: list[str] = []
    fence: str | None = None
    for line in (body_md or "").splitlines(keepends=True):
        bare = line.rstrip("\r\n")
        fence_match = _FENCE.match(bare)
        if fence_match:
            marker = fence_match.group(1)
            if fence is None:
                fence = marker[0] * 3
            elif marker.startswith(fence):
                fence = None
        match = _HEADING.match(bare) if fence is None and not fence_match else None
        if match and match.group(1).strip():
            sections.append(Section(key, heading, heading_line, "".join(body)))
            heading, heading_line, body = match.group(1).strip(), line, []
            key = base = slugify(heading)
            number = 2
            while key in seen:
                key, number = f"{base}-{number}", number + 1
            seen.add(key)
        else:
            body.append(line)
    sections.append(Section(key, heading, heading_line, "".join(body)))
    return sections


def join_sections(sections: list[Section]) -> str:
    return "".join(section.heading_line + section.body for section in sections)


def replace_section(body_md: str, key: str, text: str) -> str:
    """The body with one section's text replaced (its heading kept), the rest exactly as it was."""
    sections = split_sections(body_md)
    index = next((i for i, s in enumerate(sections) if s.key == key), None)
    if index is None:
        raise KeyError(key)
    section, last = sections[index], index == len(sections) - 1
    clean = (text or "").strip()
    gap = "" if last else "\n"
    if section.is_introduction:
        body = f"{clean}\n{gap}" if clean else ""
        heading_line = ""
    else:
        body = f"\n{clean}\n{gap}" if clean else gap
        heading_line = section.heading_line if section.heading_line.endswith("\n") else section.heading_line + "\n"
    sections[index] = Section(section.key, section.heading, heading_line, body)
    return join_sections(sections)


def add_section(body_md: str, heading: str, text: str) -> str:
    """The body with a new `## heading` section at the end."""
    before = (body_md or "").rstrip()
    return (before + "\n\n" if before else "") + f"## {heading.strip()}\n\n{(text or '').strip()}\n"


def text_hash(text: str) -> str:
    return hashlib.sha256((text or "").strip().encode("utf-8")).hexdigest()


def sections_of(version: SpecVersion | None) -> dict[str, Section]:
    return {s.key: s for s in split_sections(version.body_md)} if version is not None else {}


def section_choices(version: SpecVersion | None) -> list[tuple[str, str]]:
    """What a proposal can be about: each section of the current draft, or a new one."""
    choices = [(s.key, "Introduction (text before the first heading)" if s.is_introduction else s.heading)
               for s in sections_of(version).values()]
    return choices + [(NEW_SECTION, "A new section")]


def diff_rows(old: str, new: str, old_label: str, new_label: str, section: str) -> ReadableDiff:
    """Two texts of one section compared for people to read, shaped like the versions diff."""
    return readable_diff(old or "", new or "", old_label, new_label, first_section=section)


# ---------------------------------------------------------------- rules shared by the services


def closed_message(procurement: Procurement) -> str:
    """Why nobody can post, propose or decide now (the public notice on every thread page says the same)."""
    if procurement.tender_published_at is not None:
        day = procurement.tender_published_at
        return (f"Co-design closed on {day.day} {day:%B %Y} when the tender was published; "
                "ask questions through clarification")
    if procurement.stage == Stage.PLANNING:
        return "Co-design opens when the preliminary market engagement notice is published"
    return f"Co-design is closed: the procurement is at the “{procurement.stage_label}” stage"


def _require_open(procurement: Procurement) -> None:
    if not codesign_policy.is_open(procurement):
        raise RuleViolation({"": closed_message(procurement)})


def _require_contributor(actor: User, procurement: Procurement, attempted: str) -> None:
    if not codesign_policy.may_contribute(actor, procurement):
        raise refuse(actor, procurement, attempted, "not a provider or an owning commissioner",
                     "Only providers and commissioners of the owning organisation can take part in co-design.")
    _require_open(procurement)


def _require_decider(actor: User, procurement: Procurement, attempted: str) -> None:
    if not codesign_policy.may_decide(actor, procurement):
        raise refuse(actor, procurement, attempted, "not a commissioner of the owning organisation",
                     "Only commissioners of the owning organisation can do this.")
    _require_open(procurement)


def _who(user: User) -> str:
    return f"{user.full_name} ({user.organisation.name})"


def _audit_child_data(kinds: list[str], actor: User, subject: object, procurement: Procurement, where: str) -> None:
    if kinds:
        trail.record("codesign.child_data_confirmed", actor=actor, subject=subject, procurement_id=procurement.id,
                     audience="auditors",
                     summary=f"{actor.full_name} confirmed {where} holds no personal data about a child",
                     payload={"kinds_flagged": kinds, "where": where})


# ---------------------------------------------------------------- threads and messages


def open_thread(procurement: Procurement, actor: User, *, title: str, message_md: str, now: datetime,
                confirmed_no_child_data: bool = False) -> CodesignThread:
    """A new public thread with its first message, attributed to the person and their organisation."""
    lock(procurement)
    _require_contributor(actor, procurement, "codesign.open_thread")
    reasons = {}
    clean_title = " ".join((title or "").split())
    text = (message_md or "").strip()
    if not clean_title:
        reasons["title"] = "Enter a title for the thread"
    elif len(clean_title) > MAX_TITLE:
        reasons["title"] = f"The title must be {MAX_TITLE} characters or fewer"
    if not text:
        reasons["message"] = "Enter the first message"
    elif len(text) > MAX_TEXT:
        reasons["message"] = f"The message must be {MAX_TEXT} characters or fewer"
    if reasons:
        raise RuleViolation(reasons)
    kinds = check_child_data("message", [clean_title, text], confirmed_no_child_data)
    thread = CodesignThread(procurement_id=procurement.id, title=clean_title, opened_by_id=actor.id,
                            organisation_id=actor.organisation_id, opened_at=now)
    db.session.add(thread)
    db.session.flush()
    db.session.add(CodesignMessage(thread_id=thread.id, author_id=actor.id, organisation_id=actor.organisation_id,
                                   body_md=text, body_html=render_markdown(text), posted_at=now))
    db.session.flush()
    trail.record("codesign.thread_opened", actor=actor, subject=thread, procurement_id=procurement.id,
                 audience="public",
                 summary=f"Co-design thread “{thread.title}” opened on {procurement.reference} by {_who(actor)}",
                 payload={"title": thread.title, "message": text, "organisation": actor.organisation.name})
    _audit_child_data(kinds, actor, thread, procurement, "a co-design thread")
    return thread


def post_message(thread: CodesignThread, actor: User, *, body_md: str, now: datetime,
                 confirmed_no_child_data: bool = False) -> CodesignMessage:
    procurement = db.session.get_one(Procurement, thread.procurement_id)
    lock(procurement)
    _require_contributor(actor, procurement, "codesign.post")
    text = (body_md or "").strip()
    if not text:
        raise RuleViolation({"message": "Enter your message"})
    if len(text) > MAX_TEXT:
        raise RuleViolation({"message": f"The message must be {MAX_TEXT} characters or fewer"})
    kinds = check_child_data("message", [text], confirmed_no_child_data)
    message = CodesignMessage(thread_id=thread.id, author_id=actor.id, organisation_id=actor.organisation_id,
                              body_md=text, body_html=render_markdown(text), posted_at=now)
    db.session.add(message)
    db.session.flush()
    db.session.expire(thread, ["messages"])
    trail.record("codesign.message_posted", actor=actor, subject=message, procurement_id=procurement.id,
                 audience="public",
                 summary=f"Message in co-design thread “{thread.title}” on {procurement.reference} by {_who(actor)}",
                 payload={"thread_id": thread.id, "message": text, "organisation": actor.organisation.name})
    _audit_child_data(kinds, actor, message, procurement, "a co-design message")
    return message


# ---------------------------------------------------------------- proposals


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
    _audit_child_data(kinds, actor, proposal, procurement, "a co-design proposal")
    return proposal


def propose_change(thread: CodesignThread, actor: User, *, section_key: str, text: str, rationale_md: str,
                   now: datetime, new_heading: str = "", confirmed_no_child_data: bool = False) -> CodesignProposal:
    """Propose new text for one section of the current draft (or a new section), with the reason why."""
    procurement = db.session.get_one(Procurement, thread.procurement_id)
    lock(procurement)
    _require_contributor(actor, procurement, "codesign.propose")
    proposal = _new_proposal(procurement, actor, actor.organisation, section_key=section_key,
                             new_heading=new_heading, text=text, rationale_md=rationale_md, now=now, thread=thread,
                             confirmed_no_child_data=confirmed_no_child_data)
    trail.record("codesign.proposal_made", actor=actor, subject=proposal, procurement_id=procurement.id,
                 audience="public",
                 summary=f"{proposal.label} made in co-design thread “{thread.title}” on {procurement.reference} "
                         f"by {_who(actor)}",
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
    _require_decider(actor, procurement, "codesign.record_meeting_proposal")
    reasons = {}
    if event is None or event.procurement_id != procurement.id or event.meeting_id is None:
        reasons["event"] = "Choose an engagement event of this procurement that is a forum meeting"
    elif event.is_cancelled:
        reasons["event"] = "That meeting was cancelled: no proposal can have been made in it"
    elif event.when > now:
        reasons["event"] = "That meeting has not happened yet"
    if organisation is None or organisation.kind != "provider":
        reasons["organisation"] = "Choose the provider organisation that made the proposal"
    if reasons:
        raise RuleViolation(reasons)
    proposal = _new_proposal(procurement, actor, organisation, section_key=section_key, new_heading=new_heading,
                             text=text, rationale_md=rationale_md, now=now, event=event,
                             confirmed_no_child_data=confirmed_no_child_data)
    trail.record("codesign.meeting_proposal_recorded", actor=actor, subject=proposal, procurement_id=procurement.id,
                 audience="public",
                 summary=f"{proposal.label} made by {organisation.name} in the meeting “{event.title}” recorded "
                         f"on {procurement.reference} by {_who(actor)}",
                 payload={"event_id": event.id, "meeting_id": event.meeting_id, "section": proposal.section_key,
                          "heading": proposal.section_heading, "new_section": proposal.is_new_section,
                          "base_version": proposal.base_version.number, "text": proposal.proposed_text,
                          "rationale": proposal.rationale_md, "organisation": organisation.name})
    return proposal


# ---------------------------------------------------------------- decisions and provenance

_crediting: contextvars.ContextVar[CodesignProposal | None] = contextvars.ContextVar("codesign_crediting",
                                                                                    default=None)


@contextmanager
def crediting(proposal: CodesignProposal) -> Iterator[None]:
    """While saving the version a decision makes, its section is credited to the proposal."""
    token = _crediting.set(proposal)
    try:
        yield
    finally:
        _crediting.reset(token)


def _previous_version(version: SpecVersion) -> SpecVersion | None:
    return db.session.scalar(select(SpecVersion).where(
        SpecVersion.procurement_id == version.procurement_id, SpecVersion.number < version.number)
        .order_by(SpecVersion.number.desc()).limit(1))


def stored_provenance(version: SpecVersion) -> list[ClauseProvenance]:
    return list(db.session.scalars(select(ClauseProvenance).where(ClauseProvenance.version_id == version.id)
                                   .order_by(ClauseProvenance.position)))


def record_provenance(version: SpecVersion, actor: User, *, now: datetime) -> list[ClauseProvenance]:
    """Record where each section of a just-saved version came from (called by specification.save_version).

    Text unchanged from the version before (same SHA-256, same section first)
    keeps its provenance; the section a decision changed is credited to the
    proposal; anything else was drafted by whoever saved the version.
    """
    credit = _crediting.get()
    previous = _previous_version(version)
    before = stored_provenance(previous) if previous is not None else []
    by_key = {row.section_key: row for row in before}
    by_hash: dict[str, ClauseProvenance] = {}
    for row in before:
        by_hash.setdefault(row.text_sha256, row)
    rows = []
    for position, section in enumerate(split_sections(version.body_md)):
        if section.is_introduction and not section.text:
            continue
        digest = text_hash(section.text)
        row = ClauseProvenance(version_id=version.id, position=position, section_key=section.key,
                               heading=section.heading[:200], text_sha256=digest)
        same = by_key.get(section.key)
        carried = same if same is not None and same.text_sha256 == digest else by_hash.get(digest)
        if credit is not None and credit.section_key == section.key:
            row.origin, row.proposal_id = "proposal", credit.id
            row.since_version, row.since_at = version.number, now
        elif carried is not None:
            row.origin, row.proposal_id, row.drafted_by_id = carried.origin, carried.proposal_id, carried.drafted_by_id
            row.since_version, row.since_at = carried.since_version, carried.since_at
        else:
            row.origin, row.drafted_by_id = "drafted", actor.id
            row.since_version, row.since_at = version.number, now
        db.session.add(row)
        rows.append(row)
    db.session.flush()
    return rows


def provenance_for(version: SpecVersion) -> list[ClauseProvenance]:
    """The recorded provenance; a version saved before provenance was recorded reads as drafted by its author."""
    rows = stored_provenance(version)
    if rows:
        return rows
    return [ClauseProvenance(version_id=version.id, position=position, section_key=s.key, heading=s.heading,
                             text_sha256=text_hash(s.text), origin="drafted", drafted_by_id=version.created_by_id,
                             drafted_by=version.created_by, since_version=version.number,
                             since_at=version.created_at)
            for position, s in enumerate(split_sections(version.body_md))
            if not (s.is_introduction and not s.text)]


def provenance_text(row: ClauseProvenance) -> str:
    """One line saying where a section's text came from (the page and the report say the same)."""
    proposal = row.proposal
    if row.origin == "proposal" and proposal is not None:
        where = (f"in the co-design thread “{proposal.thread.title}”" if proposal.thread is not None
                 else f"in the meeting “{proposal.event.title}” ({proposal.event.when:%-d %B %Y})")
        decided_by = proposal.decided_by.full_name if proposal.decided_by else "the commissioner"
        verb = "adapted and accepted" if proposal.decision == Decision.ADAPTED else Decision.ACCEPTED
        return (f"Proposed by {proposal.organisation.name} {where} on {proposal.proposed_at:%-d %B %Y}; "
                f"{verb} by {decided_by} on {proposal.decided_at:%-d %B %Y} (version {row.since_version})")
    author = row.drafted_by.full_name if row.drafted_by else "the commissioner"
    return f"Drafted by {author} (version {row.since_version}, {row.since_at:%-d %B %Y})"


def decide_proposal(proposal: CodesignProposal, actor: User, *, decision: str, reason_md: str, now: datetime,
                    adapted_text: str = "") -> CodesignProposal:
    """Accept, adapt or decline, once, with a public reason; accepting or adapting saves a new version."""
    from tenders.services import specification

    procurement = db.session.get_one(Procurement, proposal.procurement_id)
    lock(procurement)
    _require_decider(actor, procurement, "codesign.decide")
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
        text = proposal.proposed_text if decision == Decision.ACCEPTED else adapted
        sections = sections_of(latest)
        if proposal.is_new_section:
            if proposal.section_key in sections:
                raise RuleViolation({"": f"A section called “{sections[proposal.section_key].heading}” now exists "
                                         f"in the current draft (version {latest.number}): this proposal for a new "
                                         "section can only be declined"})
            new_body = add_section(latest.body_md, proposal.section_heading, text)
        else:
            if latest is None or proposal.section_key not in sections:
                raise RuleViolation({"": f"The section “{proposal.section_heading}” no longer exists in the current "
                                         f"draft{f' (version {latest.number})' if latest else ''}: the proposal "
                                         "cannot be accepted or adapted; decline it with a reason"})
            new_body = replace_section(latest.body_md, proposal.section_key, text)
    version = None
    check = None
    if new_body is not None:
        outcomes = [specification.OutcomeInput(
            domain=o.domain, description=o.description, indicator=o.indicator, baseline_method=o.baseline_method,
            target=o.target, timescale=o.timescale, evidence_source=o.evidence_source, payment_share=o.payment_share)
            for o in latest.outcomes]
        with crediting(proposal):
            version, check = specification.save_version(
                procurement, actor, body_md=new_body, outcomes=outcomes,
                note=f"{DECISIONS[decision]}: {proposal.label} by {proposal.organisation.name}", now=now)
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


# ---------------------------------------------------------------- reading


def threads_for(procurement: Procurement) -> list[CodesignThread]:
    return list(db.session.scalars(select(CodesignThread).where(CodesignThread.procurement_id == procurement.id)
                                   .order_by(CodesignThread.id)))


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
        old_label = (f"Version {latest.number}: {name}" if current is not None else
                     f"Version {latest.number}: no section “{name}”" if latest is not None else "No draft")
    view = ProposalView(proposal, latest, current, diff_rows(old, proposal.proposed_text, old_label, "Proposed", name))
    if proposal.decision == Decision.ADAPTED:
        view.adapted_diff = diff_rows(old, proposal.adapted_text or "", old_label, "Adopted (adapted)", name)
    return view


# ---------------------------------------------------------------- prior involvement and mitigation


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
    return json.loads(note.providers_json or "[]")


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


# ---------------------------------------------------------------- the engagement report


def report_version(procurement: Procurement) -> SpecVersion | None:
    """The version the report describes: the latest draft while drafting, else the latest version shared."""
    if procurement.stage in (Stage.PLANNING, Stage.ENGAGEMENT):
        return procurement.latest_version
    shared = [v for v in procurement.versions if codesign_policy.version_is_shared(procurement, v)]
    return shared[-1] if shared else None


@dataclass
class Report:
    filename: str
    text: str

    @property
    def data(self) -> bytes:
        return self.text.encode("utf-8")

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in (text or "").strip().splitlines()) or "> (empty)"


def _day(moment: datetime | None) -> str:
    return f"{moment:%-d %B %Y %H:%M} UTC" if moment else "not recorded"


def report_filename(procurement: Procurement, version: SpecVersion | None) -> str:
    return safe_filename(f"engagement-report-{procurement.reference}-v{version.number if version else 0}.md")


def engagement_report(procurement: Procurement) -> Report:
    """The engagement record as a markdown document: the same record always gives the same bytes."""
    version = report_version(procurement)
    lines = [f"# Engagement report: {procurement.title}", "",
             f"- Unique identifier: {procurement.reference}",
             f"- Contracting authority: {procurement.owner.name}",
             f"- Engagement notice published: {_day(procurement.engagement_published_at)}",
             f"- Specification version described: {version.number if version else 'none'}", ""]
    threads = threads_for(procurement)
    lines += ["## Co-design threads", ""]
    if not threads:
        lines += ["No co-design threads were opened.", ""]
    for thread in threads:
        lines += [f"### Thread {thread.id}: {thread.title}", "",
                  f"Opened by {_who(thread.opened_by)} on {_day(thread.opened_at)}.", ""]
        for message in thread.messages:
            lines += [f"{_who(message.author)}, {_day(message.posted_at)}:", "", _quote(message.body_md), ""]
    proposals = proposals_for(procurement)
    lines += ["## Proposals and decisions", ""]
    if not proposals:
        lines += ["No proposals were made.", ""]
    for proposal in proposals:
        where = (f"thread “{proposal.thread.title}”" if proposal.thread is not None
                 else f"meeting “{proposal.event.title}” on {_day(proposal.event.when)}")
        lines += [f"### {proposal.label}", "",
                  f"- Section: {'new section ' if proposal.is_new_section else ''}“{proposal.section_heading}”",
                  f"- Proposed by: {proposal.organisation.name}, in the {where}, on {_day(proposal.proposed_at)} "
                  f"(recorded by {proposal.recorded_by.full_name})",
                  f"- Against specification version {proposal.base_version.number}",
                  f"- Decision: {proposal.decision_label}"
                  + (f" by {proposal.decided_by.full_name} on {_day(proposal.decided_at)}" if proposal.is_decided
                     else ""), ""]
        if proposal.result_version is not None:
            lines += [f"The decision made specification version {proposal.result_version.number}.", ""]
        lines += ["Rationale:", "", _quote(proposal.rationale_md), "", "Proposed text:", "",
                  _quote(proposal.proposed_text), ""]
        if proposal.decision == Decision.ADAPTED:
            lines += ["Adapted text adopted:", "", _quote(proposal.adapted_text or ""), ""]
        if proposal.is_decided:
            lines += ["Reason for the decision:", "", _quote(proposal.decision_reason_md or ""), ""]
    used = sorted({p.event for p in proposals if p.event is not None}, key=lambda e: (e.when, e.id))
    lines += ["## Meetings used", ""]
    if not used:
        lines += ["No proposals were recorded from meetings.", ""]
    for event in used:
        count = sum(1 for p in proposals if p.event_id == event.id)
        lines.append(f"- {event.title}, {_day(event.when)}, {event.where}: {count} proposal(s) recorded"
                     + (" (meeting cancelled)" if event.is_cancelled else ""))
    if used:
        lines.append("")
    involvement = prior_involvement(procurement)
    lines += ["## Prior involvement", ""]
    if not involvement:
        lines += ["No provider contributed to co-design.", ""]
    for entry in involvement:
        lines.append(f"- {entry.organisation.name}: {entry.summary} (from {_day(entry.first_at)} "
                     f"to {_day(entry.last_at)})")
    if involvement:
        lines.append("")
    lines += [f"## Provenance of specification version {version.number}" if version else "## Provenance", ""]
    if version is None:
        lines += ["There is no specification version yet.", ""]
    else:
        for row in provenance_for(version):
            lines.append(f"- {row.heading}: {provenance_text(row)}")
        lines.append("")
    return Report(report_filename(procurement, version), "\n".join(lines))


def attached_report(procurement: Procurement) -> ProcurementDocument | None:
    """The tender document that is the current report (same name and same SHA-256), if any."""
    report = engagement_report(procurement)
    return db.session.scalar(select(ProcurementDocument).where(
        ProcurementDocument.procurement_id == procurement.id, ProcurementDocument.filename == report.filename,
        ProcurementDocument.sha256 == report.sha256).limit(1))


def attach_report(procurement: Procurement, actor: User, *, now: datetime) -> ProcurementDocument:
    """Add the report to the tender documents through procurements.add_document (audited, SHA-256'd)."""
    from tenders.services import procurements

    if not codesign_policy.may_decide(actor, procurement):
        raise refuse(actor, procurement, "codesign.attach_report", "not a commissioner of the owning organisation",
                     "Only commissioners of the owning organisation can attach the engagement report.")
    existing = attached_report(procurement)
    if existing is not None:
        raise RuleViolation({"": f"This engagement report is already attached (document “{existing.title}”, "
                                 f"{existing.uploaded_at:%-d %B %Y})"})
    report = engagement_report(procurement)
    version = report_version(procurement)
    return procurements.add_document(
        procurement, actor, title=f"Engagement report (specification version {version.number if version else 0})",
        filename=report.filename, content_type="text/markdown; charset=utf-8", data=report.data, now=now)


# ---------------------------------------------------------------- publishing the tender


def publish_problems(procurement: Procurement, now: datetime) -> dict[str, str]:
    """What rule 3 says must happen before the tender notice goes out: keyed messages, nothing changed."""
    problems: dict[str, str] = {}
    involvement = prior_involvement(procurement)
    if involvement:
        latest = max(e.last_at for e in involvement)
        note = latest_note(procurement)
        # A note recorded at the same moment as the latest contribution answers it (a demo or import run).
        if note is None or note.recorded_at < latest:
            names = ", ".join(e.organisation.name for e in involvement)
            problems["prior_involvement"] = (
                f"Record a mitigation note for the providers with prior involvement ({names}): say what was shared "
                "with all and why the time limit is adequate"
                + (" (the last note is older than the latest co-design contribution)" if note is not None else ""))
    proposals = proposals_for(procurement)
    undecided = [p for p in proposals if not p.is_decided]
    if undecided:
        problems["undecided_proposals"] = ("Decide every co-design proposal first; still undecided: "
                                           + "; ".join(f"{p.label} by {p.organisation.name}" for p in undecided))
    if any(p.is_decided for p in proposals) and attached_report(procurement) is None:
        version = report_version(procurement)
        stale = db.session.scalar(select(ProcurementDocument.id).where(
            ProcurementDocument.procurement_id == procurement.id,
            ProcurementDocument.filename == report_filename(procurement, version)).limit(1))
        problems["engagement_report"] = (
            f"Attach the engagement report for specification version {version.number if version else 0} to the "
            "tender documents" + (": the attached one is out of date, the record has changed since" if stale else ""))
    return problems
