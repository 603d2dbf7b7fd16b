"""Before the responses are opened: clarifications (asked pseudonymously, answered to everyone) and the sealed
responses themselves."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Organisation, User
from core.enums import one_of
from core.extensions import Model
from core.storage.models import StoredFile


class ResponseStatus(StrEnum):
    """A sealed response is submitted, then possibly withdrawn or superseded by a later one."""

    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    SUPERSEDED = "superseded"


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
