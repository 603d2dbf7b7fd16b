"""Private conversations between a commissioning organisation and a provider, and the bilateral contacts their
messages open while the organisation has a procurement in engagement or tender."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

import trail
from accounts import policy as accounts_policy
from accounts.models import Organisation, User
from core.errors import RuleViolation
from core.extensions import db
from core.markdown import render_markdown
from tenders import mentions
from tenders.models import LIVE_STAGES, Procurement
from tenders.models.ledger import Contact, Conversation, Message
from tenders.policy import ledger as policy
from tenders.services.common import lock, refuse

MAX_MESSAGE = 20_000
MAX_SUBJECT = 200


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _clean_body(body_md: str | None) -> str:
    text = (body_md or "").strip()
    if not text:
        raise RuleViolation({"body": "Enter your message"})
    if len(text) > MAX_MESSAGE:
        raise RuleViolation({"body": f"Your message must be {MAX_MESSAGE:,} characters or fewer"})
    return text


def counts_as_contact(conversation: Conversation) -> bool:
    """The conversation's own procurement is live: its messages are contacts about it (rule 2)."""
    return conversation.procurement is not None and conversation.procurement.stage in LIVE_STAGES


def _first_published(procurement: Procurement) -> datetime | None:
    dates = [d for d in (procurement.engagement_published_at, procurement.tender_published_at) if d is not None]
    return min(dates) if dates else None


def live_procurements(org_id: int, now: datetime, *, locked: bool = False) -> list[Procurement]:
    """The organisation's procurements in engagement or tender at `now`, by reference.

    While there is one, every private message between the organisation and a
    provider is a bilateral contact, whether or not anyone picked a procurement.
    With `locked`, each is locked (in id order) and re-read first, so a tender
    being published at the same moment either sees the contact or is seen here.
    """
    found = list(db.session.scalars(select(Procurement).where(
        Procurement.owner_org_id == org_id, Procurement.stage.in_(LIVE_STAGES)).order_by(Procurement.id)))
    if locked:
        for procurement in found:
            lock(procurement)
    live = [p for p in found if p.stage in LIVE_STAGES and (_first_published(p) or now) <= now]
    return sorted(live, key=lambda p: p.reference)


@dataclass
class Filing:
    """Where a new message goes: a contact or not, and about which procurement (None: an untagged contact)."""

    is_contact: bool
    procurement: Procurement | None
    named: list[Procurement]
    live: list[Procurement]


def file_message(conversation: Conversation, text: str, now: datetime, *, locked: bool = False) -> Filing:
    """A message is a contact while the council has a live procurement; it is about the one procurement the
    conversation or the message (its subject included) names, and untagged when it names none or several."""
    live = live_procurements(conversation.commissioner_org_id, now, locked=locked)
    if not live:
        return Filing(False, None, [], [])
    named = mentions.mentioned([conversation.subject, text], live)
    concerned = list(named)
    own = next((p for p in live if p.id == conversation.procurement_id), None)
    if own is not None and own not in concerned:
        concerned.append(own)
    return Filing(True, concerned[0] if len(concerned) == 1 else None, named, live)


def _unresolved_contact(conversation: Conversation, procurement_id: int | None) -> Contact | None:
    return db.session.scalar(select(Contact).where(
        Contact.conversation_id == conversation.id, Contact.resolution.is_(None),
        Contact.procurement_id.is_(None) if procurement_id is None else Contact.procurement_id == procurement_id)
        .order_by(Contact.id).limit(1))


def _attach_to_contact(conversation: Conversation, actor: User, messages: list[Message], now: datetime,
                       procurement: Procurement | None, live: list[Procurement] | None = None) -> Contact:
    """Open a contact for these messages, or extend the conversation's unresolved one about the same procurement
    (or the unresolved untagged one, when `procurement` is None)."""
    contact = _unresolved_contact(conversation, procurement.id if procurement else None)
    if contact is None:
        contact = Contact(conversation_id=conversation.id, procurement_id=procurement.id if procurement else None,
                          provider_org_id=conversation.provider_org_id, opened_at=messages[0].sent_at,
                          last_message_at=messages[-1].sent_at)
        db.session.add(contact)
        db.session.flush()
        payload = {"conversation_id": conversation.id, "provider_org_id": conversation.provider_org_id,
                   "message_ids": [m.id for m in messages], "opened_at": contact.opened_at.isoformat()}
        if procurement is not None:
            summary = (f"Bilateral contact with {conversation.provider_org.name} about "
                       f"{procurement.reference} opened: it must be disclosed or marked not material")
        else:
            references = [p.reference for p in live or []]
            payload |= {"commissioner_org_id": conversation.commissioner_org_id, "live_procurements": references}
            summary = (f"Bilateral contact between {conversation.commissioner_org.name} and "
                       f"{conversation.provider_org.name} opened without a procurement, while "
                       f"{', '.join(references)} {'is' if len(references) == 1 else 'are'} live: it must be "
                       f"disclosed to the procurements it concerns or marked not about any live procurement")
        trail.record("ledger.contact_opened", actor=actor, subject=contact,
                     procurement_id=procurement.id if procurement else None, summary=summary, payload=payload)
    else:
        contact.last_message_at = max(contact.last_message_at, messages[-1].sent_at)
    for message in messages:
        message.contact_id = contact.id
    db.session.flush()
    return contact


