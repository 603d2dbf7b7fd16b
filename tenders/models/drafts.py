"""A provider's unsent response: saved as often as it likes, never sealed, never a submission.

One draft per organisation and procurement, encrypted with the sealing key like a response (it holds the
same kind of text), deleted when the response is submitted.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, LargeBinary, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import Model


class ResponseDraft(Model):
    __tablename__ = "response_draft"
    __table_args__ = (UniqueConstraint("procurement_id", "provider_org_id",
                                       name="uq_response_draft_procurement_provider"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id"), index=True)
    provider_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    content: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted JSON: method statement, commitments, price
    saved_at: Mapped[datetime] = mapped_column(DateTime)
    saved_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
