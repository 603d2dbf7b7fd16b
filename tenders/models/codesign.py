"""Co-design threads, proposals, specification sections and clause provenance (PA23 s.16(4)-(5): prior involvement).

Every row here records what somebody said, proposed or decided during
preliminary market engagement. None is ever edited or deleted (PA23 s.98):
a decision is written once on its proposal, a mitigation note is superseded by
a newer numbered note, and provenance is recorded once per specification
version.
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Organisation, User
from core.enums import one_of
from core.extensions import Model
from tenders.models.engagement import EngagementEvent
from tenders.models.specification import SpecVersion


class Decision(StrEnum):
    """The owner's decision on a co-design proposal (NULL until decided)."""

    ACCEPTED = "accepted"
    ADAPTED = "adapted"
    DECLINED = "declined"


DECISIONS: dict[str, str] = {Decision.ACCEPTED: "Accepted", Decision.ADAPTED: "Adapted", Decision.DECLINED: "Declined"}


class CodesignThread(Model):
    """A public conversation about the draft specification of a procurement in engagement."""

    __tablename__ = "codesign_thread"

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    opened_at: Mapped[datetime] = mapped_column(DateTime)

    opened_by: Mapped[User] = relationship(foreign_keys=[opened_by_id])
    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id])
    messages: Mapped[list[CodesignMessage]] = relationship(
        back_populates="thread", order_by="CodesignMessage.id")
    proposals: Mapped[list[CodesignProposal]] = relationship(
        back_populates="thread", order_by="CodesignProposal.id")


class CodesignMessage(Model):
    __tablename__ = "codesign_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("codesign_thread.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    posted_at: Mapped[datetime] = mapped_column(DateTime)

    thread: Mapped[CodesignThread] = relationship(back_populates="messages")
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id])


class CodesignProposal(Model):
    """A proposed change to one section of the draft (or a new section), made in a thread or in a meeting.

    `organisation_id` is who gets the credit: the proposer's organisation, or
    for a meeting proposal the provider the commissioner credited.
    `recorded_by_id` is the person who typed it in. The decision columns are
    written once; a decided proposal is never decided again.
    """

    __tablename__ = "codesign_proposal"
    __table_args__ = (one_of("decision", Decision),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id"), index=True)
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("codesign_thread.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("procurement_event.id"), index=True)
    section_key: Mapped[str] = mapped_column(String(120))
    section_heading: Mapped[str] = mapped_column(String(200))
    is_new_section: Mapped[bool] = mapped_column(default=False)
    # The draft the proposer was looking at, and that section's text in it ("" for a new section).
    base_version_id: Mapped[int] = mapped_column(ForeignKey("spec_version.id"))
    base_text: Mapped[str] = mapped_column(Text, default="")
    proposed_text: Mapped[str] = mapped_column(Text)
    rationale_md: Mapped[str] = mapped_column(Text)
    rationale_html: Mapped[str] = mapped_column(Text)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    proposed_at: Mapped[datetime] = mapped_column(DateTime)
    # The decision (a Decision), with the public reason.
    decision: Mapped[str | None] = mapped_column(String(20))
    decision_reason_md: Mapped[str | None] = mapped_column(Text)
    decision_reason_html: Mapped[str | None] = mapped_column(Text)
    adapted_text: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    result_version_id: Mapped[int | None] = mapped_column(ForeignKey("spec_version.id"))

    thread: Mapped[CodesignThread | None] = relationship(back_populates="proposals")
    event: Mapped[EngagementEvent | None] = relationship()
    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id])
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    base_version: Mapped[SpecVersion] = relationship(foreign_keys=[base_version_id])
    result_version: Mapped[SpecVersion | None] = relationship(foreign_keys=[result_version_id])

    @property
    def is_decided(self) -> bool:
        return self.decision is not None

    @property
    def decision_label(self) -> str:
        return DECISIONS.get(self.decision or "", "Not decided yet")

    @property
    def label(self) -> str:
        return f"Proposal {self.id} on “{self.section_heading}”"

    @property
    def adopted_text(self) -> str | None:
        """The text that went into the specification, if any."""
        if self.decision == Decision.ACCEPTED:
            return self.proposed_text
        if self.decision == Decision.ADAPTED:
            return self.adapted_text
        return None


class MitigationNote(Model):
    """How the advantage of providers who co-designed is neutralised (PA23 s.16(4)-(5); PCR reg 41).

    Numbered per procurement; a new note supersedes the last, none is edited.
    """

    __tablename__ = "codesign_mitigation_note"
    __table_args__ = (
        UniqueConstraint("procurement_id", "number", name="uq_codesign_mitigation_note_procurement_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    shared_md: Mapped[str] = mapped_column(Text)
    shared_html: Mapped[str] = mapped_column(Text)
    time_limit_md: Mapped[str] = mapped_column(Text)
    time_limit_html: Mapped[str] = mapped_column(Text)
    # The prior-involvement list the note answered (JSON list of organisation names).
    providers_json: Mapped[str] = mapped_column(Text, default="[]")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)

    recorded_by: Mapped[User] = relationship()


class ClauseProvenance(Model):
    """Where the text of one section of one specification version came from.

    origin is "proposal" (accepted or adapted from `proposal_id`) or "drafted"
    (written by `drafted_by_id` in a directly saved version). A section whose
    text did not change keeps the row of the version before, copied.
    """

    __tablename__ = "codesign_clause_provenance"
    __table_args__ = (
        UniqueConstraint("version_id", "section_key", name="uq_codesign_clause_provenance_version_section"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("spec_version.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    section_key: Mapped[str] = mapped_column(String(120))
    heading: Mapped[str] = mapped_column(String(200))
    text_sha256: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(20))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("codesign_proposal.id"))
    drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # When the text first entered the specification, and in which version.
    since_version: Mapped[int] = mapped_column(Integer)
    since_at: Mapped[datetime] = mapped_column(DateTime)

    proposal: Mapped[CodesignProposal | None] = relationship()
    drafted_by: Mapped[User | None] = relationship()
