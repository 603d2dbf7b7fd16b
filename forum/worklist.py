"""What the forums give "My work": a provider's forums, forum news, booked meetings and matching needs;
the reports waiting for a moderator.

Each provider runs a fixed number of bounded, indexed queries, whatever the
number of posts.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import func, select

from accounts.models import Notification, User, Viewer
from accounts.policy import is_admin, is_commissioner, is_provider
from core.clock import utcnow
from core.extensions import db
from core.timezones import uk_time
from core.urls import url_for_path
from core.worklist import WorkItem, provides
from forum.models import (
    Forum,
    ForumCategory,
    ForumMembership,
    Meeting,
    MeetingRegistration,
    NeedStatement,
    Post,
    PostReport,
    Thread,
    forum_owner,
)

LIMIT = 20
NEW_NEEDS_DAYS = 60
FORUM_NEWS = "forum.activity"  # the event of every forum notification


def _my_forum_ids(user: User) -> list[int]:
    return list(db.session.scalars(select(ForumMembership.forum_id).where(ForumMembership.user_id == user.id)
                                   .order_by(ForumMembership.forum_id).limit(200)))


@provides
def provider_forums(user: Viewer) -> Iterator[WorkItem]:
    """The forums I joined, then what is new in them (my unread forum notifications)."""
    if not is_provider(user):
        return
    forums = db.session.scalars(select(Forum).join(ForumMembership, ForumMembership.forum_id == Forum.id)
                        .where(ForumMembership.user_id == user.id, Forum.status == "open")
                        .order_by(Forum.updated_at.desc()).limit(LIMIT))
    for forum in forums:
        yield WorkItem("My forums", forum.title, url_for_path("forum.forum", slug=forum.slug),
                       f"Last activity {uk_time(forum.updated_at)}")
    news = db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None), Notification.event == FORUM_NEWS)
        .order_by(Notification.id.desc()).limit(LIMIT))
    for note in news:
        yield WorkItem("Unread in my forums", note.text,
                       url_for_path("accounts.open_notification", notification_id=note.id),
                       uk_time(note.created_at))


@provides
def provider_meetings(user: Viewer) -> Iterator[WorkItem]:
    """Meetings I am booked on that have not yet ended."""
    if not is_provider(user):
        return
    booked = select(MeetingRegistration.meeting_id).where(MeetingRegistration.user_id == user.id,
                                                          MeetingRegistration.status == "registered")
    meetings = db.session.scalars(select(Meeting).where(
        Meeting.id.in_(booked), Meeting.ends_at >= utcnow(), Meeting.cancelled_at.is_(None))
        .order_by(Meeting.starts_at).limit(LIMIT))
    for meeting in meetings:
        yield WorkItem("Meetings I am booked on", meeting.title, url_for_path("forum.meeting", meeting_id=meeting.id),
                       uk_time(meeting.starts_at), due=meeting.starts_at)


@provides
def provider_needs(user: Viewer) -> Iterator[WorkItem]:
    """Open need statements of the last few weeks in forums that share a category with a forum I joined."""
    if not is_provider(user):
        return
    forum_ids = _my_forum_ids(user)
    if not forum_ids:
        return
    categories = select(ForumCategory.category).where(ForumCategory.forum_id.in_(forum_ids))
    forums = select(ForumCategory.forum_id).where(ForumCategory.category.in_(categories))
    needs = db.session.scalars(select(NeedStatement).where(
        NeedStatement.status == "open", NeedStatement.created_at >= utcnow() - timedelta(days=NEW_NEEDS_DAYS),
        NeedStatement.forum_id.in_(forums)).order_by(NeedStatement.created_at.desc()).limit(LIMIT))
    for need in needs:
        yield WorkItem("Need statements in my categories", need.title, url_for_path("forum.need", need_id=need.id),
                       f"Published {uk_time(need.created_at)}")


@provides
def reports_to_moderate(user: Viewer) -> Iterator[WorkItem]:
    """Reported posts, per forum: every forum for an administrator, the forums it owns for a commissioner."""
    if not (is_admin(user) or is_commissioner(user)):
        return
    query = (select(Forum.slug, Forum.title, func.count(PostReport.id), func.min(PostReport.created_at))
             .select_from(PostReport).join(Post, Post.id == PostReport.post_id)
             .join(Thread, Thread.id == Post.thread_id).join(Forum, Forum.id == Thread.forum_id)
             .where(PostReport.resolved_at.is_(None)))
    if not is_admin(user):
        owned = select(forum_owner.c.forum_id).where(forum_owner.c.organisation_id == user.organisation_id)
        query = query.where(Forum.id.in_(owned))
    rows = db.session.execute(query.group_by(Forum.id, Forum.slug, Forum.title)
                           .order_by(func.min(PostReport.created_at)).limit(LIMIT))
    for slug, title, count, oldest in rows:
        yield WorkItem("Reported posts to moderate", f"{count} reported post{'s' if count != 1 else ''} in {title}",
                       url_for_path("forum.reports", slug=slug), f"Oldest reported {uk_time(oldest)}")
