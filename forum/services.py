"""Forum operations: the only code that changes forums, posts, meetings and the rest.

Each function checks its rule (forum.policy), makes the change, keeps the
search index in step, notifies watchers and writes its audit event, all in the
caller's transaction; it flushes and the view or CLI command commits once.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import func, select

import trail
from accounts.models import COMMISSIONING_KINDS, Organisation, User, Viewer
from core import storage
from core.clock import utcnow
from core.errors import NotPermitted, RuleViolation
from core.extensions import db
from core.markdown import render_markdown
from core.safeguarding import check_child_data
from core.urls import external_url, url_for_path
from forum import hooks, mentions, policy, search
from forum.attachments import CheckedFile, Upload, check_upload
from forum.models import (
    AGE_BANDS,
    CATEGORIES,
    EMAIL_MODES,
    FORUM_STATUSES,
    FREQUENCIES,
    HORIZONS,
    INTENSITIES,
    MEETING_MODES,
    NEED_CATEGORIES,
    NEED_STATUSES,
    REGIONS,
    WATCH_LEVELS,
    Attachment,
    Forum,
    ForumCategory,
    ForumMembership,
    ForumStatus,
    Meeting,
    MeetingRegistration,
    ModerationEntry,
    NeedItem,
    NeedStatement,
    Notification,
    NotificationSetting,
    Post,
    PostReport,
    PostRevision,
    RegistrationStatus,
    Thread,
    Watch,
)
from forum.queries import email_mode, is_member, registration_for
from trail.events import record_refusal
from trail.outbox import queue_email

MAX_POST_CHARS = 20_000
GSS_CODE = re.compile(r"[EW]\d{8}")
MAX_TITLE_CHARS = 200


# ---------------------------------------------------------------- helpers


def _refuse(actor: Viewer, attempted: str, message: str) -> NotPermitted:
    record_refusal(actor, attempted, message)
    return NotPermitted(message)


def _check_quiet_period(actor: User, texts: dict[str, str], attempted: str) -> None:
    """Rule 5: a commissioner's post may not link a procurement whose tender is live (refused and audited).

    The rule belongs to the procurements (tenders.services.conflicts), registered through forum.hooks.
    """
    hooks.check_post(actor, texts, attempted)


_path = url_for_path  # a site-relative link, buildable from the CLI as well as from a request


def _audit_child_data_confirmation(kinds: list[str], actor: User, subject: Any, where: str) -> None:
    if kinds:
        trail.record("forum.child_data_confirmed", actor=actor, subject=subject, audience="auditors",
                     summary=f"{actor.full_name} confirmed {where} holds no personal data about a child",
                     payload={"kinds_flagged": kinds, "where": where})


def _clean_body(body_md: str, field_name: str = "body", empty: str = "Enter your message") -> str:
    body = (body_md or "").strip()
    if not body:
        raise RuleViolation({field_name: empty})
    if len(body) > MAX_POST_CHARS:
        raise RuleViolation({field_name: f"Your message must be {MAX_POST_CHARS:,} characters or fewer "
                                         f"(it is {len(body):,})"})
    return body


def _clean_title(title: str, field_name: str = "title", what: str = "a title") -> str:
    title = " ".join((title or "").split())
    if not title:
        raise RuleViolation({field_name: f"Enter {what}"})
    if len(title) > MAX_TITLE_CHARS:
        raise RuleViolation({field_name: f"The title must be {MAX_TITLE_CHARS} characters or fewer"})
    return title


def _add_attachment(checked: CheckedFile, forum: Forum, actor: User, *, post: Post | None = None,
                    meeting: Meeting | None = None) -> Attachment:
    attachment = Attachment(
        forum_id=forum.id, post_id=post.id if post else None, meeting_id=meeting.id if meeting else None,
        filename=checked.filename, kind=checked.kind, content_type=checked.content_type, size=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(), file=storage.store(checked.data), uploaded_by_id=actor.id,
        created_at=utcnow())
    db.session.add(attachment)
    db.session.flush()
    return attachment


def _attachment_payload(attachment: Attachment) -> dict[str, Any]:
    return {"attachment_id": attachment.id, "filename": attachment.filename, "kind": attachment.kind,
            "size": attachment.size, "sha256": attachment.sha256}


# ---------------------------------------------------------------- notifications


def _notify(users: list[User], text: str, endpoint: str, anchor: str = "", **values: Any) -> None:
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


def _watchers_of_forum(forum: Forum, levels: tuple[str, ...]) -> list[User]:
    return list(db.session.scalars(
        select(User).join(Watch, Watch.user_id == User.id)
        .where(Watch.forum_id == forum.id, Watch.thread_id.is_(None), Watch.level.in_(levels))
        .order_by(User.id)))


def _thread_watch_levels(thread: Thread) -> dict[int, str]:
    return {user_id: level for user_id, level in db.session.execute(
        select(Watch.user_id, Watch.level).where(Watch.thread_id == thread.id))}


def _watchers_for_reply(thread: Thread) -> list[User]:
    """Thread watchers on "all", plus forum watchers on "all" who have not muted the thread."""
    thread_levels = _thread_watch_levels(thread)
    forum_all = {u.id: u for u in _watchers_of_forum(thread.forum, ("all",))}
    wanted = {uid for uid, level in thread_levels.items() if level == "all"}
    wanted |= {uid for uid in forum_all if thread_levels.get(uid) != "mute"}
    if not wanted:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(wanted)).order_by(User.id)))


def _ensure_watch(user: User, *, forum: Forum | None = None, thread: Thread | None = None,
                  level: str = "all") -> None:
    """Watch automatically what you join or write in, unless you already chose a level."""
    existing = _find_watch(user, forum=forum, thread=thread)
    if existing is None:
        db.session.add(Watch(user_id=user.id, forum_id=forum.id if forum else None,
                             thread_id=thread.id if thread else None, level=level))
        db.session.flush()


def _find_watch(user: User, *, forum: Forum | None = None, thread: Thread | None = None) -> Watch | None:
    query = select(Watch).where(Watch.user_id == user.id)
    if thread is not None:
        query = query.where(Watch.thread_id == thread.id)
    else:
        query = query.where(Watch.forum_id == forum.id, Watch.thread_id.is_(None))
    return db.session.scalar(query)


def set_watch(actor: User, level: str, *, forum: Forum | None = None, thread: Thread | None = None) -> Watch:
    """Choose all activity, new threads only (forums) or mute, for a forum or one thread."""
    target_forum = thread.forum if thread is not None else forum
    if not policy.can_participate(actor, target_forum, is_member(actor, target_forum)):
        raise _refuse(actor, "forum.watch", "Join the forum to watch it")
    allowed = set(WATCH_LEVELS) - ({"new_threads"} if thread is not None else set())
    if level not in allowed:
        raise RuleViolation({"level": "Select how closely you want to follow this"})
    watch = _find_watch(actor, forum=forum, thread=thread)
    if watch is None:
        watch = Watch(user_id=actor.id, forum_id=forum.id if thread is None else None,
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


# ---------------------------------------------------------------- forums


@dataclass
class ForumDetails:
    title: str
    remit_md: str
    region: str
    categories: list[str]
    co_owner_ids: list[int] = field(default_factory=list)


def _slugify(title: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:80].strip("-") or "forum"
    slug, n = base, 2
    while db.session.scalar(select(Forum.id).where(Forum.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _validate_forum(details: ForumDetails) -> tuple[str, str]:
    title = _clean_title(details.title, what="the forum’s name")
    remit = (details.remit_md or "").strip()
    if not remit:
        raise RuleViolation({"remit": "Describe the forum’s remit: what it is for and who should join"})
    if len(remit) > MAX_POST_CHARS:
        raise RuleViolation({"remit": f"The remit must be {MAX_POST_CHARS:,} characters or fewer"})
    if details.region not in REGIONS:
        raise RuleViolation({"region": "Select the region the forum covers"})
    if not details.categories or any(c not in CATEGORIES for c in details.categories):
        raise RuleViolation({"categories": "Select at least one service category"})
    return title, remit


def _with_co_owners(owners: list[Organisation], ids: list[int]) -> list[Organisation]:
    """The owners so far plus the chosen co-owners, which must be commissioning organisations."""
    owners = list(owners)
    for org_id in ids:
        org = db.session.get(Organisation, org_id)
        if org is None or org.kind not in COMMISSIONING_KINDS:
            raise RuleViolation({"co_owners": "Co-owners must be commissioning organisations"})
        if org not in owners:
            owners.append(org)
    return owners


def create_forum(actor: User, details: ForumDetails, confirmed_no_child_data: bool = False) -> Forum:
    """A commissioner opens a forum owned by their organisation and any co-owning councils."""
    if not policy.can_create_forum(actor):
        raise _refuse(actor, "forum.create", "Only commissioners can create forums")
    title, remit = _validate_forum(details)
    owners = _with_co_owners([actor.organisation], details.co_owner_ids)
    kinds = check_child_data("remit", [title, remit], confirmed_no_child_data)
    now = utcnow()
    forum = Forum(
        slug=_slugify(title),
        title=title,
        remit_md=remit,
        remit_html=render_markdown(remit),
        region=details.region,
        status=ForumStatus.OPEN,
        created_by_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    forum.owners = owners
    forum.category_rows = [ForumCategory(category=c) for c in dict.fromkeys(details.categories)]
    db.session.add(forum)
    db.session.flush()
    search.index("forum", forum.id, forum.id, forum.title, search.plain_text(forum.remit_html))
    trail.record("forum.created", actor=actor, subject=forum, audience="public",
                 summary=f"Forum “{title}” opened by {', '.join(o.name for o in owners)}",
                 payload={"slug": forum.slug, "title": title, "region": forum.region,
                          "categories": forum.categories, "owner_ids": [o.id for o in owners]})
    _audit_child_data_confirmation(kinds, actor, forum, "the forum’s remit")
    return forum


def update_forum(forum: Forum, actor: User, details: ForumDetails, confirmed_no_child_data: bool = False) -> Forum:
    if not policy.can_manage_forum(actor, forum):
        raise _refuse(actor, "forum.update", "Only the forum’s owners can change it")
    title, remit = _validate_forum(details)
    # Co-owners can be added but never dropped by one council on its own.
    owners = _with_co_owners(forum.owners, details.co_owner_ids)
    kinds = check_child_data("remit", [title, remit], confirmed_no_child_data)
    before = {"title": forum.title, "region": forum.region, "categories": forum.categories,
              "owner_ids": sorted(o.id for o in forum.owners)}
    forum.title, forum.remit_md, forum.remit_html = title, remit, render_markdown(remit)
    forum.region = details.region
    forum.owners = owners
    wanted = list(dict.fromkeys(details.categories))
    forum.category_rows = [row for row in forum.category_rows if row.category in wanted]
    forum.category_rows.extend(ForumCategory(category=c) for c in wanted if c not in forum.categories)
    forum.updated_at = utcnow()
    db.session.flush()
    search.index("forum", forum.id, forum.id, forum.title, search.plain_text(forum.remit_html))
    trail.record("forum.updated", actor=actor, subject=forum, audience="public",
                 summary=f"Forum “{title}” updated",
                 payload={"before": before, "after": {"title": title, "region": forum.region,
                                                      "categories": forum.categories,
                                                      "owner_ids": sorted(o.id for o in owners)}})
    _audit_child_data_confirmation(kinds, actor, forum, "the forum’s remit")
    return forum


def set_forum_status(forum: Forum, actor: User, status: str) -> Forum:
    """Close (no new posts or registrations), archive, or reopen a forum. Everything stays readable."""
    if not policy.can_manage_forum(actor, forum):
        raise _refuse(actor, "forum.status", "Only the forum’s owners can close or reopen it")
    if status not in FORUM_STATUSES:
        raise RuleViolation({"status": "Select open, closed or archived"})
    if status == forum.status:
        raise RuleViolation({"status": f"The forum is already {FORUM_STATUSES[status].lower()}"})
    previous = forum.status
    forum.status = status
    forum.updated_at = utcnow()
    db.session.flush()
    action = {"open": "forum.reopened", "closed": "forum.closed", "archived": "forum.archived"}[status]
    trail.record(action,
                 actor=actor, subject=forum, audience="public",
                 summary=f"Forum “{forum.title}” is now {FORUM_STATUSES[status].lower()}",
                 payload={"from": previous, "to": status})
    return forum


def join_forum(forum: Forum, actor: User) -> ForumMembership:
    """One click, no approval: the forum is open to every provider."""
    if not getattr(actor, "is_authenticated", False):
        raise NotPermitted("Sign in to join the forum")
    member = is_member(actor, forum)
    if member:
        raise RuleViolation("You are already a member of this forum")
    if not forum.is_open:
        raise RuleViolation("This forum is closed: it no longer takes new members")
    if not policy.can_join(actor, forum, member):
        raise _refuse(actor, "forum.join", "Only provider and commissioner accounts can join forums")
    membership = ForumMembership(forum_id=forum.id, user_id=actor.id, joined_at=utcnow())
    db.session.add(membership)
    db.session.flush()
    _ensure_watch(actor, forum=forum, level="new_threads")
    trail.record("forum.joined", actor=actor, subject=forum, audience="public",
                 summary=f"{actor.organisation.name} joined “{forum.title}”",
                 payload={"user_id": actor.id, "organisation_id": actor.organisation_id})
    return membership


def leave_forum(forum: Forum, actor: User) -> None:
    membership = db.session.scalar(select(ForumMembership).where(
        ForumMembership.forum_id == forum.id, ForumMembership.user_id == actor.id))
    if membership is None:
        raise RuleViolation("You are not a member of this forum")
    db.session.delete(membership)
    watch = _find_watch(actor, forum=forum)
    if watch is not None:
        db.session.delete(watch)
    db.session.flush()
    trail.record("forum.left", actor=actor, subject=forum, audience="public",
                 summary=f"{actor.organisation.name} left “{forum.title}”", payload={"user_id": actor.id})


# ---------------------------------------------------------------- threads and posts


def _require_post_rights(forum: Forum, actor: User, attempted: str) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise NotPermitted("Sign in to post")
    if not forum.is_open:
        raise RuleViolation(f"This forum is {forum.status_label.lower()}: it no longer takes new posts")
    if not policy.can_post(actor, forum, is_member(actor, forum)):
        raise _refuse(actor, attempted, "Join the forum to post in it")


def _render_post(body: str) -> tuple[str, list[Organisation]]:
    """Post HTML, with mentioned organisations linked; and who was mentioned."""
    mentioned = mentions.mentioned_organisations(body)
    return render_markdown(mentions.link_mentions(body, mentioned)), mentioned


def _notify_mentions(post: Post, actor: User, mentioned: list[Organisation], already: set[int]) -> None:
    """Tell the people of each mentioned organisation who take part in the forum."""
    if not mentioned:
        return
    forum = post.thread.forum
    org_ids = [o.id for o in mentioned if o.id != actor.organisation_id]
    if not org_ids:
        return
    member_ids = select(ForumMembership.user_id).where(ForumMembership.forum_id == forum.id)
    owner_orgs = policy.owner_organisation_ids(forum)
    members = set(db.session.scalars(member_ids))
    people = [u for u in db.session.scalars(select(User).where(User.organisation_id.in_(org_ids)).order_by(User.id))
              if u.id not in already and u.id != actor.id and (u.organisation_id in owner_orgs or u.id in members)]
    _notify(people, f"{actor.full_name} ({actor.organisation.name}) mentioned your organisation in "
                    f"“{post.thread.title}”", "forum.post_permalink", post_id=post.id)


def _new_post(thread: Thread, actor: User, body: str, quoted: Post | None) -> tuple[Post, list[Organisation]]:
    now = utcnow()
    html, mentioned = _render_post(body)
    post = Post(thread_id=thread.id, author_id=actor.id, quoted_post_id=quoted.id if quoted else None,
                body_md=body, body_html=html, created_at=now, revision_count=1)
    db.session.add(post)
    db.session.flush()
    db.session.add(PostRevision(post_id=post.id, number=1, body_md=body, editor_id=actor.id, created_at=now))
    thread.post_count += 1
    thread.last_activity_at = now
    thread.forum.updated_at = now
    db.session.flush()
    search.index("post", post.id, thread.forum_id, "", search.plain_text(post.body_html), label=thread.title)
    return post, mentioned


def start_thread(forum: Forum, actor: User, title: str, body_md: str, confirmed_no_child_data: bool = False,
                 attachment: Upload | None = None) -> Thread:
    _require_post_rights(forum, actor, "forum.thread_start")
    title = _clean_title(title)
    body = _clean_body(body_md)
    _check_quiet_period(actor, {"title": title, "body": body}, "forum.thread_start")
    checked = check_upload(attachment) if attachment else None
    kinds = check_child_data("body", [title, body], confirmed_no_child_data)
    now = utcnow()
    thread = Thread(forum_id=forum.id, title=title, author_id=actor.id, created_at=now, last_activity_at=now,
                    post_count=0)
    thread.forum = forum
    db.session.add(thread)
    db.session.flush()
    post, mentioned = _new_post(thread, actor, body, None)
    search.index("thread", thread.id, forum.id, title, "", label=title)
    payload: dict[str, Any] = {"thread_id": thread.id, "post_id": post.id, "title": title,
                               "mentioned_organisation_ids": [o.id for o in mentioned]}
    if checked:
        payload["attachment"] = _attachment_payload(_add_attachment(checked, forum, actor, post=post))
    _ensure_watch(actor, thread=thread)
    trail.record("forum.thread_started", actor=actor, subject=thread, audience="public",
                 summary=f"{actor.full_name} started “{title}” in “{forum.title}”", payload=payload)
    _audit_child_data_confirmation(kinds, actor, post, "a new thread")
    watchers = [u for u in _watchers_of_forum(forum, ("all", "new_threads")) if u.id != actor.id]
    _notify(watchers, f"New thread in {forum.title}: {title}", "forum.thread", slug=forum.slug,
            thread_id=thread.id)
    _notify_mentions(post, actor, mentioned, {u.id for u in watchers})
    return thread


def reply(thread: Thread, actor: User, body_md: str, quoted_post: Post | None = None,
          confirmed_no_child_data: bool = False, attachment: Upload | None = None) -> Post:
    forum = thread.forum
    _require_post_rights(forum, actor, "forum.reply")
    body = _clean_body(body_md)
    _check_quiet_period(actor, {"body": body}, "forum.reply")
    if quoted_post is not None and (quoted_post.thread_id != thread.id or quoted_post.is_hidden):
        raise RuleViolation({"body": "You can only quote a visible post from this thread"})
    checked = check_upload(attachment) if attachment else None
    kinds = check_child_data("body", [body], confirmed_no_child_data)
    post, mentioned = _new_post(thread, actor, body, quoted_post)
    payload: dict[str, Any] = {"thread_id": thread.id, "post_id": post.id,
                               "quoted_post_id": quoted_post.id if quoted_post else None,
                               "mentioned_organisation_ids": [o.id for o in mentioned]}
    if checked:
        payload["attachment"] = _attachment_payload(_add_attachment(checked, forum, actor, post=post))
    trail.record("forum.post_created", actor=actor, subject=post, audience="public",
                 summary=f"{actor.full_name} replied in “{thread.title}”", payload=payload)
    _audit_child_data_confirmation(kinds, actor, post, "a reply")
    watchers = [u for u in _watchers_for_reply(thread) if u.id != actor.id]
    _ensure_watch(actor, thread=thread)
    _notify(watchers, f"{actor.full_name} ({actor.organisation.name}) replied in “{thread.title}”",
            "forum.post_permalink", post_id=post.id)
    _notify_mentions(post, actor, mentioned, {u.id for u in watchers})
    return post


def edit_post(post: Post, actor: User, body_md: str, confirmed_no_child_data: bool = False) -> Post:
    """Change a post, keeping every earlier version as a revision anyone can diff."""
    if not policy.can_edit_post(actor, post):
        raise _refuse(actor, "forum.post_edit", "You can only edit your own visible posts in an open forum")
    body = _clean_body(body_md)
    if body == post.body_md:
        raise RuleViolation({"body": "You have not changed anything"})
    _check_quiet_period(actor, {"body": body}, "forum.post_edit")
    kinds = check_child_data("body", [body], confirmed_no_child_data)
    now = utcnow()
    post.revision_count += 1
    db.session.add(PostRevision(post_id=post.id, number=post.revision_count, body_md=body, editor_id=actor.id,
                                created_at=now))
    post.body_md, post.edited_at = body, now
    post.body_html, _ = _render_post(body)
    db.session.flush()
    search.index("post", post.id, post.thread.forum_id, "", search.plain_text(post.body_html),
                 label=post.thread.title)
    trail.record("forum.post_edited", actor=actor, subject=post, audience="public",
                 summary=f"{actor.full_name} edited a post in “{post.thread.title}” (revision {post.revision_count})",
                 payload={"revision": post.revision_count})
    _audit_child_data_confirmation(kinds, actor, post, "an edited post")
    return post


def report_post(post: Post, actor: User, reason: str) -> PostReport:
    forum = post.thread.forum
    if not policy.can_report(actor, forum, is_member(actor, forum)):
        raise _refuse(actor, "forum.post_report", "Join the forum to report posts")
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation({"reason": "Tell the moderators what is wrong with this post"})
    if len(reason) > 2000:
        raise RuleViolation({"reason": "The reason must be 2,000 characters or fewer"})
    if post.is_hidden:
        raise RuleViolation("This post has already been hidden by a moderator")
    report = PostReport(post_id=post.id, reporter_id=actor.id, reason=reason, created_at=utcnow())
    db.session.add(report)
    db.session.flush()
    trail.record("forum.post_reported", actor=actor, subject=post, audience="participants",
                 summary=f"A post in “{post.thread.title}” was reported", payload={"report_id": report.id,
                                                                                  "reason": reason})
    moderators = [u for u in _owner_users(forum) if u.id != actor.id]
    _notify(moderators, f"A post in “{post.thread.title}” was reported: {reason[:200]}",
            "forum.post_permalink", post_id=post.id)
    return report


def dismiss_report(report: PostReport, actor: User) -> PostReport:
    """A moderator decides a report needs no action; the post stays, the decision is on the record."""
    forum = report.post.thread.forum
    if not policy.can_moderate(actor, forum):
        raise _refuse(actor, "forum.report_dismiss", "Only the forum’s owners and administrators can act on reports")
    if report.resolved_at is not None:
        raise RuleViolation("This report has already been dealt with")
    report.resolved_at = utcnow()
    db.session.flush()
    trail.record("forum.report_dismissed", actor=actor, subject=report.post, audience="participants",
                 summary=f"A report on a post in “{report.post.thread.title}” was dismissed: no action needed",
                 payload={"report_id": report.id})
    return report


def _owner_users(forum: Forum) -> list[User]:
    ids = policy.owner_organisation_ids(forum)
    if not ids:
        return []
    return list(db.session.scalars(select(User).where(
        User.organisation_id.in_(ids), User.role == "commissioner").order_by(User.id)))


def hide_post(post: Post, actor: User, reason: str) -> ModerationEntry:
    """Hide a post with a public reason; a placeholder stays, the author is told, the log shows it."""
    forum = post.thread.forum
    if not policy.can_moderate(actor, forum):
        raise _refuse(actor, "forum.post_hide", "Only the forum’s owners and administrators can hide posts")
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation({"reason": "Give the reason for hiding this post: it is shown publicly"})
    if len(reason) > 2000:
        raise RuleViolation({"reason": "The reason must be 2,000 characters or fewer"})
    if post.is_hidden:
        raise RuleViolation("This post is already hidden")
    now = utcnow()
    post.hidden_at, post.hidden_reason, post.hidden_by_id = now, reason, actor.id
    for report in db.session.scalars(select(PostReport).where(PostReport.post_id == post.id,
                                                              PostReport.resolved_at.is_(None))):
        report.resolved_at = now
    entry = ModerationEntry(forum_id=forum.id, post_id=post.id, action="hidden", reason=reason,
                            actor_id=actor.id, created_at=now)
    db.session.add(entry)
    db.session.flush()
    search.remove("post", post.id)
    trail.record("forum.post_hidden", actor=actor, subject=post, audience="public",
                 summary=f"A post by {post.author.full_name} in “{post.thread.title}” was hidden: {reason}",
                 payload={"post_id": post.id, "reason": reason, "moderation_entry_id": entry.id})
    _notify([post.author], f"Your post in “{post.thread.title}” was hidden by a moderator. Reason: {reason}",
            "forum.moderation_log", slug=forum.slug)
    return entry


# ---------------------------------------------------------------- need statements


@dataclass
class NeedDetails:
    title: str
    cohort_size: int | None
    age_bands: list[str]
    items: list[tuple[str, str, str]]  # (category, intensity, frequency)
    current_provision_md: str
    gaps_md: str
    outcomes_md: str
    budget_min: int | None
    budget_max: int | None
    timescale: str
    status: str = "open"
    area_code: str | None = None  # a GSS code: counted in the sufficiency analysis when given with a horizon
    horizon: str | None = None
    children: list[int] | None = None  # how many children have each need, in the order of `items`; 1 each if None


def _validate_need(details: NeedDetails) -> dict[str, Any]:
    errors: dict[str, str] = {}
    title = " ".join((details.title or "").split())
    if not title:
        errors["title"] = "Enter a title for the need statement"
    elif len(title) > MAX_TITLE_CHARS:
        errors["title"] = f"The title must be {MAX_TITLE_CHARS} characters or fewer"
    if details.cohort_size is None or details.cohort_size < 1:
        errors["cohort_size"] = "Enter how many children and young people, as a whole number of 1 or more"
    if not details.age_bands or any(b not in AGE_BANDS for b in details.age_bands):
        errors["age_bands"] = "Select at least one age band"
    if not details.items:
        errors["items"] = "Describe at least one need, with its intensity and frequency"
    for category, intensity, frequency in details.items:
        if category not in NEED_CATEGORIES or intensity not in INTENSITIES or frequency not in FREQUENCIES:
            errors["items"] = "For each need, select a category, an intensity and a frequency"
    texts = {"current_provision": details.current_provision_md, "gaps": details.gaps_md,
             "outcomes": details.outcomes_md}
    labels = {"current_provision": "Describe current provision", "gaps": "Describe the gaps",
              "outcomes": "Describe the outcomes sought"}
    for name, value in texts.items():
        if not (value or "").strip():
            errors[name] = labels[name]
        elif len(value) > MAX_POST_CHARS:
            errors[name] = f"This must be {MAX_POST_CHARS:,} characters or fewer"
    if details.budget_min is not None and details.budget_min < 0:
        errors["budget_min"] = "The budget cannot be negative"
    if details.budget_min is not None and details.budget_max is not None and details.budget_max < details.budget_min:
        errors["budget_max"] = "The top of the budget range must be at least the bottom"
    if not (details.timescale or "").strip():
        errors["timescale"] = "Enter the timescale, for example “services needed from April 2027”"
    if details.status not in NEED_STATUSES:
        errors["status"] = "Select the status of the need"
    if details.area_code and not GSS_CODE.fullmatch(details.area_code):
        errors["area_code"] = "Select the council area from the list"
    if details.horizon is not None and details.horizon not in HORIZONS:
        errors["horizon"] = "Select when the need must be met"
    if details.children is not None and (len(details.children) != len(details.items)
                                         or any(not 1 <= n <= 100_000 for n in details.children)):
        errors["items"] = "For each need, enter the number of children, from 1 to 100,000"
    if errors:
        raise RuleViolation(errors)
    return {"title": title}


def _apply_need(need: NeedStatement, details: NeedDetails, title: str) -> None:
    need.title = title
    need.cohort_size = details.cohort_size or 0
    need.age_bands = ",".join(b for b in AGE_BANDS if b in details.age_bands)
    need.current_provision_md = details.current_provision_md.strip()
    need.current_provision_html = render_markdown(need.current_provision_md)
    need.gaps_md = details.gaps_md.strip()
    need.gaps_html = render_markdown(need.gaps_md)
    need.outcomes_md = details.outcomes_md.strip()
    need.outcomes_html = render_markdown(need.outcomes_md)
    need.budget_min, need.budget_max = details.budget_min, details.budget_max
    need.timescale = details.timescale.strip()[:200]
    need.status = details.status
    need.area_code, need.horizon = details.area_code or None, details.horizon
    children = details.children or [1] * len(details.items)
    need.items = [NeedItem(category=c, intensity=i, frequency=f, children=n)
                  for (c, i, f), n in zip(details.items, children)]
    need.updated_at = utcnow()


def _need_payload(need: NeedStatement) -> dict[str, Any]:
    return {"title": need.title, "cohort_size": need.cohort_size, "age_bands": need.age_bands,
            "items": [[i.category, i.intensity, i.frequency, i.children] for i in need.items],
            "area_code": need.area_code, "horizon": need.horizon,
            "budget_min": need.budget_min, "budget_max": need.budget_max, "timescale": need.timescale,
            "status": need.status}


def _index_need(need: NeedStatement) -> None:
    body = " ".join([search.plain_text(need.current_provision_html), search.plain_text(need.gaps_html),
                     search.plain_text(need.outcomes_html), " ".join(i.label for i in need.items)])
    search.index("need", need.id, need.forum_id, need.title, body)


def publish_need(forum: Forum, actor: User, details: NeedDetails,
                 confirmed_no_child_data: bool = False) -> NeedStatement:
    """Publish an anonymised need statement with its own thread for providers' responses."""
    if not policy.can_manage_forum(actor, forum):
        raise _refuse(actor, "forum.need_publish", "Only the forum’s owners can publish need statements")
    if not forum.is_open:
        raise RuleViolation(f"This forum is {forum.status_label.lower()}: it takes no new need statements")
    title = _validate_need(details)["title"]
    kinds = check_child_data("gaps", [title, details.current_provision_md, details.gaps_md, details.outcomes_md,
                                       details.timescale], confirmed_no_child_data)
    now = utcnow()
    thread = Thread(forum_id=forum.id, title=f"Responses: {title}"[:MAX_TITLE_CHARS], author_id=actor.id,
                    created_at=now, last_activity_at=now, post_count=0)
    db.session.add(thread)
    db.session.flush()
    need = NeedStatement(forum_id=forum.id, thread_id=thread.id, author_id=actor.id, created_at=now)
    _apply_need(need, details, title)
    db.session.add(need)
    forum.updated_at = now
    db.session.flush()
    _index_need(need)
    trail.record("forum.need_published", actor=actor, subject=need, audience="public",
                 summary=f"Need statement “{title}” published in “{forum.title}”", payload=_need_payload(need))
    _audit_child_data_confirmation(kinds, actor, need, "a need statement")
    _ensure_watch(actor, thread=thread)
    watchers = [u for u in _watchers_of_forum(forum, ("all", "new_threads")) if u.id != actor.id]
    _notify(watchers, f"New need statement in {forum.title}: {title}", "forum.need", need_id=need.id)
    return need


