"""Private conversations, bilateral contacts and their disclosures: the information-parity ledger (equal information).

Private messages between a commissioner and one provider are allowed, but
whatever one provider is told about a procurement in engagement or tender
every participant must be able to read (PA23 s.16(3); PCR reg 41(2)(a)). So
while a commissioning organisation has any procurement in engagement or
tender, every private message between it and a provider opens a bilateral
contact (or extends the unresolved one). The contact is about the procurement
the conversation was tagged with or the message names (by reference or whole
title, tenders.mentions); naming none, or several, leaves it untagged. A
commissioner must resolve it: disclose it to everyone (a summary, redactions
recorded; an untagged one on the procurements the commissioner names), mark a
tagged one not material, or an untagged one not about any live procurement,
with a reason. An unresolved contact blocks publishing the tender; an
untagged one blocks every tender notice of its organisation.

The message text is stored (PA23 s.98 keeps every communication with a
supplier) but never put in an audit payload: events carry its SHA-256.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select

import trail
from accounts import policy as accounts_policy
from accounts.models import Organisation, User
from core.errors import RuleViolation
from core.extensions import db
from core.markdown import render_markdown
from core.urls import external_url
from forum.models import Attachment, ForumMembership, Meeting
from tenders import mentions
from tenders.models import LIVE_STAGES, PUBLIC_STAGES, EngagementEvent, Procurement
from tenders.models.ledger import Contact, Conversation, Message, Redaction, contact_disclosed_to
from tenders.policy import ledger as policy
from tenders.services.common import lock, participants, refuse
from trail.outbox import queue_email

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
            _lock_contact(converted)
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


# ---------------------------------------------------------------- resolving contacts


@dataclass
class RedactionInput:
    what: str
    reason: str


def _lock_contact(contact: Contact) -> None:
    """Re-read the contact under a row lock (PostgreSQL; SQLite's write lock does it already), so two people
    resolving or tagging an untagged contact (which has no procurement to lock) at once cannot both win."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.scalars(select(Contact).where(Contact.id == contact.id).with_for_update()
                           .execution_options(populate_existing=True)).one()
    else:
        db.session.refresh(contact)


def _may_resolve(contact: Contact, actor: User, attempted: str) -> None:
    if not policy.can_resolve_contact(actor, contact):
        raise refuse(actor, contact.procurement, attempted, "not a commissioner of the owning organisation",
                     "Only commissioners of the organisation in the conversation can resolve a contact.")
    if contact.procurement is not None:
        lock(contact.procurement)
    _lock_contact(contact)
    if contact.is_resolved:
        raise RuleViolation({"": f"This contact was already resolved on {contact.resolved_at:%-d %B %Y} "
                                 f"({contact.resolution_label.lower()}): it cannot be resolved again"})


def read_contact(contact: Contact, actor: User) -> Contact:
    if not policy.can_read_contact(actor, contact):
        raise refuse(actor, contact.procurement, "ledger.contact.read", "not an owning commissioner or auditor",
                     "Only the owning commissioners and auditors can read a bilateral contact.")
    return contact


def disclosure_recipients(procurement: Procurement) -> list[User]:
    """Every participant (clarification askers and bidders) and the providers in the linked forum."""
    people = {user.id: user for user in participants(procurement)}
    if procurement.forum_id is not None:
        for user in db.session.scalars(select(User).join(ForumMembership, ForumMembership.user_id == User.id).where(
                ForumMembership.forum_id == procurement.forum_id, User.is_suspended.is_(False),
                User.email_confirmed_at.is_not(None)).order_by(User.id)):
            if user.organisation.is_provider:
                people.setdefault(user.id, user)
    return [people[key] for key in sorted(people)]


def disclosure_choices(contact: Contact) -> list[Procurement]:
    """What an untagged contact can be disclosed to: any procurement its council has published, by reference."""
    return list(db.session.scalars(select(Procurement).where(
        Procurement.owner_org_id == contact.council_id, Procurement.stage.in_(PUBLIC_STAGES))
        .order_by(Procurement.reference)))


def named_procurements(contact: Contact, now: datetime) -> list[Procurement]:
    """The council's live procurements the contact's messages (or the conversation's subject) name."""
    return mentions.mentioned([contact.conversation.subject, *(m.body_md for m in contact.messages)],
                              live_procurements(contact.council_id, now))


