"""Clarifications during the tender: asked privately, answered to everyone (rule 5)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

import trail
from accounts import policy as accounts_policy
from accounts.models import User
from core.errors import RuleViolation
from core.extensions import db
from core.markdown import render_markdown
from core.timezones import uk_when
from tenders import policy
from tenders.models import Clarification, Procurement
from tenders.services.common import (
    clarification_deadline,
    lock,
    notify_participants,
    refuse,
    require_stage,
    response_deadline,
)


def _pseudonym_number(procurement: Procurement, org_id: int) -> int:
    """The same number for every question from one organisation, so answers can be grouped."""
    existing = db.session.scalar(select(Clarification.pseudonym_number).where(
        Clarification.procurement_id == procurement.id, Clarification.asker_org_id == org_id).limit(1))
    if existing is not None:
        return existing
    highest = db.session.scalar(select(func.max(Clarification.pseudonym_number)).where(
        Clarification.procurement_id == procurement.id))
    return (highest or 0) + 1


def ask_clarification(procurement: Procurement, actor: User, *, question: str, now: datetime) -> Clarification:
    """A provider's private question; refused after the clarification deadline."""
    if not policy.can_ask_clarification(actor, procurement):
        if accounts_policy.is_provider(actor):
            require_stage(procurement, ("tender",), "ask a clarification question")
        raise refuse(actor, procurement, "clarification.ask", "only providers ask clarification questions",
                     "Only providers can ask clarification questions.")
    asked_by = clarification_deadline(procurement)
    if now > asked_by:
        raise RuleViolation({"question": "The clarification deadline passed on "
                                         f"{uk_when(asked_by)}: no more "
                                         "questions can be asked"})
    text = (question or "").strip()
    if not text:
        raise RuleViolation({"question": "Enter your question"})
    clarification = Clarification(
        procurement_id=procurement.id,
        asker_org_id=actor.organisation_id,
        asker_user_id=actor.id,
        pseudonym_number=_pseudonym_number(procurement, actor.organisation_id),
        question=text,
        asked_at=now,
    )
    db.session.add(clarification)
    db.session.flush()
    trail.record("clarification.asked", actor=actor, subject=clarification, procurement_id=procurement.id,
                 summary=f"Clarification question from {clarification.pseudonym} on {procurement.reference}",
                 payload={"pseudonym": clarification.pseudonym, "question": text})
    return clarification


def answer_cutoff(procurement: Procurement) -> datetime:
    """Answers after this moment leave bidders too little time (TENDERS_ANSWER_CUTOFF_DAYS, 6 by default)."""
    return response_deadline(procurement) - timedelta(days=current_app.config["TENDERS_ANSWER_CUTOFF_DAYS"])


@dataclass
class Answered:
    clarification: Clarification
    warning: str | None


def answer_clarification(clarification: Clarification, actor: User, *, answer_md: str, now: datetime) -> Answered:
    """Publish the question and answer to everyone, asker shown only by pseudonym."""
    procurement = lock(db.session.get_one(Procurement, clarification.procurement_id))
    # Re-read under the lock: two commissioners answering at once must not both publish an answer.
    db.session.refresh(clarification)
    if not policy.can_answer_clarifications(actor, procurement):
        if policy.can_manage(actor, procurement):
            require_stage(procurement, ("tender",), "answer clarifications")
        raise refuse(actor, procurement, "clarification.answer", "not a commissioner of the owning organisation",
                     "Only commissioners of the owning organisation can answer clarifications.")
    if clarification.answered_at is not None:
        raise RuleViolation({"answer": "This question has already been answered"})
    if now >= response_deadline(procurement):
        raise RuleViolation({"answer": "The response deadline has passed: answers can no longer be published"})
    text = (answer_md or "").strip()
    if not text:
        raise RuleViolation({"answer": "Enter the answer"})
    late = now > answer_cutoff(procurement)
    clarification.answer_md = text
    clarification.answer_html = render_markdown(text)
    clarification.answered_at = now
    clarification.answered_by_id = actor.id
    clarification.answered_late = late
    db.session.flush()
    warning = None
    if late:
        days = current_app.config["TENDERS_ANSWER_CUTOFF_DAYS"]
        warning = (f"This answer was published less than {days} days before the response deadline: consider "
                   "extending the deadline so every bidder can take it into account.")
    notify_participants(procurement, "a clarification has been answered",
                        f"Question from {clarification.pseudonym}:\n{clarification.question}\n\nAnswer:\n{text}")
    trail.record("clarification.answered", actor=actor, subject=clarification, procurement_id=procurement.id,
                 audience="public", summary=f"Clarification from {clarification.pseudonym} answered and published"
                                            + (" (late)" if late else ""),
                 payload={"pseudonym": clarification.pseudonym, "question": clarification.question, "answer": text,
                          "late": late})
    return Answered(clarification, warning)