def update_need(need: NeedStatement, actor: User, details: NeedDetails,
                confirmed_no_child_data: bool = False) -> NeedStatement:
    if not policy.can_manage_forum(actor, need.forum):
        raise _refuse(actor, "forum.need_update", "Only the forum’s owners can change need statements")
    title = _validate_need(details)["title"]
    kinds = check_child_data("gaps", [title, details.current_provision_md, details.gaps_md, details.outcomes_md,
                                       details.timescale], confirmed_no_child_data)
    before = _need_payload(need)
    _apply_need(need, details, title)
    db.session.flush()
    _index_need(need)
    trail.record("forum.need_updated", actor=actor, subject=need, audience="public",
                 summary=f"Need statement “{title}” updated (status: {need.status_label.lower()})",
                 payload={"before": before, "after": _need_payload(need)})
    _audit_child_data_confirmation(kinds, actor, need, "a need statement")
    return need


# ---------------------------------------------------------------- meetings


@dataclass
class MeetingDetails:
    title: str
    starts_at: datetime | None
    ends_at: datetime | None
    mode: str
    location: str
    online_link: str
    agenda_md: str
    capacity: int | None


def schedule_meeting(forum: Forum, actor: User, details: MeetingDetails,
                     confirmed_no_child_data: bool = False) -> Meeting:
    """Owners schedule a meeting: in person with a place, or online with a link for registered attendees."""
    if not policy.can_manage_forum(actor, forum):
        raise _refuse(actor, "forum.meeting_schedule", "Only the forum’s owners can schedule meetings")
    if not forum.is_open:
        raise RuleViolation(f"This forum is {forum.status_label.lower()}: it takes no new meetings")
    title = checked_meeting_details(details)
    kinds = check_child_data("agenda", [title, details.agenda_md, details.location], confirmed_no_child_data)
    return _schedule_checked(forum, actor, details, title, kinds)


