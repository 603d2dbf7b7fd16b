"""Private conversations, bilateral contacts and their disclosures: the information-parity ledger (DESIGN.md rule 2).

Private messages between a commissioner and one provider are allowed, but
whatever one provider is told about a procurement in engagement or tender
every participant must be able to read (PA23 s.16(3); PCR reg 41(2)(a)). So a
message about such a procurement opens a bilateral contact (or extends the
unresolved one), and an owning commissioner must resolve it: disclose it to
everyone (a summary, redactions recorded) or mark it not material with a
reason. An unresolved contact blocks publishing the tender.

The message text is stored (PA23 s.98 keeps every communication with a
supplier) but never put in an audit payload: events carry its SHA-256.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

import audit
from accounts import policy as accounts_policy
from accounts.models import Organisation, User
from core.errors import RuleViolation
from core.extensions import db
from core.markdown import render_markdown
from core.services import queue_email
from core.urls import external_url
from forum.models import Attachment, ForumMembership, Meeting
from tenders.models import LIVE_STAGES, EngagementEvent, Procurement
from tenders.models.ledger import Contact, Conversation, Message, Redaction
from tenders.policy import ledger as policy
from tenders.services.common import lock, participants, refuse

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
    """Messages in this conversation are bilateral contacts now (rule 2): its procurement is live."""
    return conversation.procurement is not None and conversation.procurement.stage in LIVE_STAGES


def _unresolved_contact(conversation: Conversation) -> Contact | None:
    return db.session.scalar(select(Contact).where(Contact.conversation_id == conversation.id,
                                                   Contact.resolution.is_(None)).order_by(Contact.id).limit(1))


def _attach_to_contact(conversation: Conversation, actor: User, messages: list[Message], now: datetime) -> Contact:
    """Open a contact for these messages, or extend the conversation's unresolved one."""
    procurement = conversation.procurement
    contact = _unresolved_contact(conversation)
    if contact is None:
        contact = Contact(conversation_id=conversation.id, procurement_id=procurement.id,
                          provider_org_id=conversation.provider_org_id, opened_at=messages[0].sent_at,
                          last_message_at=messages[-1].sent_at)
        db.session.add(contact)
        db.session.flush()
        audit.record("ledger.contact_opened", actor=actor, subject=contact, procurement_id=procurement.id,
                     summary=f"Bilateral contact with {conversation.provider_org.name} about "
                             f"{procurement.reference} opened: it must be disclosed or marked not material",
                     payload={"conversation_id": conversation.id, "provider_org_id": conversation.provider_org_id,
                              "message_ids": [m.id for m in messages], "opened_at": contact.opened_at.isoformat()})
    else:
        contact.last_message_at = max(contact.last_message_at, messages[-1].sent_at)
    for message in messages:
        message.contact_id = contact.id
    db.session.flush()
    return contact


