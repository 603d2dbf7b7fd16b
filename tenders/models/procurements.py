"""The procurement: its stages and the moves between them, its vocabularies, the need statements it answers, and
the thresholds the regime is derived from."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, Column, Date, DateTime, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Organisation, User
from core.enums import one_of
from core.extensions import Model, db
from core.vocabulary import SERVICE_CATEGORIES
from forum.models import Forum, NeedStatement

if TYPE_CHECKING:
    from tenders.models.engagement import EngagementEvent
    from tenders.models.specification import AwardCriterion, ProcurementDocument, SpecVersion


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


CATEGORIES = SERVICE_CATEGORIES  # one vocabulary with forums and need statements
CONTRACT_TYPES = {"spot": "Spot purchase", "block": "Block contract", "framework": "Framework agreement"}


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