def _disclosure_targets(contact: Contact, chosen: list[Procurement] | None, now: datetime) -> list[Procurement]:
    """A tagged contact goes to its procurement; an untagged one to those the commissioner names, which must be
    the council's own, published, and include every live procurement its messages name."""
    picked = list({p.id: p for p in chosen or []}.values())
    if contact.procurement is not None:
        if any(p.id != contact.procurement_id for p in picked):
            raise RuleViolation({"procurements": f"This contact is about {contact.procurement.reference}: it is "
                                                 f"disclosed there"})
        return [contact.procurement]
    allowed = {p.id for p in disclosure_choices(contact)}
    if not picked:
        raise RuleViolation({"procurements": "Choose the procurements this contact is disclosed to"})
    foreign = [p for p in picked if p.id not in allowed]
    if foreign:
        raise RuleViolation({"procurements": "Choose only your organisation's published procurements"})
    missing = [p.reference for p in named_procurements(contact, now) if p.id not in {q.id for q in picked}]
    if missing:
        raise RuleViolation({"procurements": f"The messages name {', '.join(missing)}: disclose the contact there "
                                             f"too"})
    return sorted(picked, key=lambda p: p.reference)


def disclose_contact(contact: Contact, actor: User, *, summary_md: str, redactions: list[RedactionInput],
                     now: datetime, procurements: list[Procurement] | None = None) -> Contact:
    """Publish a summary of the contact to everyone in each procurement it concerns, with what was left out and why.

    A tagged contact is disclosed on its own procurement; an untagged one on
    the `procurements` the commissioner names (one public event on each).
    """
    _may_resolve(contact, actor, "ledger.contact.disclose")
    reasons: dict[str, str] = {}
    try:
        targets = _disclosure_targets(contact, procurements, now)
    except RuleViolation as exc:
        reasons.update(exc.reasons)
        targets = []
    summary = (summary_md or "").strip()
    if not summary:
        reasons["summary"] = "Enter a summary of what was said: it is published to every participant"
    elif len(summary) > MAX_MESSAGE:
        reasons["summary"] = f"The summary must be {MAX_MESSAGE:,} characters or fewer"
    rows = []
    for index, row in enumerate(redactions, start=1):
        what, why = (row.what or "").strip(), (row.reason or "").strip()
        if not what and not why:
            continue
        if not what:
            reasons[f"redactions-{index}-what"] = f"Redaction {index}: say what was redacted"
        if not why:
            reasons[f"redactions-{index}-reason"] = f"Redaction {index}: give the reason for redacting it"
        rows.append((what, why))
    if reasons:
        raise RuleViolation(reasons)
    for procurement in targets:
        lock(procurement)
    contact.resolution, contact.resolved_at, contact.resolved_by_id = "disclosed", now, actor.id
    contact.summary_md, contact.summary_html = summary, render_markdown(summary)
    if contact.procurement is None:
        contact.disclosed_to = targets
    for position, (what, why) in enumerate(rows, start=1):
        db.session.add(Redaction(contact_id=contact.id, position=position, what=what, reason=why))
    db.session.flush()
    db.session.refresh(contact)
    for procurement in targets:
        people = disclosure_recipients(procurement)
        link = external_url("tenders.show", procurement_id=procurement.id) + "#disclosures"
        body = (f"{procurement.owner.name} had a private contact with {contact.provider_org.name} about "
                f"{procurement.title} ({contact.opened_at:%-d %B %Y}). So that every provider has the same "
                f"information, here is what was said:\n\n{summary}\n")
        if rows:
            body += "\nRedacted:\n" + "".join(f"- {what} (reason: {why})\n" for what, why in rows)
        # How many were told is not recorded: the bidders are among them, and before the opening nobody may
        # learn whether anyone responded.
        for person in people:
            queue_email(person.email, f"{procurement.reference}: disclosure of a private contact", f"{body}\n{link}\n")
        payload = {"provider": contact.provider_org.name, "opened_at": contact.opened_at.isoformat(),
                   "last_message_at": contact.last_message_at.isoformat(), "summary": summary,
                   "redactions": [{"what": what, "reason": why} for what, why in rows],
                   "message_ids": [m.id for m in contact.messages]}
        if not contact.is_tagged:
            payload["disclosed_to"] = [p.reference for p in targets]
        trail.record("ledger.contact_disclosed", actor=actor, subject=contact, procurement_id=procurement.id,
                     audience="public",
                     summary=f"Private contact with {contact.provider_org.name} disclosed to every participant",
                     payload=payload)
    return contact


