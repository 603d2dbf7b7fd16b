"""Spin-off proposals on contracts, the lawful-route modification check and the modification register (lawful
modification).

A proposal is never deleted or edited after it is decided (PA23 s.98): the
decision, its reasons and the check exactly as the commissioner saw it are kept
on the row, and an accepted proposal adds a line to the contract's public
modification register.
"""
from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Organisation, User
from core.enums import one_of
from core.extensions import Model


class SpinOffStatus(StrEnum):
    """A spin-off proposal waits for the commissioner, who accepts, declines or turns it into a procurement."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    NEW_PROCUREMENT = "new_procurement"


SPINOFF_STATUSES: dict[str, str] = {
    SpinOffStatus.PROPOSED: "Proposed: awaiting the commissioner's decision",
    SpinOffStatus.ACCEPTED: "Accepted as a contract modification",
    SpinOffStatus.DECLINED: "Declined",
    SpinOffStatus.NEW_PROCUREMENT: "Turned into a new procurement",
}


class SpinOffProposal(Model):
    __tablename__ = "spinoff_proposal"
    __table_args__ = (one_of("status", SpinOffStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("procurement_contract.id"), index=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id"), index=True)
    provider_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    title: Mapped[str] = mapped_column(String(200))
    description_md: Mapped[str] = mapped_column(Text)
    description_html: Mapped[str] = mapped_column(Text)
    evidence_md: Mapped[str] = mapped_column(Text, default="")
    evidence_html: Mapped[str] = mapped_column(Text, default="")
    price_pence: Mapped[int] = mapped_column(BigInteger)
    duration_months: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), default=SpinOffStatus.PROPOSED, index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    reason: Mapped[str | None] = mapped_column(Text)
    # The lawful-route check exactly as shown when the decision was made (JSON of modification_rules.Result).
    check_snapshot: Mapped[str | None] = mapped_column(Text)
    new_procurement_id: Mapped[int | None] = mapped_column(ForeignKey("procurement.id"), index=True)

    provider: Mapped[Organisation] = relationship(foreign_keys=[provider_org_id])
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def status_label(self) -> str:
        return SPINOFF_STATUSES.get(self.status, self.status)

    @property
    def is_decided(self) -> bool:
        return self.status != SpinOffStatus.PROPOSED

    @property
    def snapshot(self) -> dict[str, Any] | None:
        return json.loads(self.check_snapshot) if self.check_snapshot else None


class ContractModification(Model):
    """One line of a contract's public modification register."""

    __tablename__ = "contract_modification"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("procurement_contract.id"), index=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("spinoff_proposal.id"), unique=True)
    value_before_pence: Mapped[int] = mapped_column(BigInteger)
    value_after_pence: Mapped[int] = mapped_column(BigInteger)
    cumulative_percent: Mapped[str] = mapped_column(String(20))  # of the original value, e.g. "8.50"
    framework: Mapped[str] = mapped_column(String(20))  # pa23 | pcr2015
    route: Mapped[str] = mapped_column(String(40))
    route_label: Mapped[str] = mapped_column(String(200))
    ground: Mapped[str] = mapped_column(String(200))  # the statutory source of the route
    notices: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of {label, status, source}
    reason: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime)

    proposal: Mapped[SpinOffProposal] = relationship()
    decided_by: Mapped[User] = relationship()

    @property
    def change_pence(self) -> int:
        return self.value_after_pence - self.value_before_pence

    @property
    def notice_list(self) -> list[dict[str, str]]:
        return json.loads(self.notices or "[]")
