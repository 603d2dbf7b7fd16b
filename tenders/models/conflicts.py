"""Declarations of interest and the conflicts assessment (PA23 ss.81-83).

Both are append-only: a declaration or an assessment is never edited. Declaring
again adds a row; re-assessing adds a new version. A declaration belongs to the
stage the procurement was at when it was made, so each stage change asks
everyone who acts to confirm again.

An interest may name the provider organisation it involves, and an
assessment lists the people its mitigation excludes: both are structured so
the opening and the evaluation can refuse a conflicted person
(tenders.policy.conflicts.conflict_bar) rather than leave it to free text.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Organisation, User
from core.enums import one_of
from core.extensions import Model
from tenders.models.procurements import Stage

# The parts a person can play in a procurement (PA23 s.83 "acting" persons).
ROLES = {"author": "Author", "approver": "Approver", "evaluator": "Evaluator", "moderator": "Moderator"}


class ConflictDeclaration(Model):
    """One person's declaration, at one stage: no interest, or an interest described."""

    __tablename__ = "conflict_declaration"
    __table_args__ = (one_of("stage", Stage),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    roles: Mapped[str] = mapped_column(String(100), default="")  # comma-separated keys of ROLES, when declared
    has_interest: Mapped[bool] = mapped_column(Boolean)
    description: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[datetime] = mapped_column(DateTime)
    # The provider organisation the interest involves, when it involves one.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)

    user: Mapped[User] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    @property
    def role_labels(self) -> list[str]:
        return [ROLES[key] for key in self.roles.split(",") if key in ROLES]


class ConflictsAssessment(Model):
    """One version of the owning organisation's conflicts assessment."""

    __tablename__ = "conflicts_assessment"
    __table_args__ = (UniqueConstraint("procurement_id", "version", name="uq_conflicts_assessment_procurement_version"),
                      one_of("stage", Stage))

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(20))
    # Filled when no interest had been declared: the statement that none were identified.
    none_identified: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)

    recorded_by: Mapped[User] = relationship()
    entries: Mapped[list[ConflictsAssessmentEntry]] = relationship(
        back_populates="assessment", order_by="ConflictsAssessmentEntry.id")
    exclusions: Mapped[list[ConflictsAssessmentExclusion]] = relationship(
        back_populates="assessment", order_by="ConflictsAssessmentExclusion.id")

    @property
    def excluded_user_ids(self) -> set[int]:
        return {exclusion.user_id for exclusion in self.exclusions}


class ConflictsAssessmentEntry(Model):
    """One declared interest in an assessment: who, what, and how the risk is mitigated."""

    __tablename__ = "conflicts_assessment_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("conflicts_assessment.id"), index=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("conflict_declaration.id"), index=True)
    who: Mapped[str] = mapped_column(String(200))
    what: Mapped[str] = mapped_column(Text)
    mitigation: Mapped[str] = mapped_column(Text)

    assessment: Mapped[ConflictsAssessment] = relationship(back_populates="entries")
    declaration: Mapped[ConflictDeclaration] = relationship()


class ConflictsAssessmentExclusion(Model):
    """A person the assessment's mitigation excludes from opening, reading, scoring, moderating and award."""

    __tablename__ = "conflicts_assessment_exclusion"
    __table_args__ = (UniqueConstraint("assessment_id", "user_id", name="uq_conflicts_assessment_exclusion_person"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("conflicts_assessment.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))

    assessment: Mapped[ConflictsAssessment] = relationship(back_populates="exclusions")
    user: Mapped[User] = relationship()