def checked_meeting_details(details: MeetingDetails) -> str:
    """The meeting's title, tidied, once every detail is valid (RuleViolation otherwise): one set of rules for
    scheduling a meeting and for changing one."""
    errors: dict[str, str] = {}
    title = " ".join((details.title or "").split())
    if not title:
        errors["title"] = "Enter a title for the meeting"
    if details.starts_at is None:
        errors["date"] = "Enter the date and start time of the meeting"
    elif details.starts_at <= utcnow():
        errors["date"] = "The meeting must start in the future"
    if details.starts_at and details.ends_at is not None and details.ends_at <= details.starts_at:
        errors["end_time"] = "The meeting must end after it starts"
    if details.ends_at is None:
        errors.setdefault("end_time", "Enter the end time")
    if details.mode not in MEETING_MODES:
        errors["mode"] = "Select in person or online"
    elif details.mode == "in_person" and not (details.location or "").strip():
        errors["location"] = "Enter where the meeting takes place"
    elif details.mode == "online" and not re.match(r"^https://\S+$", (details.online_link or "").strip()):
        errors["online_link"] = "Enter the joining link, starting https://"
    if not (details.agenda_md or "").strip():
        errors["agenda"] = "Enter the agenda"
    if details.capacity is None or details.capacity < 1:
        errors["capacity"] = "Enter how many people can attend, as a whole number of 1 or more"
    if errors:
        raise RuleViolation(errors)
    return title