def _tag_automatically(conversation: Conversation, actor: User, procurement: Procurement, now: datetime) -> None:
    """An untagged conversation whose message names one live procurement now concerns it, as if a commissioner
    had tagged it: later messages are filed there too. Earlier untagged contacts stay for a commissioner."""
    conversation.procurement_id, conversation.procurement = procurement.id, procurement
    conversation.tagged_by_id, conversation.tagged_at = None, now
    db.session.flush()
    trail.record("ledger.conversation_tagged", actor=actor, subject=conversation, procurement_id=procurement.id,
                 summary=f"Conversation with {conversation.provider_org.name} tagged to {procurement.reference} "
                         f"automatically: a message names it",
                 payload={"procurement_id": procurement.id, "automatic": True})


def _post(conversation: Conversation, actor: User, text: str, now: datetime) -> Message:
    message = Message(conversation_id=conversation.id, author_id=actor.id, author_org_id=actor.organisation_id,
                      body_md=text, body_html=render_markdown(text), sent_at=now)
    db.session.add(message)
    conversation.last_message_at = now
    db.session.flush()
    contact = None
    filing = file_message(conversation, text, now, locked=True)
    if filing.is_contact:
        if conversation.procurement_id is None and filing.procurement is not None:
            _tag_automatically(conversation, actor, filing.procurement, now)
        contact = _attach_to_contact(conversation, actor, [message], now, filing.procurement, filing.live)
    trail.record("ledger.message_sent", actor=actor, subject=message,
                 procurement_id=contact.procurement_id if contact else conversation.procurement_id,
                 summary=f"Private message in conversation {conversation.id} between "
                         f"{conversation.commissioner_org.name} and {conversation.provider_org.name}"
                         + (f" (bilateral contact {contact.id})" if contact else ""),
                 payload={"conversation_id": conversation.id, "sha256": _sha(text), "length": len(text),
                          "contact_id": contact.id if contact else None,
                          "names": [p.reference for p in filing.named]})
    return message


def start_conversation(actor: User, *, organisation: Organisation | None, procurement: Procurement | None,
                       subject: str, body_md: str, now: datetime) -> Conversation:
    """A commissioner writes to a provider organisation, or a provider to a commissioning one."""
    if not policy.can_use_messages(actor):
        raise refuse(actor, procurement, "ledger.conversation.start", "only commissioners and providers message",
                     "Only commissioners and providers can start a private conversation.")
    reasons = {}
    if organisation is None:
        reasons["organisation"] = "Choose the organisation to write to"
    elif organisation.id == actor.organisation_id:
        reasons["organisation"] = "You cannot start a conversation with your own organisation"
    elif not policy.may_message(actor, organisation):
        reasons["organisation"] = ("Commissioners write to provider organisations"
                                   if accounts_policy.is_commissioner(actor)
                                   else "Providers write to commissioning organisations")
    if procurement is not None and organisation is not None and "organisation" not in reasons:
        commissioner_org_id = actor.organisation_id if accounts_policy.is_commissioner(actor) else organisation.id
        if not policy.may_be_about(actor, procurement):
            reasons["procurement"] = ("Choose one of your organisation's procurements"
                                      if accounts_policy.is_commissioner(actor) else "Choose a published procurement")
        elif procurement.owner_org_id != commissioner_org_id:
            reasons["procurement"] = f"{procurement.reference} is not run by the commissioning organisation you chose"
    title = (subject or "").strip()
    if not title:
        reasons["subject"] = "Enter a subject"
    elif len(title) > MAX_SUBJECT:
        reasons["subject"] = f"The subject must be {MAX_SUBJECT} characters or fewer"
    try:
        text = _clean_body(body_md)
    except RuleViolation as exc:
        reasons.update(exc.reasons)
    if reasons or organisation is None:  # no organisation is always among the reasons
        raise RuleViolation(reasons)
    if accounts_policy.is_commissioner(actor):
        commissioner_org_id, provider_org_id = actor.organisation_id, organisation.id
    else:
        commissioner_org_id, provider_org_id = organisation.id, actor.organisation_id
    conversation = Conversation(commissioner_org_id=commissioner_org_id, provider_org_id=provider_org_id,
                                procurement_id=procurement.id if procurement else None, subject=title,
                                started_by_id=actor.id, started_at=now, last_message_at=now)
    db.session.add(conversation)
    db.session.flush()
    trail.record("ledger.conversation_started", actor=actor, subject=conversation,
                 procurement_id=conversation.procurement_id,
                 summary=f"Private conversation started between {conversation.commissioner_org.name} and "
                         f"{conversation.provider_org.name}"
                         + (f" about {procurement.reference}" if procurement else ""),
                 payload={"commissioner_org_id": commissioner_org_id, "provider_org_id": provider_org_id,
                          "procurement_id": conversation.procurement_id, "subject": title})
    _post(conversation, actor, text, now)
    return conversation


