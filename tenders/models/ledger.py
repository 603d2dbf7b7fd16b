"""Private conversations, bilateral contacts and their disclosures: the information-parity ledger (equal information).

A conversation is between one commissioning organisation and one provider
organisation, optionally about a procurement. While that organisation has any
procurement in engagement or tender, every message opens (or extends) a
bilateral contact: about the procurement the conversation or the message
names, or untagged when it names none. A commissioner of that organisation
resolves each contact by disclosing it to everyone (an untagged one to the
procurements the commissioner names), marking a tagged one not material, or
marking an untagged one not about any live procurement. Nothing here is ever
deleted (PA23 s.98).
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Organisation, User
from core.enums import one_of
from core.extensions import Model, db
from tenders.models.procurements import Procurement


class Resolution(StrEnum):
    """How a recorded contact was resolved (NULL while it is open)."""

    DISCLOSED = "disclosed"
    NOT_MATERIAL = "not_material"
    NOT_ABOUT_LIVE_PROCUREMENT = "not_about_live_procurement"


RESOLUTIONS: dict[str, str] = {Resolution.DISCLOSED: "Disclosed", Resolution.NOT_MATERIAL: "Not material",
               Resolution.NOT_ABOUT_LIVE_PROCUREMENT: "Not about any live procurement"}

# The procurements an untagged contact was disclosed to (a tagged one is disclosed to its own procurement).
contact_disclosed_to = Table(
    "ledger_contact_disclosed_to",
    db.metadata,
    Column("contact_id", ForeignKey("ledger_contact.id"), primary_key=True),
    Column("procurement_id", ForeignKey("procurement.id"), primary_key=True, index=True),
)


class Conversation(Model):
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


class Contact(Model):
    """A bilateral contact: the messages of one conversation, first to last, until it is resolved.

    `procurement_id` is empty for an untagged contact: messages exchanged while the
    commissioning organisation had a procurement in engagement or tender that name
    none of its procurements (or several). It is on that organisation's list until
    it is disclosed to the procurements a commissioner names, or marked not about
    any live procurement.
    """

    __tablename__ = "ledger_contact"
    __table_args__ = (one_of("resolution", Resolution),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("ledger_conversation.id"), index=True)
    procurement_id: Mapped[int | None] = mapped_column(ForeignKey("procurement.id"), index=True)
    provider_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime)
    last_message_at: Mapped[datetime] = mapped_column(DateTime)
    # disclosed | not_material | not_about_live_procurement
    resolution: Mapped[str | None] = mapped_column(String(30), index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    summary_md: Mapped[str | None] = mapped_column(Text)  # disclosed: published to everyone
    summary_html: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)  # not material, or not about any live procurement: why

    conversation: Mapped[Conversation] = relationship()
    procurement: Mapped[Procurement | None] = relationship()
    provider_org: Mapped[Organisation] = relationship()
    disclosed_to: Mapped[list[Procurement]] = relationship(secondary=contact_disclosed_to,
                                                           order_by="Procurement.reference")
    resolved_by: Mapped[User | None] = relationship()
    messages: Mapped[list[Message]] = relationship(back_populates="contact", order_by="Message.id")
    redactions: Mapped[list[Redaction]] = relationship(back_populates="contact", order_by="Redaction.position")

    @property
    def is_resolved(self) -> bool:
        return self.resolution is not None

    @property
    def is_tagged(self) -> bool:
        return self.procurement_id is not None

    @property
    def council_id(self) -> int:
        """The commissioning organisation whose list the contact is on."""
        return self.conversation.commissioner_org_id

    @property
    def resolution_label(self) -> str:
        return RESOLUTIONS.get(self.resolution or "", "Not yet resolved")


class Message(Model):
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


class Redaction(Model):
    """What a disclosure left out, and why: both published with it."""

    __tablename__ = "ledger_redaction"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("ledger_contact.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    what: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)

    contact: Mapped[Contact] = relationship(back_populates="redactions")