def _schedule_checked(forum: Forum, actor: User, details: MeetingDetails, title: str, kinds: Any) -> Meeting:
    now = utcnow()
    agenda = details.agenda_md.strip()
    meeting = Meeting(forum_id=forum.id, title=title, starts_at=details.starts_at, ends_at=details.ends_at,
                      mode=details.mode,
                      location=details.location.strip() if details.mode == "in_person" else None,
                      online_link=details.online_link.strip() if details.mode == "online" else None,
                      agenda_md=agenda, agenda_html=render_markdown(agenda), capacity=details.capacity,
                      created_by_id=actor.id, created_at=now, updated_at=now)
    db.session.add(meeting)
    forum.updated_at = now
    db.session.flush()
    search.index("meeting", meeting.id, forum.id, title, search.plain_text(meeting.agenda_html))
    trail.record("forum.meeting_scheduled", actor=actor, subject=meeting, audience="public",
                 summary=f"Meeting “{title}” scheduled in “{forum.title}” for {meeting.starts_at:%-d %B %Y %H:%M} UTC",
                 payload={"title": title, "starts_at": meeting.starts_at.isoformat(),
                          "ends_at": meeting.ends_at.isoformat(), "mode": meeting.mode,
                          "location": meeting.location, "capacity": meeting.capacity})
    _audit_child_data_confirmation(kinds, actor, meeting, "a meeting agenda")
    watchers = [u for u in _watchers_of_forum(forum, ("all", "new_threads")) if u.id != actor.id]
    _notify(watchers, f"Meeting scheduled in {forum.title}: {title}, {meeting.starts_at:%-d %B %Y}",
            "forum.meeting", meeting_id=meeting.id)
    return meeting


