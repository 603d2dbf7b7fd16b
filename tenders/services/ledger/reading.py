"""Reading the ledger: conversations, contacts still to resolve and those resolved, meeting records, and what
blocks publishing a tender."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select

from accounts import policy as accounts_policy
from accounts.models import Organisation, User
from core.extensions import db
from forum.models import Attachment, Meeting
from tenders.models import LIVE_STAGES, EngagementEvent, Procurement
from tenders.models.ledger import Contact, Conversation, contact_disclosed_to
from tenders.services.ledger.resolving import named_procurements


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
