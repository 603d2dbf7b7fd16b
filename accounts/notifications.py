"""Telling people things in the app (and by email when it matters).

Every package tells people through `notify`, inside the transaction of the
service whose act it reports, so the notice exists exactly when the act does.
The header shows each signed-in person's unread count on every page, which is
why `unread_count` is one count over the (user_id, read_at) index.
"""
from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select

import trail
from accounts.models import Notification, User, Viewer
from core.clock import utcnow
from core.extensions import db
from trail.outbox import queue_email

PER_PAGE = 30


def _absolute(url: str) -> str:
    """Emails carry links on the public address, never on whatever host a request came in on."""
    if url.startswith(("http://", "https://")):
        return url
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/" + url.lstrip("/")


def notify(users: Iterable[User], *, title: str, url: str, email: bool = False, event: str) -> None:
    """One in-app notification per person (and an email when `email`), in the caller's transaction.

    `url` is a site-relative link to where the person acts. `event` names what
    happened: a person who already has an unread notification of the same event
    for the same link is not told twice. Suspended people are not told.
    """
    people = {user.id: user for user in users if user is not None and not user.is_suspended}
    if not people:
        return
    title, url = title[:500], url[:500]
    already = set(db.session.scalars(select(Notification.user_id).where(
        Notification.user_id.in_(people), Notification.read_at.is_(None),
        Notification.event == event, Notification.url == url)))
    now = utcnow()
    for user_id, user in sorted(people.items()):
        if user_id in already:
            continue
        db.session.add(Notification(user_id=user_id, event=event, text=title, url=url, created_at=now,
                                    email_pending=False))
        if email:
            queue_email(user.email, f"Commissioning Commons: {title[:200]}",
                        f"Hello {user.full_name},\n\n{title}\n\n{_absolute(url)}\n\n"
                        "You can see all your notifications when you sign in.\n")
    db.session.flush()


def unread_count(user: Viewer) -> int:
    """The header's count: one indexed count query, nothing for someone not signed in."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def notifications_page(user: User, page: int) -> Pagination:
    """Newest first, a page at a time."""
    query = select(Notification).where(Notification.user_id == user.id) \
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


def mark_read(actor: User, notification_ids: list[int] | None = None) -> int:
    """Mark the actor's unread notifications read (all, or those listed); return how many.

    Only ever the actor's own: ids of someone else's notifications are ignored.
    """
    query = select(Notification).where(Notification.user_id == actor.id, Notification.read_at.is_(None))
    if notification_ids is not None:
        query = query.where(Notification.id.in_(notification_ids))
    items = list(db.session.scalars(query))
    now = utcnow()
    for item in items:
        item.read_at = now
    db.session.flush()
    if items:
        trail.record("notifications.read", actor=actor, subject=("user", actor.id), audience="auditors",
                     summary=f"{actor.full_name} read {len(items)} notification(s)",
                     payload={"count": len(items)})
    return len(items)