def _registered_count(meeting: Meeting) -> int:
    return db.session.scalar(select(func.count()).select_from(MeetingRegistration).where(
        MeetingRegistration.meeting_id == meeting.id, MeetingRegistration.status == RegistrationStatus.REGISTERED)) or 0


def register_for_meeting(meeting: Meeting, actor: User) -> MeetingRegistration:
    """A place if there is one; otherwise a place on the waiting list, in order of asking."""
    forum = meeting.forum
    if not getattr(actor, "is_authenticated", False):
        raise NotPermitted("Sign in to register")
    if meeting.is_cancelled:
        raise RuleViolation("This meeting has been cancelled")
    if meeting.starts_at <= utcnow():
        raise RuleViolation("This meeting has already started: registration is closed")
    if not forum.is_open:
        raise RuleViolation("This forum is closed: registration is closed")
    if not policy.can_register(actor, meeting, is_member(actor, forum), utcnow()):
        raise _refuse(actor, "forum.meeting_register", "Join the forum to register for its meetings")
    if db.session.get_bind().dialect.name == "postgresql":
        # Serialise registrations per meeting so two people never take the last place.
        db.session.execute(select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())
    registration = registration_for(meeting, actor)
    if registration is not None and registration.status in (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING):
        raise RuleViolation("You are already registered" if registration.status == RegistrationStatus.REGISTERED
                            else "You are already on the waiting list")
    status = (
        RegistrationStatus.REGISTERED if _registered_count(meeting) < meeting.capacity else RegistrationStatus.WAITING
    )
    if registration is None:
        registration = MeetingRegistration(meeting_id=meeting.id, user_id=actor.id, status=status,
                                           registered_at=utcnow())
        db.session.add(registration)
    else:
        registration.status, registration.registered_at = status, utcnow()
    db.session.flush()
    trail.record("forum.meeting_registered" if status == RegistrationStatus.REGISTERED else "forum.meeting_waitlisted",
                 actor=actor, subject=meeting, audience="participants",
                 summary=f"{actor.full_name} ({actor.organisation.name}) "
                         f"{'registered for' if status == 'registered' else 'joined the waiting list for'} "
                         f"“{meeting.title}”",
                 payload={"user_id": actor.id, "status": status})
    return registration


