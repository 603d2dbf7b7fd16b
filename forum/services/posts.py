"""Threads and posts: starting a thread, replying and editing, with mentions and the quiet-period rule."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

import trail
from accounts.models import Organisation, User
from core.clock import utcnow
from core.errors import NotPermitted, RuleViolation
from core.extensions import db
from core.markdown import render_markdown
from core.safeguarding import check_child_data
from forum import mentions, policy, search
from forum.attachments import Upload, check_upload
from forum.models import Forum, ForumMembership, Post, PostRevision, Thread
from forum.queries import is_member
from forum.services._common import (
    add_attachment,
    attachment_payload,
    audit_child_data_confirmation,
    check_quiet_period,
    clean_body,
    clean_title,
    refuse,
)
from forum.services.notifications import ensure_watch, notify, watchers_for_reply, watchers_of_forum


def _require_post_rights(forum: Forum, actor: User, attempted: str) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise NotPermitted("Sign in to post")
    if not forum.is_open:
        raise RuleViolation(f"This forum is {forum.status_label.lower()}: it no longer takes new posts")
    if not policy.can_post(actor, forum, is_member(actor, forum)):
        raise refuse(actor, attempted, "Join the forum to post in it")


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
    notify(people, f"{actor.full_name} ({actor.organisation.name}) mentioned your organisation in "
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
    title = clean_title(title)
    body = clean_body(body_md)
    check_quiet_period(actor, {"title": title, "body": body}, "forum.thread_start")
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
        payload["attachment"] = attachment_payload(add_attachment(checked, forum, actor, post=post))
    ensure_watch(actor, thread=thread)
    trail.record("forum.thread_started", actor=actor, subject=thread, audience="public",
                 summary=f"{actor.full_name} started “{title}” in “{forum.title}”", payload=payload)
    audit_child_data_confirmation(kinds, actor, post, "a new thread")
    watchers = [u for u in watchers_of_forum(forum, ("all", "new_threads")) if u.id != actor.id]
    notify(watchers, f"New thread in {forum.title}: {title}", "forum.thread", slug=forum.slug,
            thread_id=thread.id)
    _notify_mentions(post, actor, mentioned, {u.id for u in watchers})
    return thread


def reply(thread: Thread, actor: User, body_md: str, quoted_post: Post | None = None,
          confirmed_no_child_data: bool = False, attachment: Upload | None = None) -> Post:
    forum = thread.forum
    _require_post_rights(forum, actor, "forum.reply")
    body = clean_body(body_md)
    check_quiet_period(actor, {"body": body}, "forum.reply")
    if quoted_post is not None and (quoted_post.thread_id != thread.id or quoted_post.is_hidden):
        raise RuleViolation({"body": "You can only quote a visible post from this thread"})
    checked = check_upload(attachment) if attachment else None
    kinds = check_child_data("body", [body], confirmed_no_child_data)
    post, mentioned = _new_post(thread, actor, body, quoted_post)
    payload: dict[str, Any] = {"thread_id": thread.id, "post_id": post.id,
                               "quoted_post_id": quoted_post.id if quoted_post else None,
                               "mentioned_organisation_ids": [o.id for o in mentioned]}
    if checked:
        payload["attachment"] = attachment_payload(add_attachment(checked, forum, actor, post=post))
    trail.record("forum.post_created", actor=actor, subject=post, audience="public",
                 summary=f"{actor.full_name} replied in “{thread.title}”", payload=payload)
    audit_child_data_confirmation(kinds, actor, post, "a reply")
    watchers = [u for u in watchers_for_reply(thread) if u.id != actor.id]
    ensure_watch(actor, thread=thread)
    notify(watchers, f"{actor.full_name} ({actor.organisation.name}) replied in “{thread.title}”",
            "forum.post_permalink", post_id=post.id)
    _notify_mentions(post, actor, mentioned, {u.id for u in watchers})
    return post


def edit_post(post: Post, actor: User, body_md: str, confirmed_no_child_data: bool = False) -> Post:
    """Change a post, keeping every earlier version as a revision anyone can diff."""
    if not policy.can_edit_post(actor, post):
        raise refuse(actor, "forum.post_edit", "You can only edit your own visible posts in an open forum")
    body = clean_body(body_md)
    if body == post.body_md:
        raise RuleViolation({"body": "You have not changed anything"})
    check_quiet_period(actor, {"body": body}, "forum.post_edit")
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
    audit_child_data_confirmation(kinds, actor, post, "an edited post")
    return post
