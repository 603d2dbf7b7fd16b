"""Contract outcomes, the returns recorded against them, payment statements and performance ratings.

Nothing here is overwritten. A correction or a resubmission is a new return
that supersedes the earlier one (linked through `supersedes_id`); every
decision on a return is its own row; a statement, once approved, is never
changed (a later correction shows as an adjustment in the next period). The
figures a return holds are counts and aggregates only: no child is ever
identified. Money is held in whole pence.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import User
from core.extensions import Model
from core.storage.models import StoredFile


class Measure(StrEnum):
    PROPORTION = "proportion"
    COUNT = "count"
    SCALE = "scale"
    MILESTONE = "milestone"


class Direction(StrEnum):
    HIGHER = "higher"  # more is better
    LOWER = "lower"  # less is better (missing episodes, unplanned moves)


class Formula(StrEnum):
    ALL_OR_NOTHING = "all_or_nothing"
    LINEAR = "linear"
    TIERED = "tiered"


class ReturnStatus(StrEnum):
    SUBMITTED = "submitted"
    QUERIED = "queried"
    VERIFIED = "verified"
    DISPUTED = "disputed"
    REJECTED = "rejected"  # a dispute upheld: the return stands refused
    SUPERSEDED = "superseded"


class DecisionKind(StrEnum):
    SUBMITTED = "submitted"
    QUERIED = "queried"
    VERIFIED = "verified"
    DISPUTED = "disputed"
    RESOLVED = "resolved"


class Resolution(StrEnum):
    UPHELD = "upheld"
    AMENDED = "amended"
    WITHDRAWN = "withdrawn"


class StatementStatus(StrEnum):
    CALCULATED = "calculated"
    APPROVED = "approved"
    SUPERSEDED = "superseded"  # a recalculation before approval replaced it


class Rating(StrEnum):
    """The UK9 contract performance notice scale."""

    GOOD = "good"
    APPROACHING_TARGET = "approaching_target"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"
    OTHER = "other"


MEASURES = {Measure.PROPORTION: "Proportion of the cohort", Measure.COUNT: "Count", Measure.SCALE: "Score on a scale",
            Measure.MILESTONE: "Milestone (met or not)"}
DIRECTIONS = {Direction.HIGHER: "Higher is better", Direction.LOWER: "Lower is better"}
FORMULAS = {Formula.ALL_OR_NOTHING: "All or nothing at the target", Formula.LINEAR: "Linear from baseline to target",
            Formula.TIERED: "Tiered"}
RETURN_STATUSES = {ReturnStatus.SUBMITTED: "Waiting for verification", ReturnStatus.QUERIED: "Queried",
                   ReturnStatus.VERIFIED: "Verified", ReturnStatus.DISPUTED: "Disputed",
                   ReturnStatus.REJECTED: "Dispute upheld", ReturnStatus.SUPERSEDED: "Superseded"}
RESOLUTIONS = {Resolution.UPHELD: "Dispute upheld", Resolution.AMENDED: "Figures amended",
               Resolution.WITHDRAWN: "Dispute withdrawn"}
RATINGS = {Rating.GOOD: "Good", Rating.APPROACHING_TARGET: "Approaching target",
           Rating.REQUIRES_IMPROVEMENT: "Requires improvement", Rating.INADEQUATE: "Inadequate", Rating.OTHER: "Other"}
# Age bands and need intensities a return's cohort is broken down by, fixed at intake.
AGE_BANDS = ("0-4", "5-10", "11-15", "16-17", "18-25")


class OutcomeTerms(Model):
    """The contract's outcome terms: the reporting period, the price basis and the payment formula version.

    Set once at award from the contract as entered into; a later change to the
    contract is a modification, not an edit here.
    """

    __tablename__ = "outcome_terms"
    __table_args__ = (CheckConstraint("period_months IN (1, 3, 6, 12)", name="period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("procurement_contract.id"), unique=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id"), index=True)
    period_months: Mapped[int] = mapped_column(Integer, default=3)
    value_pence: Mapped[int] = mapped_column(BigInteger)  # the price the payments are shares of
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    formula_version: Mapped[str] = mapped_column(String(20))
    # A UK9 notice is required for a contract over £5m that is not light touch; otherwise ratings are voluntary.
    uk9_required: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    outcomes: Mapped[list[ContractOutcome]] = relationship(back_populates="terms", order_by="ContractOutcome.position")


class ContractOutcome(Model):
    """One outcome of a signed contract, copied from the specification at award and never changed after."""

    __tablename__ = "contract_outcome"
    __table_args__ = (
        UniqueConstraint("contract_id", "position", name="uq_contract_outcome_contract_position"),
        CheckConstraint("measure IN ('proportion', 'count', 'scale', 'milestone')", name="measure"),
        CheckConstraint("direction IN ('higher', 'lower')", name="direction"),
        CheckConstraint("formula IN ('all_or_nothing', 'linear', 'tiered')", name="formula"),
        CheckConstraint("at_risk_percent BETWEEN 0 AND 100", name="at_risk"),
        CheckConstraint("cap_percent BETWEEN 0 AND 100", name="cap"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    terms_id: Mapped[int] = mapped_column(ForeignKey("outcome_terms.id"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("procurement_contract.id"), index=True)
    spec_outcome_id: Mapped[int | None] = mapped_column(ForeignKey("spec_outcome.id"))
    position: Mapped[int] = mapped_column(Integer)
    domain: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text, default="")
    indicator: Mapped[str] = mapped_column(Text, default="")
    target_text: Mapped[str] = mapped_column(Text, default="")
    evidence_source: Mapped[str] = mapped_column(Text, default="")
    measure: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(10))
    formula: Mapped[str] = mapped_column(String(20))
    baseline: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    target: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    tiers: Mapped[str] = mapped_column(Text, default="[]")  # JSON [[threshold, percent earned], ...]
    at_risk_percent: Mapped[int] = mapped_column(Integer)  # share of the period's price at risk on this outcome
    cap_percent: Mapped[int] = mapped_column(Integer, default=100)  # most of the at-risk amount it can earn

    terms: Mapped[OutcomeTerms] = relationship(back_populates="outcomes")

    @property
    def label(self) -> str:
        return f"Outcome {self.position}: {self.indicator or self.description}"

    @property
    def measure_label(self) -> str:
        return MEASURES[Measure(self.measure)]

    @property
    def formula_label(self) -> str:
        return FORMULAS[Formula(self.formula)]

    @property
    def direction_label(self) -> str:
        return DIRECTIONS[Direction(self.direction)]


class OutcomeReturn(Model):
    """A provider's return for one outcome and one period. Counts and aggregates only."""

    __tablename__ = "outcome_return"
    __table_args__ = (
        CheckConstraint("status IN ('submitted', 'queried', 'verified', 'disputed', 'rejected', 'superseded')",
                        name="status"),
        CheckConstraint("cohort IS NULL OR cohort >= 0", name="cohort"),
        CheckConstraint("achieved IS NULL OR achieved >= 0", name="achieved"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("contract_outcome.id"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("procurement_contract.id"), index=True)
    period: Mapped[str] = mapped_column(String(10))  # e.g. "2026-Q3"
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=ReturnStatus.SUBMITTED, index=True)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("outcome_return.id"), unique=True)
    cohort: Mapped[int | None] = mapped_column(Integer)
    achieved: Mapped[int | None] = mapped_column(Integer)  # proportion: how many; count: the count
    value: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))  # scale: the mean score; milestone: 1 or 0
    distance_travelled: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))  # scale: mean change from baseline
    narrative_md: Mapped[str] = mapped_column(Text, default="")
    narrative_html: Mapped[str] = mapped_column(Text, default="")
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    submitted_at: Mapped[datetime] = mapped_column(DateTime)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    verified_at: Mapped[datetime | None] = mapped_column(DateTime)

    outcome: Mapped[ContractOutcome] = relationship()
    submitted_by: Mapped[User] = relationship(foreign_keys=[submitted_by_id])
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])
    supersedes: Mapped[OutcomeReturn | None] = relationship(remote_side=[id])
    strata: Mapped[list[ReturnStratum]] = relationship(order_by="ReturnStratum.id")
    evidence: Mapped[list[EvidenceFile]] = relationship(order_by="EvidenceFile.id")
    decisions: Mapped[list[ReturnDecision]] = relationship(order_by="ReturnDecision.id")

    @property
    def status_label(self) -> str:
        return RETURN_STATUSES[ReturnStatus(self.status)]