def cancel_registration(meeting: Meeting, actor: User) -> MeetingRegistration | None:
    """Give up a place (or leave the waiting list); the first person waiting gets the place."""
    registration = registration_for(meeting, actor)
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        raise RuleViolation("You are not registered for this meeting")
    if meeting.starts_at <= utcnow():
        raise RuleViolation("This meeting has already started")
    freed = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    db.session.flush()
    trail.record("forum.meeting_registration_cancelled", actor=actor, subject=meeting, audience="participants",
                 summary=f"{actor.full_name} cancelled their registration for “{meeting.title}”",
                 payload={"user_id": actor.id, "freed_place": freed})
    promoted = None
    if freed:
        promoted = db.session.scalar(select(MeetingRegistration).where(
            MeetingRegistration.meeting_id == meeting.id, MeetingRegistration.status == RegistrationStatus.WAITING)
            .order_by(MeetingRegistration.registered_at, MeetingRegistration.id).limit(1))
        if promoted is not None:
            promoted.status = RegistrationStatus.REGISTERED
            db.session.flush()
            trail.record("forum.meeting_promoted", subject=meeting, audience="participants",
                         summary=f"{promoted.user.full_name} moved from the waiting list to a place at "
                                 f"“{meeting.title}”", payload={"user_id": promoted.user_id})
            _notify([promoted.user], f"A place came up: you are now registered for “{meeting.title}”",
                    "forum.meeting", meeting_id=meeting.id)
    return promoted


