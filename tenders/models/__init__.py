"""Procurements and everything that hangs off them.

One procurement moves through the stages in STAGES (mapped to OCDS in
the product's stage table). Rows that record what somebody said or decided are never
deleted: the app offers no way to (PA23 s.98). Money is held in whole pence.
"""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Organisation, User
from core.enums import one_of
from core.extensions import Model, db
from core.storage.models import StoredFile
from core.vocabulary import SERVICE_CATEGORIES
from forum.models import Forum, Meeting, NeedStatement


class Stage(StrEnum):
    """Where a procurement is; a conflicts declaration or assessment also records the stage it was made at."""

    PLANNING = "planning"
    ENGAGEMENT = "engagement"
    TENDER = "tender"
    EVALUATION = "evaluation"
    AWARD = "award"
    CONTRACT = "contract"
    CANCELLED = "cancelled"
    UNSUCCESSFUL = "unsuccessful"


STAGES: dict[str, str] = {
    Stage.PLANNING: "Planning (draft)",
    Stage.ENGAGEMENT: "Preliminary market engagement",
    Stage.TENDER: "Tender open",
    Stage.EVALUATION: "Evaluation",
    Stage.AWARD: "Award (standstill)",
    Stage.CONTRACT: "Contract",
    Stage.CANCELLED: "Cancelled",
    Stage.UNSUCCESSFUL: "Unsuccessful",
}
# The only moves a procurement can make. Anything else is out of order.
TRANSITIONS: dict[str, set[Stage]] = {
    Stage.PLANNING: {Stage.ENGAGEMENT, Stage.TENDER, Stage.CANCELLED},
    Stage.ENGAGEMENT: {Stage.TENDER, Stage.CANCELLED},
    Stage.TENDER: {Stage.EVALUATION, Stage.CANCELLED, Stage.UNSUCCESSFUL},
    Stage.EVALUATION: {Stage.AWARD, Stage.CANCELLED, Stage.UNSUCCESSFUL},
    Stage.AWARD: {Stage.CONTRACT, Stage.CANCELLED},
    Stage.CONTRACT: set(),
    Stage.CANCELLED: set(),
    Stage.UNSUCCESSFUL: set(),
}
PUBLIC_STAGES = (Stage.ENGAGEMENT, Stage.TENDER, Stage.EVALUATION, Stage.AWARD, Stage.CONTRACT, Stage.CANCELLED,
                 Stage.UNSUCCESSFUL)
LIVE_STAGES = (Stage.ENGAGEMENT, Stage.TENDER)
# Details, criteria, events and documents can change only while drafting; the
# specification also during the tender (through a published change).
DRAFTING_STAGES = (Stage.PLANNING, Stage.ENGAGEMENT)
SPEC_EDIT_STAGES = (Stage.PLANNING, Stage.ENGAGEMENT, Stage.TENDER)
CLOSED_STAGES = (Stage.CANCELLED, Stage.UNSUCCESSFUL)


class ResponseStatus(StrEnum):
    """A sealed response is submitted, then possibly withdrawn or superseded by a later one."""

    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    SUPERSEDED = "superseded"


CATEGORIES = SERVICE_CATEGORIES  # one vocabulary with forums and need statements
CONTRACT_TYPES = {"spot": "Spot purchase", "block": "Block contract", "framework": "Framework agreement"}
OUTCOME_DOMAINS = {
    "stability": "Stability",
    "education": "Education",
    "health_wellbeing": "Health and wellbeing",
    "relationships": "Relationships",
    "safety": "Safety",
    "adulthood": "Preparation for adulthood",
}
CRITERION_KINDS = {"quality": "Quality and outcomes", "price": "Price"}


# Which need statements a procurement answers. Rows are added and removed only
# through tenders.services.links, which audits each change.
procurement_need = Table(
    "procurement_need",
    db.metadata,
    Column("procurement_id", ForeignKey("procurement.id"), primary_key=True),
    Column("need_statement_id", ForeignKey("forum_need_statement.id"), primary_key=True, index=True),
)


class Threshold(Model):
    """One row per threshold and period: the one table the regime is derived from."""

    __tablename__ = "procurement_threshold"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))  # light_touch | services_sub_central | works | ...
    label: Mapped[str] = mapped_column(String(200))
    amount_pence: Mapped[int] = mapped_column(BigInteger)  # including VAT
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    # tenders.jurisdiction.Nation
    jurisdiction: Mapped[str] = mapped_column(String(20), default="england", server_default="england")
    # The instrument that sets the figure.
    source: Mapped[str] = mapped_column(String(300), default="", server_default="")