class ReturnStratum(Model):
    """One row of a return's cohort broken down by need intensity and age band, fixed at intake."""

    __tablename__ = "outcome_return_stratum"
    __table_args__ = (
        UniqueConstraint("return_id", "intensity", "age_band", name="uq_outcome_return_stratum"),
        CheckConstraint("cohort >= 0 AND achieved >= 0 AND achieved <= cohort", name="counts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("outcome_return.id"), index=True)
    intensity: Mapped[str] = mapped_column(String(20))
    age_band: Mapped[str] = mapped_column(String(10))
    cohort: Mapped[int] = mapped_column(Integer)
    achieved: Mapped[int] = mapped_column(Integer)


class EvidenceFile(Model):
    """A file of evidence for a return: kept with its SHA-256, never replaced."""

    __tablename__ = "outcome_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("outcome_return.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    # The bytes, in whichever backend the file store uses (core.storage); streamed on download.
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"), index=True)
    file: Mapped[StoredFile] = relationship()
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime)


class ReturnDecision(Model):
    """One step in a return's life: submitted, queried, verified, disputed or resolved, with who and why."""

    __tablename__ = "outcome_return_decision"
    __table_args__ = (
        CheckConstraint("kind IN ('submitted', 'queried', 'verified', 'disputed', 'resolved')",
                        name="kind"),
        CheckConstraint("resolution IS NULL OR resolution IN ('upheld', 'amended', 'withdrawn')",
                        name="resolution"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("outcome_return.id"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("procurement_contract.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    resolution: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime)

    actor: Mapped[User] = relationship()

    @property
    def label(self) -> str:
        if self.kind == DecisionKind.RESOLVED and self.resolution:
            return f"Dispute resolved: {RESOLUTIONS[Resolution(self.resolution)].lower()}"
        return {"submitted": "Submitted", "queried": "Queried", "verified": "Verified",
                "disputed": "Disputed"}[self.kind]


class PaymentStatement(Model):
    """What one period of the contract pays: base, at risk, earned, withheld and any adjustment.

    Calculated by formula from verified returns; a second commissioner approves
    it; after that it is never changed.
    """

    __tablename__ = "outcome_statement"
    __table_args__ = (
        CheckConstraint("status IN ('calculated', 'approved', 'superseded')", name="status"),
        CheckConstraint("earned_pence + withheld_pence = at_risk_pence", name="balance"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("procurement_contract.id"), index=True)
    period: Mapped[str] = mapped_column(String(10))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    formula_version: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=StatementStatus.CALCULATED, index=True)
    base_pence: Mapped[int] = mapped_column(BigInteger)
    at_risk_pence: Mapped[int] = mapped_column(BigInteger)
    earned_pence: Mapped[int] = mapped_column(BigInteger)
    withheld_pence: Mapped[int] = mapped_column(BigInteger)
    adjustment_pence: Mapped[int] = mapped_column(BigInteger, default=0)  # corrections to approved periods
    calculated_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    calculated_at: Mapped[datetime] = mapped_column(DateTime)
    audit_seq: Mapped[int | None] = mapped_column(BigInteger)  # the "calculated" event on the trail
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)

    lines: Mapped[list[StatementLine]] = relationship(order_by="StatementLine.id")
    calculated_by: Mapped[User] = relationship(foreign_keys=[calculated_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])

    @property
    def total_pence(self) -> int:
        return self.base_pence + self.earned_pence + self.adjustment_pence


class StatementLine(Model):
    """One outcome's share of a statement (or one adjustment to an earlier approved period)."""

    __tablename__ = "outcome_statement_line"
    __table_args__ = (
        CheckConstraint("earned_pence + withheld_pence = at_risk_pence", name="balance"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("outcome_statement.id"), index=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("contract_outcome.id"))
    period: Mapped[str] = mapped_column(String(10))  # the statement's own period, or the corrected one
    return_id: Mapped[int | None] = mapped_column(ForeignKey("outcome_return.id"))
    at_risk_pence: Mapped[int] = mapped_column(BigInteger)
    earned_pence: Mapped[int] = mapped_column(BigInteger)
    withheld_pence: Mapped[int] = mapped_column(BigInteger)
    adjustment_pence: Mapped[int] = mapped_column(BigInteger, default=0)
    reason: Mapped[str] = mapped_column(Text, default="")

    outcome: Mapped[ContractOutcome] = relationship()


class PerformanceRating(Model):
    """A rating on the UK9 scale for one outcome (KPI) and one period, with its rationale."""

    __tablename__ = "outcome_rating"
    __table_args__ = (
        CheckConstraint("rating IN ('good', 'approaching_target', 'requires_improvement', 'inadequate', 'other')",
                        name="rating"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("procurement_contract.id"), index=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("contract_outcome.id"), index=True)
    period: Mapped[str] = mapped_column(String(10))
    period_end: Mapped[date] = mapped_column(Date)
    rating: Mapped[str] = mapped_column(String(30))
    rationale: Mapped[str] = mapped_column(Text)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    rated_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    rated_at: Mapped[datetime] = mapped_column(DateTime)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("outcome_rating.id"), unique=True)

    outcome: Mapped[ContractOutcome] = relationship()

    @property
    def rating_label(self) -> str:
        return RATINGS[Rating(self.rating)]