def cancel_meeting(meeting: Meeting, actor: User, reason: str) -> Meeting:
    """Owners call off a meeting that has not started; everyone registered or waiting is told why.

    The meeting stays listed (as cancelled) so the public record shows what was
    planned and why it did not happen.
    """
    if not policy.can_manage_forum(actor, meeting.forum):
        raise _refuse(actor, "forum.meeting_cancel", "Only the forum’s owners can cancel meetings")
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation({"reason": "Give the reason for cancelling: it is shown publicly"})
    if len(reason) > 2000:
        raise RuleViolation({"reason": "The reason must be 2,000 characters or fewer"})
    if meeting.is_cancelled:
        raise RuleViolation("This meeting is already cancelled")
    if meeting.starts_at <= utcnow():
        raise RuleViolation("This meeting has already started: it can no longer be cancelled")
    now = utcnow()
    meeting.cancelled_at, meeting.cancellation_reason, meeting.updated_at = now, reason, now
    db.session.flush()
    trail.record("forum.meeting_cancelled", actor=actor, subject=meeting, audience="public",
                 summary=f"Meeting “{meeting.title}” cancelled: {reason}", payload={"reason": reason})
    affected = list(
        db.session.scalars(
            select(User)
            .join(MeetingRegistration, MeetingRegistration.user_id == User.id)
            .where(
                MeetingRegistration.meeting_id == meeting.id,
                MeetingRegistration.status.in_((RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)),
            )
        )
    )
    _notify([u for u in affected if u.id != actor.id], f"“{meeting.title}” is cancelled. Reason: {reason}",
            "forum.meeting", meeting_id=meeting.id)
    return meeting


