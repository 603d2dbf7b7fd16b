"""Evaluation and award: evaluators, their independent scores, the consensus that counts, and the award
decision."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import User
from core.extensions import Model
from tenders.models.responses import TenderResponse


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
