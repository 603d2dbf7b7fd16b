"""Watching and being told: in-app notifications, email now or in a daily digest, and who watches what."""
from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select

import trail
from accounts.models import User
from core.clock import utcnow
from core.errors import RuleViolation
from core.extensions import db
from core.urls import external_url, url_for_path
from forum import policy
from forum.models import EMAIL_MODES, WATCH_LEVELS, Forum, Notification, NotificationSetting, Thread, Watch
from forum.queries import email_mode, is_member
from forum.services._common import refuse
from trail.outbox import queue_email

_path = url_for_path  # a site-relative link, buildable from the CLI as well as from a request


def notify(users: list[User], text: str, endpoint: str, anchor: str = "", **values: Any) -> None:
    """In-app notification for each user, and email now or in tonight's digest as they chose."""
    seen: set[int] = set()
    path = _path(endpoint, **values) + anchor
    for user in users:
        if user.id in seen or user.is_suspended:
            continue
        seen.add(user.id)
        mode = email_mode(user)
        db.session.add(Notification(user_id=user.id, text=text[:500], url=path, created_at=utcnow(),
                                    email_pending=mode == "daily"))
        if mode == "immediate":
            queue_email(user.email, f"Commissioning Commons: {text[:200]}",
                        f"{text}\n\n{external_url(endpoint, **values)}{anchor}\n\n"
                        "You get this because you watch this forum or thread. Change how you are told at "
                        f"{external_url('forum.notification_settings')}")
    db.session.flush()


def watchers_of_forum(forum: Forum, levels: tuple[str, ...]) -> list[User]:
    return list(db.session.scalars(
        select(User).join(Watch, Watch.user_id == User.id)
        .where(Watch.forum_id == forum.id, Watch.thread_id.is_(None), Watch.level.in_(levels))
        .order_by(User.id)))


def _thread_watch_levels(thread: Thread) -> dict[int, str]:
    return {user_id: level for user_id, level in db.session.execute(
        select(Watch.user_id, Watch.level).where(Watch.thread_id == thread.id))}


def watchers_for_reply(thread: Thread) -> list[User]:
    """Thread watchers on "all", plus forum watchers on "all" who have not muted the thread."""
    thread_levels = _thread_watch_levels(thread)
    forum_all = {u.id: u for u in watchers_of_forum(thread.forum, ("all",))}
    wanted = {uid for uid, level in thread_levels.items() if level == "all"}
    wanted |= {uid for uid in forum_all if thread_levels.get(uid) != "mute"}
    if not wanted:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(wanted)).order_by(User.id)))


def ensure_watch(user: User, *, forum: Forum | None = None, thread: Thread | None = None,
                  level: str = "all") -> None:
    """Watch automatically what you join or write in, unless you already chose a level."""
    existing = find_watch(user, forum=forum, thread=thread)
    if existing is None:
        db.session.add(Watch(user_id=user.id, forum_id=forum.id if forum else None,
                             thread_id=thread.id if thread else None, level=level))
        db.session.flush()


def find_watch(user: User, *, forum: Forum | None = None, thread: Thread | None = None) -> Watch | None:
    query = select(Watch).where(Watch.user_id == user.id)
    if thread is not None:
        query = query.where(Watch.thread_id == thread.id)
    elif forum is not None:
        query = query.where(Watch.forum_id == forum.id, Watch.thread_id.is_(None))
    else:
        raise ValueError("A watch is of a forum or of a thread")
    return db.session.scalar(query)


def set_watch(actor: User, level: str, *, forum: Forum | None = None, thread: Thread | None = None) -> Watch:
    """Choose all activity, new threads only (forums) or mute, for a forum or one thread."""
    target_forum = thread.forum if thread is not None else forum
    if target_forum is None:
        raise ValueError("A watch is of a forum or of a thread")
    if not policy.can_participate(actor, target_forum, is_member(actor, target_forum)):
        raise refuse(actor, "forum.watch", "Join the forum to watch it")
    allowed = set(WATCH_LEVELS) - ({"new_threads"} if thread is not None else set())
    if level not in allowed:
        raise RuleViolation({"level": "Select how closely you want to follow this"})
    watch = find_watch(actor, forum=forum, thread=thread)
    if watch is None:
        watch = Watch(user_id=actor.id, forum_id=target_forum.id if thread is None else None,
                      thread_id=thread.id if thread is not None else None, level=level)
        db.session.add(watch)
    else:
        watch.level = level
    db.session.flush()
    subject = thread if thread is not None else forum
    trail.record("forum.watch_set", actor=actor, subject=subject, audience="auditors",
                 summary=f"{actor.full_name} set watching to “{WATCH_LEVELS[level]}”", payload={"level": level})
    return watch


def set_email_mode(actor: User, mode: str) -> NotificationSetting:
    if mode not in EMAIL_MODES:
        raise RuleViolation({"email_mode": "Select how often you want email"})
    setting = db.session.get(NotificationSetting, actor.id)
    if setting is None:
        setting = NotificationSetting(user_id=actor.id, email_mode=mode)
        db.session.add(setting)
    previous = setting.email_mode
    setting.email_mode = mode
    db.session.flush()
    trail.record("forum.email_mode_set", actor=actor, subject=("user", actor.id), audience="auditors",
                 summary=f"{actor.full_name} chose email “{EMAIL_MODES[mode]}”",
                 payload={"from": previous, "to": mode})
    return setting


def send_daily_digests() -> int:
    """Queue one digest email per person who chose daily email; return how many were queued.

    Run once a day (cron: `flask --app wsgi forum digest`). Each notification is
    marked as emailed in the same transaction as the digest is queued, so a
    rerun never sends it twice.
    """
    pending = list(db.session.scalars(
        select(Notification).where(Notification.email_pending.is_(True)).order_by(Notification.user_id,
                                                                                    Notification.id)))
    by_user: dict[int, list[Notification]] = {}
    for item in pending:
        by_user.setdefault(item.user_id, []).append(item)
    sent = 0
    for user_id, items in by_user.items():
        user = db.session.get(User, user_id)
        for item in items:
            item.email_pending = False
        if user is None or user.is_suspended or email_mode(user) != "daily":
            continue
        base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
        lines = [f"- {item.text}\n  {base}{item.url}" for item in items]
        queue_email(user.email, f"Commissioning Commons: {len(items)} update(s) from your forums",
                    "What happened in the forums you watch since your last digest:\n\n" + "\n".join(lines))
        sent += 1
    db.session.flush()
    if sent:
        trail.record("forum.digests_queued", summary=f"Queued {sent} daily digest email(s)",
                     payload={"digests": sent, "notifications": len(pending)})
    return sent
