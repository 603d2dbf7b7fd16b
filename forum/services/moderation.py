"""Moderation: reports on posts, and hiding a post with a public reason."""
from __future__ import annotations

from sqlalchemy import select

import trail
from accounts.models import User
from core.clock import utcnow
from core.errors import RuleViolation
from core.extensions import db
from forum import policy, search
from forum.models import Forum, ModerationEntry, Post, PostReport
from forum.queries import is_member
from forum.services._common import refuse
from forum.services.notifications import notify


def report_post(post: Post, actor: User, reason: str) -> PostReport:
    forum = post.thread.forum
    if not policy.can_report(actor, forum, is_member(actor, forum)):
        raise refuse(actor, "forum.post_report", "Join the forum to report posts")
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
    notify(moderators, f"A post in “{post.thread.title}” was reported: {reason[:200]}",
            "forum.post_permalink", post_id=post.id)
    return report


def dismiss_report(report: PostReport, actor: User) -> PostReport:
    """A moderator decides a report needs no action; the post stays, the decision is on the record."""
    forum = report.post.thread.forum
    if not policy.can_moderate(actor, forum):
        raise refuse(actor, "forum.report_dismiss", "Only the forum’s owners and administrators can act on reports")
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
        raise refuse(actor, "forum.post_hide", "Only the forum’s owners and administrators can hide posts")
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
    notify([post.author], f"Your post in “{post.thread.title}” was hidden by a moderator. Reason: {reason}",
            "forum.moderation_log", slug=forum.slug)
    return entry