def _post(conversation: Conversation, actor: User, text: str, now: datetime) -> Message:
    message = Message(conversation_id=conversation.id, author_id=actor.id, author_org_id=actor.organisation_id,
                      body_md=text, body_html=render_markdown(text), sent_at=now)
    db.session.add(message)
    conversation.last_message_at = now
    db.session.flush()
    contact = None
    if counts_as_contact(conversation):
        lock(conversation.procurement)
        contact = _attach_to_contact(conversation, actor, [message], now)
    audit.record("ledger.message_sent", actor=actor, subject=message,
                 procurement_id=conversation.procurement_id,
                 summary=f"Private message in conversation {conversation.id} between "
                         f"{conversation.commissioner_org.name} and {conversation.provider_org.name}"
                         + (f" (bilateral contact {contact.id})" if contact else ""),
                 payload={"conversation_id": conversation.id, "sha256": _sha(text), "length": len(text),
                          "contact_id": contact.id if contact else None})
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
    if procurement is not None and "organisation" not in reasons:
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
    if reasons:
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
    audit.record("ledger.conversation_started", actor=actor, subject=conversation,
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

    Its messages since the procurement was published (not yet in a contact)
    then count as a bilateral contact if the procurement is in engagement or
    tender, like every later message.
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
    contact = None
    published = procurement.engagement_published_at or procurement.tender_published_at
    if counts_as_contact(conversation) and published is not None:
        lock(procurement)
        loose = list(db.session.scalars(select(Message).where(
            Message.conversation_id == conversation.id, Message.contact_id.is_(None),
            Message.sent_at >= published).order_by(Message.id)))
        if loose:
            contact = _attach_to_contact(conversation, actor, loose, now)
    audit.record("ledger.conversation_tagged", actor=actor, subject=conversation, procurement_id=procurement.id,
                 summary=f"Conversation with {conversation.provider_org.name} marked as concerning "
                         f"{procurement.reference}" + (f" (bilateral contact {contact.id})" if contact else ""),
                 payload={"procurement_id": procurement.id, "contact_id": contact.id if contact else None})
    return contact


# ---------------------------------------------------------------- resolving contacts


@dataclass
class RedactionInput:
    what: str
    reason: str


def _may_resolve(contact: Contact, actor: User, attempted: str) -> Procurement:
    procurement = contact.procurement
    if not policy.can_resolve_contact(actor, contact):
        raise refuse(actor, procurement, attempted, "not a commissioner of the owning organisation",
                     "Only commissioners of the organisation running the procurement can resolve a contact.")
    lock(procurement)
    db.session.refresh(contact)
    if contact.is_resolved:
        raise RuleViolation({"": f"This contact was already resolved on {contact.resolved_at:%-d %B %Y} "
                                 f"({contact.resolution_label.lower()}): it cannot be resolved again"})
    return procurement


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


def disclose_contact(contact: Contact, actor: User, *, summary_md: str, redactions: list[RedactionInput],
                     now: datetime) -> Contact:
    """Publish a summary of the contact to everyone, with what was left out and why."""
    procurement = _may_resolve(contact, actor, "ledger.contact.disclose")
    reasons: dict[str, str] = {}
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
    contact.resolution, contact.resolved_at, contact.resolved_by_id = "disclosed", now, actor.id
    contact.summary_md, contact.summary_html = summary, render_markdown(summary)
    for position, (what, why) in enumerate(rows, start=1):
        db.session.add(Redaction(contact_id=contact.id, position=position, what=what, reason=why))
    db.session.flush()
    db.session.refresh(contact)
    people = disclosure_recipients(procurement)
    link = external_url("tenders.show", procurement_id=procurement.id) + "#disclosures"
    body = (f"{procurement.owner.name} had a private contact with {contact.provider_org.name} about "
            f"{procurement.title} ({contact.opened_at:%-d %B %Y}). So that every provider has the same information, "
            f"here is what was said:\n\n{summary}\n")
    if rows:
        body += "\nRedacted:\n" + "".join(f"- {what} (reason: {why})\n" for what, why in rows)
    # How many were told is not recorded: the bidders are among them, and before the opening nobody may
    # learn whether anyone responded.
    for person in people:
        queue_email(person.email, f"{procurement.reference}: disclosure of a private contact", f"{body}\n{link}\n")
    audit.record("ledger.contact_disclosed", actor=actor, subject=contact, procurement_id=procurement.id,
                 audience="public",
                 summary=f"Private contact with {contact.provider_org.name} disclosed to every participant",
                 payload={"provider": contact.provider_org.name, "opened_at": contact.opened_at.isoformat(),
                          "last_message_at": contact.last_message_at.isoformat(), "summary": summary,
                          "redactions": [{"what": what, "reason": why} for what, why in rows],
                          "message_ids": [m.id for m in contact.messages]})
    return contact


def mark_not_material(contact: Contact, actor: User, *, reason: str, now: datetime) -> Contact:
    """Record why the contact told the provider nothing others need; listed publicly without content."""
    procurement = _may_resolve(contact, actor, "ledger.contact.not_material")
    text = (reason or "").strip()
    if not text:
        raise RuleViolation({"reason": "Give the reason this contact is not material"})
    if len(text) > MAX_MESSAGE:
        raise RuleViolation({"reason": f"The reason must be {MAX_MESSAGE:,} characters or fewer"})
    contact.resolution, contact.resolved_at, contact.resolved_by_id = "not_material", now, actor.id
    contact.reason = text
    db.session.flush()
    audit.record("ledger.contact_not_material", actor=actor, subject=contact, procurement_id=procurement.id,
                 summary=f"Private contact with {contact.provider_org.name} marked not material",
                 payload={"provider": contact.provider_org.name, "opened_at": contact.opened_at.isoformat(),
                          "reason": text, "message_ids": [m.id for m in contact.messages]})
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


def contacts_to_resolve(org_id: int, now: datetime) -> list[ToDo]:
    """Unresolved contacts on the organisation's procurements, oldest first."""
    found = db.session.scalars(select(Contact).join(Procurement, Procurement.id == Contact.procurement_id).where(
        Procurement.owner_org_id == org_id, Contact.resolution.is_(None)).order_by(Contact.opened_at, Contact.id))
    return [ToDo(contact, is_overdue(contact, now)) for contact in found]


def unresolved_contacts(procurement: Procurement) -> list[Contact]:
    return list(db.session.scalars(select(Contact).where(Contact.procurement_id == procurement.id,
                                                         Contact.resolution.is_(None))
                                   .order_by(Contact.opened_at, Contact.id)))


def resolved_contacts(procurement: Procurement) -> list[Contact]:
    """The public record: disclosures (summary, redactions) and not-material marks (date, provider only)."""
    return list(db.session.scalars(select(Contact).where(Contact.procurement_id == procurement.id,
                                                         Contact.resolution.is_not(None))
                                   .order_by(Contact.opened_at, Contact.id)))


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
    """What unresolved bilateral contacts stop(s) the tender notice going out: keyed messages, nothing changed."""
    problems = {}
    for contact in unresolved_contacts(procurement):
        overdue = is_overdue(contact, now)
        problems[f"ledger_contact_{contact.id}"] = (
            f"The private contact with {contact.provider_org.name} opened on {contact.opened_at:%-d %B %Y} "
            f"{'is overdue and ' if overdue else ''}has not been disclosed or marked not material")
    return problems

