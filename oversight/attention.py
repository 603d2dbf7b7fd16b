"""The auditor's dashboard: what needs attention now, across every procurement.

Computed from the domain's state through the topic services, never from
rules written again here: undisclosed bilateral contacts
(tenders.services.ledger), missing declarations of interest
(tenders.services.conflicts), late clarification answers
(tenders.services.clarifications' answer cutoff), contract modifications
beyond 10% of the original value (tenders.modification_rules), opened
responses the sealing key in use cannot decrypt (tenders.services.responses) and
notices past the day the law gives for them (tenders.notices). Cheap queries
only narrow which procurements to ask about; the services decide every item,
so an item disappears as soon as the state it reports is put right.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from accounts.models import Organisation
from core.extensions import db
from core.timezones import uk_when
from tenders.models import STAGES, Clarification, Procurement, TenderResponse
from tenders.models.ledger import Contact
from tenders.models.spinoffs import ContractModification
from tenders.modification_rules import SERVICES_PERCENT
from tenders.services import clarifications, conflicts, evaluation, ledger, responses, spinoffs
from tenders.services import notices as notice_services

KINDS = {
    "contacts": "Undisclosed bilateral contacts",
    "declarations": "Missing declarations of interest",
    "clarifications": "Late clarification answers",
    "modifications": "Contract modifications beyond 10% of the original value",
    "unreadable": "Opened responses the sealing key in use cannot decrypt",
    "notices": "Overdue notices",
}


@dataclass
class Item:
    """One thing to look at: which procurement, what is wrong, since when, and the page where it is put right.

    A contact that names no procurement has none: `organisation` then says whose it is.
    """

    kind: str
    procurement: Procurement | None
    what: str
    since: datetime
    fix_label: str
    fix_endpoint: str
    fix_args: dict[str, Any] = field(default_factory=dict)
    urgent: bool = False
    organisation: Organisation | None = None


def _procurements(ids: Any) -> list[Procurement]:
    return list(db.session.scalars(select(Procurement).where(Procurement.id.in_(ids)).order_by(Procurement.id)))


def undisclosed_contacts(now: datetime) -> list[Item]:
    """Every bilateral contact not yet resolved (equal information), those naming no procurement included."""
    candidates = select(Contact.procurement_id).where(Contact.resolution.is_(None)).distinct()
    items = []
    for procurement in _procurements(candidates):
        for contact in ledger.unresolved_contacts(procurement):
            overdue = ledger.is_overdue(contact, now)
            items.append(Item(
                "contacts", procurement,
                f"The private contact with {contact.provider_org.name} has not been disclosed to every participant "
                f"or marked not material{' and is overdue' if overdue else ''}",
                contact.opened_at, "Resolve the contact", "tenders.ledger_contact", {"contact_id": contact.id},
                urgent=overdue))
    for contact in ledger.unresolved_untagged_contacts():
        overdue = ledger.is_overdue(contact, now)
        council = contact.conversation.commissioner_org
        items.append(Item(
            "contacts", None,
            f"The private contact with {contact.provider_org.name} names no procurement and has not been "
            f"disclosed or marked not about any live procurement{' and is overdue' if overdue else ''}: it blocks "
            f"every tender notice of {council.name}",
            contact.opened_at, "Resolve the contact", "tenders.ledger_contact", {"contact_id": contact.id},
            urgent=overdue, organisation=council))
    return items


def stage_entered_at(procurement: Procurement) -> datetime:
    """When the procurement reached its current stage (declarations hold for one stage)."""
    entered = {"engagement": procurement.engagement_published_at, "tender": procurement.tender_published_at,
               "evaluation": procurement.opened_at}.get(procurement.stage)
    if procurement.stage == "award":
        award = evaluation.award_for(procurement)
        entered = award.notice_published_at if award else None
    elif procurement.stage == "contract":
        contract = evaluation.contract_for(procurement)
        entered = contract.created_at if contract else None
    return entered or procurement.created_at


DECLARATION_STAGES = ("engagement", "tender", "evaluation")


def missing_declarations() -> list[Item]:
    """Procurements where someone who acted has no declaration at the current stage (conflicts of interest).

    Only the stages where a missing declaration holds something up: the tender notice (engagement) and the
    opening and scoring of responses (tender, evaluation). A draft is still being written; after the award
    nothing more is decided on the responses.
    """
    candidates = select(Procurement.id).where(Procurement.stage.in_(DECLARATION_STAGES))
    items = []
    procurements = _procurements(candidates)
    missing_by_procurement = conflicts.missing_declarations_for(procurements)
    for procurement in procurements:
        missing = missing_by_procurement[procurement.id]
        if missing:
            names = ", ".join(person.full_name for person in missing)
            items.append(Item(
                "declarations", procurement,
                f"No declaration of interest at the “{STAGES[procurement.stage]}” stage from {names}",
                stage_entered_at(procurement), "Declarations of interest", "tenders.conflicts_declarations",
                {"procurement_id": procurement.id}))
    return items


def late_clarification_answers(now: datetime) -> list[Item]:
    """While a tender is open: answers published after the cutoff before the (current) response deadline, and
    questions still unanswered once the cutoff has passed (the quiet period).

    Extending the deadline (with a published specification change) puts a late
    answer right, so the cutoff is always taken from the current deadline.
    """
    candidates = select(Clarification.procurement_id).join(
        Procurement, Procurement.id == Clarification.procurement_id).where(
        Procurement.stage == "tender", Procurement.response_deadline > now).distinct()
    items = []
    for procurement in _procurements(candidates):
        cutoff = clarifications.answer_cutoff(procurement)
        for question in db.session.scalars(select(Clarification).where(
                Clarification.procurement_id == procurement.id).order_by(Clarification.asked_at, Clarification.id)):
            if question.answered_at is not None and question.answered_at > cutoff:
                items.append(Item(
                    "clarifications", procurement,
                    f"The answer to {question.pseudonym}'s question was published on "
                    f"{uk_when(question.answered_at)}, after the cutoff ({uk_when(cutoff)}) before "
                    f"the response deadline, and the deadline has not been extended",
                    question.answered_at, "Publish a change with a later deadline", "tenders.change_specification",
                    {"procurement_id": procurement.id}))
            elif question.answered_at is None and now > cutoff:
                items.append(Item(
                    "clarifications", procurement,
                    f"{question.pseudonym}'s question is unanswered and the cutoff ({uk_when(cutoff)}) has "
                    f"passed: any answer now is late unless the deadline is extended",
                    cutoff, "Answer the question", "tenders.answer",
                    {"procurement_id": procurement.id, "clarification_id": question.id}, urgent=True))
    return items


def _percent(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError):
        return None  # "—": the original value was nothing, so no percentage exists


def modifications_beyond_ten_percent() -> list[Item]:
    """Accepted modifications that took the contract's cumulative change beyond 10% of its original value
    (lawful modification): lawful only on a Schedule 8 ground (or PCR reg 72), which the auditor checks."""
    candidates = select(ContractModification.procurement_id).distinct()
    items = []
    for procurement in _procurements(candidates):
        for modification in spinoffs.register_for(procurement):
            percent = _percent(modification.cumulative_percent)
            if percent is not None and percent > SERVICES_PERCENT:
                items.append(Item(
                    "modifications", procurement,
                    f"“{modification.proposal.title}” took the contract's modifications to {percent}% of its "
                    f"original value (route: {modification.route_label}, {modification.ground})",
                    modification.decided_at, "Modification register", "tenders.spinoffs_register",
                    {"procurement_id": procurement.id}))
    return items


# Where a response is still worked on once opened: evaluation and the award decision.
READING_STAGES = ("evaluation", "award")


def unreadable_responses() -> list[Item]:
    """Each opened response that the sealing keys in use cannot decrypt: its key was lost or replaced.

    Only opened procurements: before the opening, listing a response would tell
    that it exists (an opening it blocks is refused with the reason instead).
    """
    found = db.session.scalars(select(TenderResponse).join(
        Procurement, Procurement.id == TenderResponse.procurement_id).where(
        Procurement.stage.in_(READING_STAGES), Procurement.opened_at.is_not(None),
        TenderResponse.status == "submitted").order_by(TenderResponse.id))
    items = []
    for response in found:
        if responses.is_readable(response):
            continue
        procurement = db.session.get_one(Procurement, response.procurement_id)
        if procurement.opened_at is None:  # the query reads opened procurements only
            continue
        items.append(Item(
            "unreadable", procurement,
            f"Response {response.id} from {response.provider.name} cannot be decrypted with the sealing key in "
            "use: an operator must restore the key that sealed it (RESPONSE_ENCRYPTION_KEY)",
            procurement.opened_at, "Read the response", "tenders.read",
            {"procurement_id": procurement.id, "response_id": response.id}, urgent=True))
    return items


def overdue_notices(now: datetime) -> list[Item]:
    """Contract notices not published by the last day the law gives (UK7, UK9, contract termination)."""
    candidates = select(Procurement.id).where(Procurement.stage == "contract")
    items = []
    for procurement in _procurements(candidates):
        for notice in notice_services.notices_for(procurement, now.date()):
            if notice.state == "overdue" and notice.due_on is not None:  # an overdue notice always has its day
                name = f"{notice.form} {notice.label}".strip()
                items.append(Item(
                    "notices", procurement,
                    f"{name} not published: it was due by the end of {notice.due_on:%-d %B %Y} ({notice.source})",
                    datetime.combine(notice.due_on + timedelta(days=1), time()), "Procurement notices", "tenders.show",
                    {"procurement_id": procurement.id, "_anchor": "notices"}, urgent=True))
    return items


def attention(now: datetime) -> dict[str, list[Item]]:
    """Every item, by kind (in KINDS order), oldest first within a kind."""
    found = {
        "contacts": undisclosed_contacts(now),
        "declarations": missing_declarations(),
        "clarifications": late_clarification_answers(now),
        "modifications": modifications_beyond_ten_percent(),
        "unreadable": unreadable_responses(),
        "notices": overdue_notices(now),
    }
    return {kind: sorted(found[kind], key=lambda item: (item.since, item.procurement.id if item.procurement else 0))
            for kind in KINDS}
