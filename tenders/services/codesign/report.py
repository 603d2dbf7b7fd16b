"""The engagement report: the co-design record as one markdown document, attached to the tender documents."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from accounts.models import User
from core.errors import RuleViolation
from core.extensions import db
from tenders.models import Procurement, ProcurementDocument, SpecVersion, Stage
from tenders.models.codesign import Decision
from tenders.policy import codesign as codesign_policy
from tenders.services.codesign.prior_involvement import prior_involvement
from tenders.services.codesign.proposals import proposals_for
from tenders.services.codesign.provenance import provenance_for, provenance_text
from tenders.services.codesign.rules import who
from tenders.services.codesign.threads import threads_for
from tenders.services.common import refuse, safe_filename


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
                  f"Opened by {who(thread.opened_by)} on {_day(thread.opened_at)}.", ""]
        for message in thread.messages:
            lines += [f"{who(message.author)}, {_day(message.posted_at)}:", "", _quote(message.body_md), ""]
    proposals = proposals_for(procurement)
    lines += ["## Proposals and decisions", ""]
    if not proposals:
        lines += ["No proposals were made.", ""]
    for proposal in proposals:
        event = proposal.event  # a proposal was made in a thread or, recorded by a commissioner, in a meeting
        where = (f"thread “{proposal.thread.title}”" if proposal.thread is not None
                 else f"meeting “{event.title}” on {_day(event.when)}" if event is not None else "co-design")
        lines += [f"### {proposal.label}", "",
                  f"- Section: {'new section ' if proposal.is_new_section else ''}“{proposal.section_heading}”",
                  f"- Proposed by: {proposal.organisation.name}, in the {where}, on {_day(proposal.proposed_at)} "
                  f"(recorded by {proposal.recorded_by.full_name})",
                  f"- Against specification version {proposal.base_version.number}",
                  f"- Decision: {proposal.decision_label}"
                  + (f" by {proposal.decided_by.full_name if proposal.decided_by else 'the commissioner'} on "
                     f"{_day(proposal.decided_at)}" if proposal.is_decided
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