def record_attendance(meeting: Meeting, actor: User, attended_user_ids: list[int]) -> int:
    """Owners record who came, once the meeting has started; return how many attended."""
    if not policy.can_manage_forum(actor, meeting.forum):
        raise _refuse(actor, "forum.meeting_attendance", "Only the forum’s owners can record attendance")
    if meeting.is_cancelled:
        raise RuleViolation("This meeting was cancelled")
    if meeting.starts_at > utcnow():
        raise RuleViolation("You can record attendance once the meeting has started")
    attended = set(attended_user_ids)
    registrations = [r for r in db.session.scalars(select(MeetingRegistration).where(
        MeetingRegistration.meeting_id == meeting.id, MeetingRegistration.status == RegistrationStatus.REGISTERED))]
    known = {r.user_id for r in registrations}
    if attended - known:
        raise RuleViolation({"attended": "Only registered people can be marked as attending"})
    for registration in registrations:
        registration.attended = registration.user_id in attended
    meeting.attendance_recorded_at = utcnow()
    db.session.flush()
    trail.record("forum.meeting_attendance_recorded", actor=actor, subject=meeting, audience="participants",
                 summary=f"Attendance recorded for “{meeting.title}”: {len(attended)} of {len(registrations)}",
                 payload={"attended_user_ids": sorted(attended), "registered": len(registrations)})
    return len(attended)


def publish_minutes(meeting: Meeting, actor: User, minutes_md: str, confirmed_no_child_data: bool = False) -> Meeting:
    """Minutes are public like the forum: pre-tender sessions are shared with everyone, not only those who came."""
    if not policy.can_manage_forum(actor, meeting.forum):
        raise _refuse(actor, "forum.minutes_publish", "Only the forum’s owners can publish minutes")
    if meeting.is_cancelled:
        raise RuleViolation("This meeting was cancelled: there are no minutes to publish")
    if meeting.starts_at > utcnow():
        raise RuleViolation("You can publish minutes once the meeting has taken place")
    minutes = _clean_body(minutes_md, "minutes", "Enter the minutes")
    kinds = check_child_data("minutes", [minutes], confirmed_no_child_data)
    first = meeting.minutes_published_at is None
    meeting.minutes_md, meeting.minutes_html = minutes, render_markdown(minutes)
    now = utcnow()
    meeting.minutes_published_at = meeting.minutes_published_at or now
    meeting.updated_at = now
    meeting.forum.updated_at = now
    db.session.flush()
    search.index("meeting", meeting.id, meeting.forum_id, meeting.title,
                 search.plain_text(meeting.agenda_html) + " " + search.plain_text(meeting.minutes_html))
    trail.record("forum.minutes_published" if first else "forum.minutes_updated", actor=actor, subject=meeting,
                 audience="public", summary=f"Minutes of “{meeting.title}” {'published' if first else 'updated'}",
                 payload={"sha256": hashlib.sha256(minutes.encode()).hexdigest()})
    _audit_child_data_confirmation(kinds, actor, meeting, "meeting minutes")
    if first:
        registered = list(db.session.scalars(select(User).join(
            MeetingRegistration, MeetingRegistration.user_id == User.id).where(
            MeetingRegistration.meeting_id == meeting.id, MeetingRegistration.status == RegistrationStatus.REGISTERED)))
        watchers = _watchers_of_forum(meeting.forum, ("all",))
        _notify([u for u in registered + watchers if u.id != actor.id],
                f"Minutes published for “{meeting.title}”", "forum.meeting", meeting_id=meeting.id)
    return meeting


def add_meeting_document(meeting: Meeting, actor: User, upload: Upload) -> Attachment:
    """Slides and papers: public like the minutes."""
    if not policy.can_manage_forum(actor, meeting.forum):
        raise _refuse(actor, "forum.meeting_document", "Only the forum’s owners can add meeting documents")
    checked = check_upload(upload, "document")
    attachment = _add_attachment(checked, meeting.forum, actor, meeting=meeting)
    meeting.updated_at = utcnow()
    db.session.flush()
    trail.record("forum.meeting_document_added", actor=actor, subject=meeting, audience="public",
                 summary=f"Document “{attachment.filename}” added to “{meeting.title}”",
                 payload=_attachment_payload(attachment))
    return attachment