def _clean_reason(reason: str | None, missing: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise RuleViolation({"reason": missing})
    if len(text) > MAX_MESSAGE:
        raise RuleViolation({"reason": f"The reason must be {MAX_MESSAGE:,} characters or fewer"})
    return text


def mark_not_material(contact: Contact, actor: User, *, reason: str, now: datetime) -> Contact:
    """Record why the contact told the provider nothing others need; listed publicly without content."""
    _may_resolve(contact, actor, "ledger.contact.not_material")
    procurement = contact.procurement
    if procurement is None:
        raise RuleViolation({"reason": "This contact names no procurement: disclose it to the procurements it "
                                       "concerns, or mark it not about any live procurement"})
    text = _clean_reason(reason, "Give the reason this contact is not material")
    contact.resolution, contact.resolved_at, contact.resolved_by_id = "not_material", now, actor.id
    contact.reason = text
    db.session.flush()
    trail.record("ledger.contact_not_material", actor=actor, subject=contact, procurement_id=procurement.id,
                 summary=f"Private contact with {contact.provider_org.name} marked not material",
                 payload={"provider": contact.provider_org.name, "opened_at": contact.opened_at.isoformat(),
                          "reason": text, "message_ids": [m.id for m in contact.messages]})
    return contact


def mark_not_about_live_procurement(contact: Contact, actor: User, *, reason: str, now: datetime) -> Contact:
    """A commissioner records why an untagged contact concerns none of the council's live procurements.

    It leaves the council's list and stops blocking its tender notices; the
    reason, and which procurements were live, go to the auditors' contacts
    register. Nothing is published: there is nothing to disclose.
    """
    _may_resolve(contact, actor, "ledger.contact.not_about_live_procurement")
    if contact.procurement is not None:
        raise RuleViolation({"reason": f"This contact is about {contact.procurement.reference}: disclose it, or "
                                       f"mark it not material"})
    text = _clean_reason(reason, "Give the reason this contact is not about any live procurement")
    live = live_procurements(contact.council_id, now)
    contact.resolution, contact.resolved_at, contact.resolved_by_id = "not_about_live_procurement", now, actor.id
    contact.reason = text
    db.session.flush()
    trail.record("ledger.contact_not_about_live_procurement", actor=actor, subject=contact,
                 summary=f"Private contact between {contact.conversation.commissioner_org.name} and "
                         f"{contact.provider_org.name} marked not about any live procurement",
                 payload={"provider": contact.provider_org.name, "provider_org_id": contact.provider_org_id,
                          "commissioner_org_id": contact.council_id, "conversation_id": contact.conversation_id,
                          "opened_at": contact.opened_at.isoformat(), "reason": text,
                          "live_procurements": [p.reference for p in live],
                          "message_ids": [m.id for m in contact.messages]})
    return contact


# ---------------------------------------------------------------- reading


def conversations_for(user: User) -> list[Conversation]:
    """The inbox: the user's organisation's conversations (every conversation for an auditor), latest first."""
    query = select(Conversation).order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
    if accounts_policy.is_auditor(user):
        return list(db.session.scalars(query))
    if accounts_policy.is_commissioner(user):
        return list(db.session.scalars(query.where(Conversation.commissioner_org_id == user.organisation_id)))
    if accounts_policy.is_provider(user):
        return list(db.session.scalars(query.where(Conversation.provider_org_id == user.organisation_id)))
    return []


def message_targets(user: User) -> list[Organisation]:
    """Who the user can start a conversation with."""
    if accounts_policy.is_commissioner(user):
        kinds = Organisation.kind == "provider"
    elif accounts_policy.is_provider(user):
        kinds = Organisation.kind.in_(("commissioning_unit", "consortium"))
    else:
        return []
    return list(db.session.scalars(select(Organisation).where(kinds, Organisation.id != user.organisation_id)
                                   .order_by(Organisation.name)))


def procurement_choices(user: User) -> list[Procurement]:
    """What a new conversation can be about: the commissioner's own procurements, or public live ones."""
    query = select(Procurement).order_by(Procurement.reference)
    if accounts_policy.is_commissioner(user):
        return [p for p in db.session.scalars(query.where(Procurement.owner_org_id == user.organisation_id))
                if not p.is_closed]
    if accounts_policy.is_provider(user):
        return list(db.session.scalars(query.where(Procurement.stage.in_(LIVE_STAGES))))
    return []


def contacts_of(conversation: Conversation) -> list[Contact]:
    return list(db.session.scalars(select(Contact).where(Contact.conversation_id == conversation.id)
                                   .order_by(Contact.id)))


def is_overdue(contact: Contact, now: datetime) -> bool:
    return not contact.is_resolved and now - contact.opened_at > timedelta(
        days=current_app.config["CONTACT_RESOLUTION_DAYS"])


@dataclass
class ToDo:
    contact: Contact
    overdue: bool
    named: list[Procurement]


def contacts_to_resolve(org_id: int, now: datetime) -> list[ToDo]:
    """Unresolved contacts in the organisation's conversations, tagged or not, oldest first."""
    found = db.session.scalars(select(Contact).join(Conversation, Conversation.id == Contact.conversation_id).where(
        Conversation.commissioner_org_id == org_id, Contact.resolution.is_(None))
        .order_by(Contact.opened_at, Contact.id))
    return [ToDo(contact, is_overdue(contact, now), [] if contact.is_tagged else named_procurements(contact, now))
            for contact in found]


def unresolved_contacts(procurement: Procurement) -> list[Contact]:
    return list(db.session.scalars(select(Contact).where(Contact.procurement_id == procurement.id,
                                                         Contact.resolution.is_(None))
                                   .order_by(Contact.opened_at, Contact.id)))


def unresolved_untagged_contacts(org_id: int | None = None) -> list[Contact]:
    """Untagged contacts still to resolve: one organisation's, or everyone's (for the auditors)."""
    query = select(Contact).join(Conversation, Conversation.id == Contact.conversation_id).where(
        Contact.procurement_id.is_(None), Contact.resolution.is_(None))
    if org_id is not None:
        query = query.where(Conversation.commissioner_org_id == org_id)
    return list(db.session.scalars(query.order_by(Contact.opened_at, Contact.id)))


def resolved_contacts(procurement: Procurement) -> list[Contact]:
    """The public record: disclosures (summary, redactions) and not-material marks (date, provider only),
    including untagged contacts disclosed to this procurement."""
    disclosed_here = select(contact_disclosed_to.c.contact_id).where(
        contact_disclosed_to.c.procurement_id == procurement.id)
    return list(db.session.scalars(select(Contact).where(
        or_(Contact.procurement_id == procurement.id, Contact.id.in_(disclosed_here)),
        Contact.resolution.is_not(None)).order_by(Contact.opened_at, Contact.id)))


@dataclass
class MeetingRecord:
    event: EngagementEvent
    meeting: Meeting
    documents: list[Attachment]


def meeting_records(procurement: Procurement) -> list[MeetingRecord]:
    """Engagement events that are forum meetings, with their public documents (minutes are on the meeting)."""
    records = []
    for event in procurement.events:
        if event.meeting is None:
            continue
        documents = list(db.session.scalars(select(Attachment).where(Attachment.meeting_id == event.meeting_id)
                                            .order_by(Attachment.id)))
        records.append(MeetingRecord(event, event.meeting, documents))
    return records


def publish_problems(procurement: Procurement, now: datetime) -> dict[str, str]:
    """What unresolved bilateral contacts stop(s) the tender notice going out: keyed messages, nothing changed.

    Its own contacts, and every untagged contact of its organisation: until a
    commissioner says which procurements one concerns (or that it concerns
    none), it may concern this one.
    """
    problems = {}
    for contact in unresolved_contacts(procurement):
        overdue = is_overdue(contact, now)
        problems[f"ledger_contact_{contact.id}"] = (
            f"The private contact with {contact.provider_org.name} opened on {contact.opened_at:%-d %B %Y} "
            f"{'is overdue and ' if overdue else ''}has not been disclosed or marked not material")
    for contact in unresolved_untagged_contacts(procurement.owner_org_id):
        overdue = is_overdue(contact, now)
        problems[f"ledger_contact_{contact.id}"] = (
            f"The private contact with {contact.provider_org.name} opened on {contact.opened_at:%-d %B %Y} names "
            f"no procurement and {'is overdue: it ' if overdue else ''}has not been disclosed or marked not about "
            f"any live procurement")
    return problems
