"""What every forum service shares: the limits on text, the refusal that is audited, the child-data
confirmation on the record, and attachments."""
from __future__ import annotations

import hashlib
from typing import Any

import trail
from accounts.models import User, Viewer
from core import storage
from core.clock import utcnow
from core.errors import NotPermitted, RuleViolation
from core.extensions import db
from forum import hooks
from forum.attachments import CheckedFile
from forum.models import Attachment, Forum, Meeting, Post
from trail.events import record_refusal

MAX_POST_CHARS = 20_000
MAX_TITLE_CHARS = 200


def refuse(actor: Viewer, attempted: str, message: str) -> NotPermitted:
    record_refusal(actor, attempted, message)
    return NotPermitted(message)


def check_quiet_period(actor: User, texts: dict[str, str], attempted: str) -> None:
    """Rule 5: a commissioner's post may not link a procurement whose tender is live (refused and audited).

    The rule belongs to the procurements (tenders.services.conflicts), registered through forum.hooks.
    """
    hooks.check_post(actor, texts, attempted)


def audit_child_data_confirmation(kinds: list[str], actor: User, subject: Any, where: str) -> None:
    if kinds:
        trail.record("forum.child_data_confirmed", actor=actor, subject=subject, audience="auditors",
                     summary=f"{actor.full_name} confirmed {where} holds no personal data about a child",
                     payload={"kinds_flagged": kinds, "where": where})


def clean_body(body_md: str, field_name: str = "body", empty: str = "Enter your message") -> str:
    body = (body_md or "").strip()
    if not body:
        raise RuleViolation({field_name: empty})
    if len(body) > MAX_POST_CHARS:
        raise RuleViolation({field_name: f"Your message must be {MAX_POST_CHARS:,} characters or fewer "
                                         f"(it is {len(body):,})"})
    return body


def clean_title(title: str, field_name: str = "title", what: str = "a title") -> str:
    title = " ".join((title or "").split())
    if not title:
        raise RuleViolation({field_name: f"Enter {what}"})
    if len(title) > MAX_TITLE_CHARS:
        raise RuleViolation({field_name: f"The title must be {MAX_TITLE_CHARS} characters or fewer"})
    return title


def add_attachment(checked: CheckedFile, forum: Forum, actor: User, *, post: Post | None = None,
                    meeting: Meeting | None = None) -> Attachment:
    attachment = Attachment(
        forum_id=forum.id, post_id=post.id if post else None, meeting_id=meeting.id if meeting else None,
        filename=checked.filename, kind=checked.kind, content_type=checked.content_type, size=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(), file=storage.store(checked.data), uploaded_by_id=actor.id,
        created_at=utcnow())
    db.session.add(attachment)
    db.session.flush()
    return attachment


def attachment_payload(attachment: Attachment) -> dict[str, Any]:
    return {"attachment_id": attachment.id, "filename": attachment.filename, "kind": attachment.kind,
            "size": attachment.size, "sha256": attachment.sha256}