def read_conversation(conversation: Conversation, actor: User) -> Conversation:
    """The two organisations and auditors read it; anyone else's attempt is audited."""
    if not policy.can_read_conversation(actor, conversation):
        raise refuse(actor, conversation.procurement, "ledger.conversation.read",
                     "not a member of either organisation in the conversation",
                     "Only the two organisations in this conversation, and auditors, can read it.")
    return conversation


def send_message(conversation: Conversation, actor: User, *, body_md: str, now: datetime) -> Message:
    if not policy.can_send_message(actor, conversation):
        raise refuse(actor, conversation.procurement, "ledger.message.send",
                     "not a member of either organisation in the conversation",
                     "Only the two organisations in this conversation can write in it.")
    return _post(conversation, actor, _clean_body(body_md), now)


def tag_conversation(conversation: Conversation, actor: User, procurement: Procurement | None, *,
                     now: datetime) -> Contact | None:
    """Mark an untagged conversation as concerning one of the commissioner's procurements.

    If the procurement is in engagement or tender, the conversation's
    unresolved untagged contact becomes a contact about it, and its messages
    since the procurement was published that are in no contact join it, like
    every later message.
    """
    if not policy.can_tag_conversation(actor, conversation):
        if conversation.procurement_id is not None and accounts_policy.is_commissioner(actor) \
                and policy.is_party(actor, conversation):
            raise RuleViolation({"procurement": "This conversation already concerns a procurement"})
        raise refuse(actor, conversation.procurement, "ledger.conversation.tag",
                     "not a commissioner of the conversation's commissioning organisation",
                     "Only the commissioning organisation in this conversation can mark what it concerns.")
    if procurement is None:
        raise RuleViolation({"procurement": "Choose the procurement this conversation concerns"})
    if not policy.may_be_about(actor, procurement):
        raise RuleViolation({"procurement": "Choose one of your organisation's procurements"})
    conversation.procurement_id = procurement.id
    conversation.procurement = procurement
    conversation.tagged_by_id, conversation.tagged_at = actor.id, now
    db.session.flush()
    contact = converted = None
    published = procurement.engagement_published_at or procurement.tender_published_at
    if counts_as_contact(conversation) and published is not None:
        lock(procurement)
        converted = _unresolved_contact(conversation, None)
        if converted is not None:
            lock_contact(converted)
            if converted.is_resolved:  # resolved meanwhile by someone else: it keeps that resolution
                converted = None
        if converted is not None:
            converted.procurement_id, converted.procurement = procurement.id, procurement
            contact = converted
            db.session.flush()
        loose = list(db.session.scalars(select(Message).where(
            Message.conversation_id == conversation.id, Message.contact_id.is_(None),
            Message.sent_at >= published).order_by(Message.id)))
        if loose:
            contact = _attach_to_contact(conversation, actor, loose, now, procurement)
        db.session.flush()
    trail.record("ledger.conversation_tagged", actor=actor, subject=conversation, procurement_id=procurement.id,
                 summary=f"Conversation with {conversation.provider_org.name} marked as concerning "
                         f"{procurement.reference}" + (f" (bilateral contact {contact.id})" if contact else ""),
                 payload={"procurement_id": procurement.id, "contact_id": contact.id if contact else None,
                          "untagged_contact_id": converted.id if converted else None})
    return contact


def lock_contact(contact: Contact) -> None:
    """Re-read the contact under a row lock (PostgreSQL; SQLite's write lock does it already), so two people
    resolving or tagging an untagged contact (which has no procurement to lock) at once cannot both win."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.scalars(select(Contact).where(Contact.id == contact.id).with_for_update()
                           .execution_options(populate_existing=True)).one()
    else:
        db.session.refresh(contact)
