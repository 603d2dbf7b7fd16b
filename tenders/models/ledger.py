"""Private conversations, bilateral contacts and their disclosures: the information-parity ledger (DESIGN.md rule 2).

A conversation is between one commissioning organisation and one provider
organisation, optionally about a procurement. While that procurement is in
engagement or tender, every message opens (or extends) a bilateral contact;
an owning commissioner resolves each contact by disclosing it to everyone or
marking it not material. Nothing here is ever deleted (PA23 s.98).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Organisation, User
from core.extensions import db
from tenders.models import Procurement

RESOLUTIONS = {"disclosed": "Disclosed", "not_material": "Not material"}


class Conversation(db.Model):
    __tablename__ = "ledger_conversation"

    id: Mapped[int] = mapped_column(primary_key=True)
    commissioner_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    provider_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    procurement_id: Mapped[int | None] = mapped_column(ForeignKey("procurement.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    started_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    last_message_at: Mapped[datetime] = mapped_column(DateTime)
    # Set when an owning commissioner later marks an untagged conversation as concerning a procurement.
    tagged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    tagged_at: Mapped[datetime | None] = mapped_column(DateTime)

    commissioner_org: Mapped[Organisation] = relationship(foreign_keys=[commissioner_org_id])
    provider_org: Mapped[Organisation] = relationship(foreign_keys=[provider_org_id])
    procurement: Mapped[Procurement | None] = relationship()
    started_by: Mapped[User] = relationship(foreign_keys=[started_by_id])
    messages: Mapped[list[Message]] = relationship(back_populates="conversation", order_by="Message.id")


class Contact(db.Model):
    """A bilateral contact: the messages of one conversation, first to last, until it is resolved."""

    __tablename__ = "ledger_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("ledger_conversation.id"), index=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id"), index=True)
    provider_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime)
    last_message_at: Mapped[datetime] = mapped_column(DateTime)
    resolution: Mapped[str | None] = mapped_column(String(20), index=True)  # disclosed | not_material
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    summary_md: Mapped[str | None] = mapped_column(Text)  # disclosed: published to everyone
    summary_html: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)  # not material: why

    conversation: Mapped[Conversation] = relationship()
    procurement: Mapped[Procurement] = relationship()
    provider_org: Mapped[Organisation] = relationship()
    resolved_by: Mapped[User | None] = relationship()
    messages: Mapped[list[Message]] = relationship(back_populates="contact", order_by="Message.id")
    redactions: Mapped[list[Redaction]] = relationship(back_populates="contact", order_by="Redaction.position")

    @property
    def is_resolved(self) -> bool:
        return self.resolution is not None

    @property
    def resolution_label(self) -> str:
        return RESOLUTIONS.get(self.resolution or "", "Not yet resolved")


class Message(db.Model):
    __tablename__ = "ledger_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("ledger_conversation.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    author_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(DateTime)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_contact.id"), index=True)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")
    author: Mapped[User] = relationship()
    contact: Mapped[Contact | None] = relationship(back_populates="messages")


class Redaction(db.Model):
    """What a disclosure left out, and why: both published with it."""

    __tablename__ = "ledger_redaction"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("ledger_contact.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    what: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)

    contact: Mapped[Contact] = relationship(back_populates="redactions")
