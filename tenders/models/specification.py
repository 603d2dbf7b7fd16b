"""What a procurement asks for: the specification's versions and their outcomes, the award criteria, and the
tender documents."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import User
from core.extensions import Model
from core.storage.models import StoredFile
from tenders.models.procurements import Procurement

OUTCOME_DOMAINS = {
    "stability": "Stability",
    "education": "Education",
    "health_wellbeing": "Health and wellbeing",
    "relationships": "Relationships",
    "safety": "Safety",
    "adulthood": "Preparation for adulthood",
}
CRITERION_KINDS = {"quality": "Quality and outcomes", "price": "Price"}


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
