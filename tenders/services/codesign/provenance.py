"""Clause provenance: where the text of each section of each specification version came from."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from accounts.models import User
from core.extensions import db
from tenders.models import SpecVersion
from tenders.models.codesign import ClauseProvenance, CodesignProposal, Decision
from tenders.services.codesign.sections import split_sections, text_hash


def _previous_version(version: SpecVersion) -> SpecVersion | None:
    return db.session.scalar(select(SpecVersion).where(
        SpecVersion.procurement_id == version.procurement_id, SpecVersion.number < version.number)
        .order_by(SpecVersion.number.desc()).limit(1))


def stored_provenance(version: SpecVersion) -> list[ClauseProvenance]:
    return list(db.session.scalars(select(ClauseProvenance).where(ClauseProvenance.version_id == version.id)
                                   .order_by(ClauseProvenance.position)))


def record_provenance(version: SpecVersion, actor: User, *, now: datetime,
                      credit: CodesignProposal | None = None) -> list[ClauseProvenance]:
    """Record where each section of a just-saved version came from (called by specification.save_version).

    Text unchanged from the version before (same SHA-256, same section first)
    keeps its provenance; the section of `credit` (the proposal a decision
    adopted, when a decision saved the version) is credited to that proposal;
    anything else was drafted by whoever saved the version.
    """
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
        event = proposal.event  # a proposal was made in a thread or, recorded by a commissioner, in a meeting
        where = (f"in the co-design thread “{proposal.thread.title}”" if proposal.thread is not None
                 else f"in the meeting “{event.title}” ({event.when:%-d %B %Y})" if event is not None
                 else "in co-design")
        decided_by = proposal.decided_by.full_name if proposal.decided_by else "the commissioner"
        verb = "adapted and accepted" if proposal.decision == Decision.ADAPTED else Decision.ACCEPTED
        return (f"Proposed by {proposal.organisation.name} {where} on {proposal.proposed_at:%-d %B %Y}; "
                f"{verb} by {decided_by} on {proposal.decided_at:%-d %B %Y} (version {row.since_version})")
    author = row.drafted_by.full_name if row.drafted_by else "the commissioner"
    return f"Drafted by {author} (version {row.since_version}, {row.since_at:%-d %B %Y})"
