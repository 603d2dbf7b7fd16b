"""Helpers every tenders service uses: refusing, stage moves, notifications."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from accounts.models import User, Viewer
from core.errors import NotPermitted, RuleViolation
from core.extensions import db
from core.text import xml_safe
from core.urls import external_url
from tenders.models import STAGES, TRANSITIONS, Clarification, Procurement, SpecVersion, TenderResponse
from trail.events import record_refusal
from trail.outbox import queue_email


def safe_filename(name: str) -> str:
    """A download name with no path in it: a browser-supplied name is never trusted as a path.

    Control characters are removed rather than refused: nobody typed them, and the name is shown and exported.
    """
    return str(xml_safe(name or "")).replace("/", "_").replace("\\", "_")[:200]


def refuse(actor: Viewer, procurement: Procurement | None, attempted: str, reason: str, message: str) -> NotPermitted:
    """Audit a refusal by the wrong party and return the error to raise."""
    record_refusal(actor, attempted, reason,
                   detail={"procurement_id": procurement.id if procurement else None},
                   procurement_id=procurement.id if procurement else None)
    return NotPermitted(message)


def lock(procurement: Procurement) -> Procurement:
    """Serialise changes to one procurement (row lock on PostgreSQL; SQLite's write lock does it already).

    The row is re-read under the lock, so a stage or deadline changed by a
    concurrent request is seen before any rule is checked.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.scalars(select(Procurement).where(Procurement.id == procurement.id).with_for_update()
                           .execution_options(populate_existing=True)).one()
    return procurement


def require_stage(procurement: Procurement, stages: tuple[str, ...], doing: str) -> None:
    if procurement.stage not in stages:
        raise RuleViolation({"": f"You cannot {doing} while the procurement is at the "
                                 f"“{STAGES[procurement.stage]}” stage"})


def response_deadline(procurement: Procurement) -> datetime:
    """The response deadline: set when the tender notice is published, so every stage from the tender has it."""
    if procurement.response_deadline is None:
        raise RuleViolation({"": "The tender notice has not been published: there is no response deadline yet"})
    return procurement.response_deadline


def clarification_deadline(procurement: Procurement) -> datetime:
    """The clarification deadline: set with the response deadline when the tender notice is published."""
    if procurement.clarification_deadline is None:
        raise RuleViolation({"": "The tender notice has not been published: there is no clarification deadline yet"})
    return procurement.clarification_deadline


def published_version(procurement: Procurement) -> SpecVersion:
    """The specification bidders respond to: published with the tender notice, so every stage from the tender has it."""
    version = procurement.published_version
    if version is None:
        raise RuleViolation({"": "No specification has been published yet"})
    return version


def move(procurement: Procurement, to: str) -> str:
    """Change stage along TRANSITIONS only, asking for the new stage's declarations; returns the stage it left."""
    if to not in TRANSITIONS[procurement.stage]:
        raise RuleViolation({"": f"A procurement cannot move from “{STAGES[procurement.stage]}” "
                                 f"to “{STAGES[to]}”: that is out of order"})
    previous = procurement.stage
    procurement.stage = to
    # Imported here: the declarations module builds on the conflicts services, which build on this one.
    from tenders.services.declaration_requests import ask_for_declarations

    ask_for_declarations(procurement)
    return previous


def participants(procurement: Procurement) -> list[User]:
    """Provider people who asked a clarification or submitted a response: they get every notice."""
    org_ids = set(db.session.scalars(
        select(Clarification.asker_org_id).where(Clarification.procurement_id == procurement.id)))
    org_ids |= set(db.session.scalars(
        select(TenderResponse.provider_org_id).where(TenderResponse.procurement_id == procurement.id)))
    if not org_ids:
        return []
    return list(db.session.scalars(
        select(User).where(User.organisation_id.in_(org_ids), User.is_suspended.is_(False),
                           User.email_confirmed_at.is_not(None)).order_by(User.id)))


def notify_participants(procurement: Procurement, subject: str, body: str) -> int:
    """Queue the same notice to every participant, in the caller's transaction."""
    link = external_url("tenders.show", procurement_id=procurement.id)
    people = participants(procurement)
    for person in people:
        queue_email(person.email, f"{procurement.reference}: {subject}", f"{body}\n\n{link}\n")
    return len(people)
