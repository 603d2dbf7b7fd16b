"""Co-design threads and their messages: public, attributed to the person and their organisation."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

import trail
from accounts.models import User
from core.errors import RuleViolation
from core.extensions import db
from core.markdown import render_markdown
from core.safeguarding import check_child_data
from tenders.models import Procurement
from tenders.models.codesign import CodesignMessage, CodesignThread
from tenders.services.codesign.rules import MAX_TEXT, MAX_TITLE, audit_child_data, require_contributor, who
from tenders.services.common import lock


def open_thread(procurement: Procurement, actor: User, *, title: str, message_md: str, now: datetime,
                confirmed_no_child_data: bool = False) -> CodesignThread:
    """A new public thread with its first message, attributed to the person and their organisation."""
    lock(procurement)
    require_contributor(actor, procurement, "codesign.open_thread")
    reasons = {}
    clean_title = " ".join((title or "").split())
    text = (message_md or "").strip()
    if not clean_title:
        reasons["title"] = "Enter a title for the thread"
    elif len(clean_title) > MAX_TITLE:
        reasons["title"] = f"The title must be {MAX_TITLE} characters or fewer"
    if not text:
        reasons["message"] = "Enter the first message"
    elif len(text) > MAX_TEXT:
        reasons["message"] = f"The message must be {MAX_TEXT} characters or fewer"
    if reasons:
        raise RuleViolation(reasons)
    kinds = check_child_data("message", [clean_title, text], confirmed_no_child_data)
    thread = CodesignThread(procurement_id=procurement.id, title=clean_title, opened_by_id=actor.id,
                            organisation_id=actor.organisation_id, opened_at=now)
    db.session.add(thread)
    db.session.flush()
    db.session.add(CodesignMessage(thread_id=thread.id, author_id=actor.id, organisation_id=actor.organisation_id,
                                   body_md=text, body_html=render_markdown(text), posted_at=now))
    db.session.flush()
    trail.record("codesign.thread_opened", actor=actor, subject=thread, procurement_id=procurement.id,
                 audience="public",
                 summary=f"Co-design thread “{thread.title}” opened on {procurement.reference} by {who(actor)}",
                 payload={"title": thread.title, "message": text, "organisation": actor.organisation.name})
    audit_child_data(kinds, actor, thread, procurement, "a co-design thread")
    return thread


def post_message(thread: CodesignThread, actor: User, *, body_md: str, now: datetime,
                 confirmed_no_child_data: bool = False) -> CodesignMessage:
    procurement = db.session.get_one(Procurement, thread.procurement_id)
    lock(procurement)
    require_contributor(actor, procurement, "codesign.post")
    text = (body_md or "").strip()
    if not text:
        raise RuleViolation({"message": "Enter your message"})
    if len(text) > MAX_TEXT:
        raise RuleViolation({"message": f"The message must be {MAX_TEXT} characters or fewer"})
    kinds = check_child_data("message", [text], confirmed_no_child_data)
    message = CodesignMessage(thread_id=thread.id, author_id=actor.id, organisation_id=actor.organisation_id,
                              body_md=text, body_html=render_markdown(text), posted_at=now)
    db.session.add(message)
    db.session.flush()
    db.session.expire(thread, ["messages"])
    trail.record("codesign.message_posted", actor=actor, subject=message, procurement_id=procurement.id,
                 audience="public",
                 summary=f"Message in co-design thread “{thread.title}” on {procurement.reference} by {who(actor)}",
                 payload={"thread_id": thread.id, "message": text, "organisation": actor.organisation.name})
    audit_child_data(kinds, actor, message, procurement, "a co-design message")
    return message


def threads_for(procurement: Procurement) -> list[CodesignThread]:
    return list(db.session.scalars(select(CodesignThread).where(CodesignThread.procurement_id == procurement.id)
                                   .order_by(CodesignThread.id)))
