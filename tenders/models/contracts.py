"""The contract entered into after the award, and its performance notices (UK9)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Organisation
from core.extensions import Model


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
