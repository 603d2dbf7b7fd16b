"""Resolving a bilateral contact: disclosing it to every participant (a summary, redactions recorded), or marking
it not material, or not about any live procurement, with a reason."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

import trail
from accounts.models import User
from core.errors import RuleViolation
from core.extensions import db
from core.markdown import render_markdown
from core.urls import external_url
from forum.models import ForumMembership
from tenders import mentions
from tenders.models import PUBLIC_STAGES, Procurement
from tenders.models.ledger import Contact, Redaction
from tenders.policy import ledger as policy
from tenders.services.common import lock, participants, refuse
from tenders.services.ledger.conversations import MAX_MESSAGE, live_procurements, lock_contact
from trail.outbox import queue_email


@dataclass
class RedactionInput:
    what: str
    reason: str


def _may_resolve(contact: Contact, actor: User, attempted: str) -> None:
    if not policy.can_resolve_contact(actor, contact):
        raise refuse(actor, contact.procurement, attempted, "not a commissioner of the owning organisation",
                     "Only commissioners of the organisation in the conversation can resolve a contact.")
    if contact.procurement is not None:
        lock(contact.procurement)
    lock_contact(contact)
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