class Procurement(Model):
    __tablename__ = "procurement"
    __table_args__ = (one_of("stage", Stage),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    stage: Mapped[str] = mapped_column(String(20), default=Stage.PLANNING, index=True)
    region: Mapped[str] = mapped_column(String(100), default="")
    category: Mapped[str] = mapped_column(String(40))
    subject_md: Mapped[str] = mapped_column(Text, default="")
    subject_html: Mapped[str] = mapped_column(Text, default="")
    estimated_value_pence: Mapped[int | None] = mapped_column(BigInteger)
    contract_type: Mapped[str | None] = mapped_column(String(20))
    duration_months: Mapped[int | None] = mapped_column(Integer)
    extension_months: Mapped[int] = mapped_column(Integer, default=0)
    review_clauses_md: Mapped[str] = mapped_column(Text, default="")
    review_clauses_html: Mapped[str] = mapped_column(Text, default="")
    score_max: Mapped[int] = mapped_column(Integer, default=5)
    # What is bought, which decides the regime (tenders.regime_rules): the main CPV code (eight digits),
    # proposed by the category; an earlier legal start made outside the platform; and the commissioner's
    # decision whether the Provider Selection Regime applies, with the PSR process chosen.
    cpv_code: Mapped[str | None] = mapped_column(String(8))
    recorded_start_on: Mapped[date | None] = mapped_column(Date)
    psr_decision: Mapped[str] = mapped_column(String(20), default="", server_default="")
    psr_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    psr_process: Mapped[str | None] = mapped_column(String(40))
    # Engagement (reg 17 notice).
    engagement_closes_on: Mapped[date | None] = mapped_column(Date)
    engagement_published_at: Mapped[datetime | None] = mapped_column(DateTime)
    no_engagement_reason: Mapped[str | None] = mapped_column(Text)
    # Tender.
    tender_published_at: Mapped[datetime | None] = mapped_column(DateTime)
    clarification_deadline: Mapped[datetime | None] = mapped_column(DateTime)
    response_deadline: Mapped[datetime | None] = mapped_column(DateTime)
    # Opening: the first commissioner asks, a different one confirms.
    open_requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    open_requested_at: Mapped[datetime | None] = mapped_column(DateTime)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    opened_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Cancelled or unsuccessful, with the public reason.
    closed_reason: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The forum where the need was discussed and engagement happens (optional).
    forum_id: Mapped[int | None] = mapped_column(ForeignKey("forum.id"), index=True)

    owner: Mapped[Organisation] = relationship(foreign_keys=[owner_org_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    open_requested_by: Mapped[User | None] = relationship(foreign_keys=[open_requested_by_id])
    opened_by: Mapped[User | None] = relationship(foreign_keys=[opened_by_id])
    events: Mapped[list[EngagementEvent]] = relationship(
        back_populates="procurement", order_by="EngagementEvent.starts_at")
    versions: Mapped[list[SpecVersion]] = relationship(
        back_populates="procurement", order_by="SpecVersion.number")
    criteria: Mapped[list[AwardCriterion]] = relationship(
        back_populates="procurement", order_by="AwardCriterion.position")
    documents: Mapped[list[ProcurementDocument]] = relationship(order_by="ProcurementDocument.id")
    forum: Mapped[Forum | None] = relationship()
    need_statements: Mapped[list[NeedStatement]] = relationship(
        secondary=procurement_need, order_by=NeedStatement.id, viewonly=True)

    @property
    def stage_label(self) -> str:
        return STAGES[self.stage]

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.category, self.category)

    @property
    def contract_type_label(self) -> str:
        return CONTRACT_TYPES.get(self.contract_type or "", "Not set")

    @property
    def latest_version(self) -> SpecVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def published_version(self) -> SpecVersion | None:
        published = [v for v in self.versions if v.published_at is not None]
        return published[-1] if published else None

    @property
    def is_opened(self) -> bool:
        return self.opened_at is not None

    @property
    def is_closed(self) -> bool:
        return self.stage in CLOSED_STAGES

    def can_move_to(self, stage: str) -> bool:
        return stage in TRANSITIONS[self.stage]


class EngagementEvent(Model):
    """A market engagement event: reg 17 asks for its date, time and place.

    An event can BE a forum meeting (`meeting_id`): then the meeting is the
    source of truth, so the notice shows the meeting's date, time and place and
    says so when the meeting is cancelled. The own columns keep what the
    meeting said when it was added (the audit payload records the same).
    """

    __tablename__ = "procurement_event"
    __table_args__ = (
        UniqueConstraint("procurement_id", "meeting_id", name="uq_procurement_event_procurement_meeting"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    place: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("forum_meeting.id"), index=True)

    procurement: Mapped[Procurement] = relationship(back_populates="events")
    meeting: Mapped[Meeting | None] = relationship()

    @property
    def when(self) -> datetime:
        return self.meeting.starts_at if self.meeting is not None else self.starts_at

    @property
    def where(self) -> str:
        return meeting_place(self.meeting) if self.meeting is not None else self.place

    @property
    def is_cancelled(self) -> bool:
        return self.meeting is not None and self.meeting.is_cancelled

    @property
    def cancellation_reason(self) -> str | None:
        return self.meeting.cancellation_reason if self.meeting is not None else None


def meeting_place(meeting: Meeting) -> str:
    """Where a forum meeting happens, as a notice can say it (an online link is for registered people only)."""
    if meeting.mode == "online":
        return "Online (register on the forum meeting page to get the joining link)"
    return meeting.location or "To be confirmed on the forum meeting page"


class SpecVersion(Model):
    """One saved version of the specification. Never changed after it is saved."""

    __tablename__ = "spec_version"
    __table_args__ = (UniqueConstraint("procurement_id", "number", name="uq_spec_version_procurement_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    body_md: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # The spec check's findings at save time (JSON lists).
    check_errors: Mapped[str] = mapped_column(Text, default="[]")
    check_warnings: Mapped[str] = mapped_column(Text, default="[]")
    published_at: Mapped[datetime | None] = mapped_column(DateTime)

    procurement: Mapped[Procurement] = relationship(back_populates="versions")
    created_by: Mapped[User] = relationship()
    outcomes: Mapped[list[SpecOutcome]] = relationship(back_populates="version", order_by="SpecOutcome.position")


class SpecOutcome(Model):
    __tablename__ = "spec_outcome"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("spec_version.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    domain: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text, default="")
    indicator: Mapped[str] = mapped_column(Text, default="")
    baseline_method: Mapped[str] = mapped_column(Text, default="")
    target: Mapped[str] = mapped_column(Text, default="")
    timescale: Mapped[str] = mapped_column(String(200), default="")
    evidence_source: Mapped[str] = mapped_column(Text, default="")
    payment_share: Mapped[int] = mapped_column(Integer, default=0)  # percent of payment at risk

    version: Mapped[SpecVersion] = relationship(back_populates="outcomes")

    @property
    def domain_label(self) -> str:
        return OUTCOME_DOMAINS.get(self.domain, self.domain)


class AwardCriterion(Model):
    __tablename__ = "award_criterion"

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))  # quality | price
    name: Mapped[str] = mapped_column(String(200))
    weight: Mapped[int] = mapped_column(Integer)

    procurement: Mapped[Procurement] = relationship(back_populates="criteria")

    @property
    def kind_label(self) -> str:
        return CRITERION_KINDS[self.kind]


class ProcurementDocument(Model):
    """A tender document (specification annex, pricing schedule...). Kept, never replaced in place."""

    __tablename__ = "procurement_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime)

    file: Mapped[StoredFile] = relationship()
    procurement: Mapped[Procurement] = relationship(viewonly=True)

    @property
    def is_addendum(self) -> bool:
        """Added after the tender notice was published."""
        published = self.procurement.tender_published_at
        return published is not None and self.uploaded_at > published


class Clarification(Model):
    __tablename__ = "clarification"

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id"), index=True)
    asker_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    asker_user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    pseudonym_number: Mapped[int] = mapped_column(Integer)  # stable per asking organisation
    question: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(DateTime)
    answer_md: Mapped[str | None] = mapped_column(Text)
    answer_html: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    answered_late: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def pseudonym(self) -> str:
        return f"Bidder Q-{self.pseudonym_number}"


class TenderResponse(Model):
    """A sealed bid. `sealed_file` is the encrypted submission; nothing else reveals it."""

    __tablename__ = "tender_response"
    __table_args__ = (one_of("status", ResponseStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id"), index=True)
    provider_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    status: Mapped[str] = mapped_column(String(20))
    # The encrypted submission, kept through core.storage: every backend holds only this ciphertext.
    sealed_file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(DateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    needs_reconfirmation: Mapped[bool] = mapped_column(Boolean, default=False)
    reconfirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Filled in at opening, from the decrypted content, for scoring by formula.
    opened_price_pence: Mapped[int | None] = mapped_column(BigInteger)

    provider: Mapped[Organisation] = relationship()
    submitted_by: Mapped[User] = relationship()
    sealed_file: Mapped[StoredFile] = relationship()


class EvaluatorAssignment(Model):
    __tablename__ = "evaluator_assignment"
    __table_args__ = (UniqueConstraint("procurement_id", "user_id", name="uq_evaluator_assignment_procurement_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    is_moderator: Mapped[bool] = mapped_column(Boolean, default=False)
    assigned_at: Mapped[datetime] = mapped_column(DateTime)
    scores_submitted_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()


class Score(Model):
    """One evaluator's independent score for one response on one criterion."""

    __tablename__ = "evaluation_score"
    __table_args__ = (UniqueConstraint("response_id", "criterion_id", "evaluator_id",
                                       name="uq_evaluation_score_response_criterion_evaluator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id"), index=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("tender_response.id"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("award_criterion.id"))
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    score: Mapped[int] = mapped_column(Integer)
    rationale: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)

    evaluator: Mapped[User] = relationship()
    response: Mapped[TenderResponse] = relationship()


class ConsensusScore(Model):
    """The moderated score that counts, with the moderator's rationale."""

    __tablename__ = "consensus_score"
    __table_args__ = (UniqueConstraint("response_id", "criterion_id", name="uq_consensus_score_response_criterion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id"), index=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("tender_response.id"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("award_criterion.id"))
    moderator_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    score: Mapped[int] = mapped_column(Integer)
    rationale: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class Award(Model):
    __tablename__ = "procurement_award"

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id"), unique=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("tender_response.id"))
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    reasons_md: Mapped[str] = mapped_column(Text)
    reasons_html: Mapped[str] = mapped_column(Text)
    notice_published_at: Mapped[datetime] = mapped_column(DateTime)
    standstill_applies: Mapped[bool] = mapped_column(Boolean, default=True)
    standstill_ends_on: Mapped[date | None] = mapped_column(Date)

    response: Mapped[TenderResponse] = relationship()

    @property
    def contract_from(self) -> date | None:
        """The first day the contract may be entered into (tenders.workingdays.contract_from)."""
        from tenders.workingdays import contract_from
        return contract_from(self.standstill_ends_on) if self.standstill_ends_on else None


class Contract(Model):
    __tablename__ = "procurement_contract"

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id"), unique=True)
    provider_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    value_pence: Mapped[int] = mapped_column(BigInteger)
    # The value when the contract was entered into: modification limits are measured against it (spin-offs).
    original_value_pence: Mapped[int] = mapped_column(
        BigInteger, default=lambda context: context.get_current_parameters()["value_pence"])
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    review_clauses_md: Mapped[str] = mapped_column(Text, default="")
    review_clauses_html: Mapped[str] = mapped_column(Text, default="")
    regime: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime)  # when the contract was entered into
    # UK7 contract details notice (PA23 s.53), and the contract termination notice (s.80) with its facts.
    details_notice_published_at: Mapped[datetime | None] = mapped_column(DateTime)
    terminated_on: Mapped[date | None] = mapped_column(Date)  # early termination; None while it runs its term
    termination_reason: Mapped[str | None] = mapped_column(Text)
    termination_notice_published_at: Mapped[datetime | None] = mapped_column(DateTime)

    provider: Mapped[Organisation] = relationship()

    @property
    def ended_on(self) -> date:
        """The last day of the contract: its end date, or the day it was terminated early."""
        return self.terminated_on if self.terminated_on is not None else self.ends_on


class ContractPerformanceNotice(Model):
    """A UK9 contract performance notice: the KPI assessment published for one period (PA23 s.52)."""

    __tablename__ = "contract_performance_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("procurement_contract.id"), index=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id"), index=True)
    period_ends_on: Mapped[date] = mapped_column(Date)
    assessment_md: Mapped[str] = mapped_column(Text)
    assessment_html: Mapped[str] = mapped_column(Text)
    published_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    published_at: Mapped[datetime] = mapped_column(DateTime)


# The co-design, ledger, conflicts and spin-off tables live in their own modules; importing them here registers them
# with the metadata.
from tenders.models import codesign, conflicts, drafts, ledger, spinoffs  # noqa: E402,F401
