"""Read-only lookups for forum pages and feeds.

Pages load what they show in a fixed number of queries (eager loading, one
query per list), so a thread of a thousand posts costs what a thread of ten does.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import abort, url_for
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, load_only, selectinload

from accounts.models import COMMISSIONING_KINDS, Organisation, User, Viewer
from core.clock import utcnow
from core.extensions import db
from core.readable_diff import ReadableDiff, readable_diff
from forum import hooks, search
from forum.models import (
    CATEGORIES,
    NEED_STATUSES,
    REGIONS,
    Attachment,
    Forum,
    ForumMembership,
    Meeting,
    MeetingRegistration,
    ModerationEntry,
    NeedStatement,
    NotificationSetting,
    Post,
    PostReport,
    PostRevision,
    Thread,
    Watch,
)

POSTS_PER_PAGE = 25
THREADS_PER_PAGE = 20


def forum_or_404(slug: str) -> Forum:
    forum = db.session.scalar(select(Forum).where(Forum.slug == slug).options(
        selectinload(Forum.owners), selectinload(Forum.category_rows)))
    if forum is None:
        abort(404)
    return forum


def thread_or_404(forum: Forum, thread_id: int) -> Thread:
    thread = db.session.get(Thread, thread_id)
    if thread is None or thread.forum_id != forum.id:
        abort(404)
    return thread


def forums_page(region: str | None, category: str | None, page: int) -> Pagination:
    query = select(Forum).options(selectinload(Forum.owners), selectinload(Forum.category_rows)) \
        .order_by(Forum.status != "open", Forum.updated_at.desc(), Forum.id.desc())
    if region in REGIONS:
        query = query.where(Forum.region == region)
    if category in CATEGORIES:
        query = query.where(Forum.category_rows.any(category=category))
    return db.paginate(query, page=page, per_page=20, error_out=False)


@dataclass
class Listing:
    url: str
    title: str


def open_forums_listing() -> list[Listing]:
    """For the front page: the most recently active open forums."""
    forums = db.session.scalars(select(Forum).where(Forum.status == "open")
                                .order_by(Forum.updated_at.desc()).limit(10))
    return [Listing(url=url_for("forum.forum", slug=f.slug), title=f.title) for f in forums]


def commissioning_organisations() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).where(Organisation.kind.in_(COMMISSIONING_KINDS))
                                   .order_by(Organisation.name)))


def need_thread_ids(forum: Forum) -> set[int]:
    return set(db.session.scalars(select(NeedStatement.thread_id).where(NeedStatement.forum_id == forum.id)))


def forum_threads(forum: Forum, page: int) -> Pagination:
    """Discussion threads, most recently active first (need statements' threads are listed with their needs)."""
    query = select(Thread).where(Thread.forum_id == forum.id,
                                 Thread.id.not_in(select(NeedStatement.thread_id))) \
        .options(joinedload(Thread.author).joinedload(User.organisation)) \
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
    return db.paginate(query, page=page, per_page=THREADS_PER_PAGE, error_out=False)


def forum_needs(forum: Forum) -> list[NeedStatement]:
    return list(db.session.scalars(select(NeedStatement).where(NeedStatement.forum_id == forum.id)
                                   .options(selectinload(NeedStatement.items))
                                   .order_by(NeedStatement.status != "open", NeedStatement.created_at.desc())))


def forum_meetings(forum: Forum) -> tuple[list[Meeting], list[Meeting]]:
    """(upcoming soonest first, past most recent first)."""
    now = utcnow()
    meetings = list(db.session.scalars(select(Meeting).where(Meeting.forum_id == forum.id)
                                       .order_by(Meeting.starts_at)))
    return [m for m in meetings if m.ends_at >= now], [m for m in reversed(meetings) if m.ends_at < now]


UPCOMING_MEETINGS_LIMIT = 200


def upcoming_meetings(now: datetime) -> list[Meeting]:
    """Every forum's meetings that have not yet ended, soonest first (cancelled ones too, marked as such).

    Capped, so a busy year cannot make the page or its calendar unbounded; the soonest are the ones that matter.
    """
    return list(db.session.scalars(
        select(Meeting).where(Meeting.ends_at >= now).options(selectinload(Meeting.forum).selectinload(Forum.owners))
        .order_by(Meeting.starts_at, Meeting.id).limit(UPCOMING_MEETINGS_LIMIT)))


def linked_procurements(forum: Forum) -> list[Any]:
    """Published procurements linked to this forum (registered by the tenders package), newest first."""
    return hooks.procurements_linked_to_forum(forum.id)


def need_procurements(need: NeedStatement) -> list[Any]:
    """Published procurements that say they answer this need statement, newest first."""
    return hooks.procurements_linked_to_need(need.id)


def member_count(forum: Forum) -> int:
    return db.session.scalar(select(func.count()).select_from(ForumMembership)
                             .where(ForumMembership.forum_id == forum.id)) or 0


def member_organisations(forum: Forum) -> list[Organisation]:
    return list(db.session.scalars(
        select(Organisation).join(User, User.organisation_id == Organisation.id)
        .join(ForumMembership, ForumMembership.user_id == User.id)
        .where(ForumMembership.forum_id == forum.id).distinct().order_by(Organisation.name)))


def is_member(user: Viewer, forum: Forum) -> bool:
    """Membership is the only thing besides ownership that lets someone take part."""
    if not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(select(ForumMembership.id).where(
        ForumMembership.forum_id == forum.id, ForumMembership.user_id == user.id)) is not None


def registration_for(meeting: Meeting, user: Viewer) -> MeetingRegistration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(MeetingRegistration).where(
        MeetingRegistration.meeting_id == meeting.id, MeetingRegistration.user_id == user.id))


def email_mode(user: Viewer) -> str:
    """Immediate email unless the person chose otherwise."""
    setting = db.session.get(NotificationSetting, user.id)
    return setting.email_mode if setting else "immediate"


def watch_level(user: Viewer, *, forum: Forum | None = None, thread: Thread | None = None) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    query = select(Watch.level).where(Watch.user_id == user.id)
    if thread is not None:
        query = query.where(Watch.thread_id == thread.id)
    elif forum is not None:
        query = query.where(Watch.forum_id == forum.id, Watch.thread_id.is_(None))
    else:
        raise ValueError("watch_level needs the forum or the thread watched")
    return db.session.scalar(query)


def thread_posts(thread: Thread, page: int) -> Pagination:
    """One page of posts with authors, organisations, quoted posts and attachments: a fixed number of queries."""
    query = select(Post).where(Post.thread_id == thread.id).order_by(Post.id).options(
        joinedload(Post.author).joinedload(User.organisation),
        joinedload(Post.quoted_post).joinedload(Post.author),
        selectinload(Post.attachments).load_only(Attachment.id, Attachment.filename, Attachment.kind,
                                                 Attachment.size, Attachment.post_id),
    )
    return db.paginate(query, page=page, per_page=POSTS_PER_PAGE, error_out=False)


def post_or_404(post_id: int) -> Post:
    post = db.session.scalar(select(Post).where(Post.id == post_id).options(
        joinedload(Post.thread).joinedload(Thread.forum), joinedload(Post.author)))
    if post is None:
        abort(404)
    return post


def post_page_number(post: Post) -> int:
    before = db.session.scalar(select(func.count()).select_from(Post)
                               .where(Post.thread_id == post.thread_id, Post.id < post.id)) or 0
    return before // POSTS_PER_PAGE + 1


def need_for_thread(thread: Thread) -> NeedStatement | None:
    return db.session.scalar(select(NeedStatement).where(NeedStatement.thread_id == thread.id)
                             .options(selectinload(NeedStatement.items)))


def revisions(post: Post) -> list[PostRevision]:
    return list(db.session.scalars(select(PostRevision).where(PostRevision.post_id == post.id)
                                   .options(joinedload(PostRevision.editor)).order_by(PostRevision.number)))


def diff_revisions(older: PostRevision, newer: PostRevision) -> ReadableDiff:
    """From one revision to another, for people to read: changed lines paired, changed words marked."""
    return readable_diff(older.body_md, newer.body_md, f"Version {older.number}", f"Version {newer.number}",
                         first_section="The post")


def open_reports(forum: Forum) -> list[PostReport]:
    """Reports still waiting for a moderator, oldest first."""
    return list(db.session.scalars(
        select(PostReport).join(Post, Post.id == PostReport.post_id).join(Thread, Thread.id == Post.thread_id)
        .where(Thread.forum_id == forum.id, PostReport.resolved_at.is_(None))
        .options(joinedload(PostReport.post).joinedload(Post.author),
                 joinedload(PostReport.post).joinedload(Post.thread),
                 joinedload(PostReport.reporter).joinedload(User.organisation))
        .order_by(PostReport.created_at, PostReport.id)))


def report_or_404(report_id: int) -> PostReport:
    report = db.session.get(PostReport, report_id)
    if report is None:
        abort(404)
    return report


def moderation_log(forum: Forum, page: int) -> Pagination:
    query = select(ModerationEntry).where(ModerationEntry.forum_id == forum.id) \
        .options(joinedload(ModerationEntry.actor).joinedload(User.organisation),
                 joinedload(ModerationEntry.post).joinedload(Post.thread)) \
        .order_by(ModerationEntry.created_at.desc(), ModerationEntry.id.desc())
    return db.paginate(query, page=page, per_page=50, error_out=False)


def needs_page(region: str | None, category: str | None, status: str | None, page: int) -> Pagination:
    query = select(NeedStatement).join(Forum, Forum.id == NeedStatement.forum_id) \
        .options(selectinload(NeedStatement.items), joinedload(NeedStatement.forum)) \
        .order_by(NeedStatement.status != "open", NeedStatement.created_at.desc(), NeedStatement.id.desc())
    if region in REGIONS:
        query = query.where(Forum.region == region)
    if category in CATEGORIES:
        query = query.where(Forum.category_rows.any(category=category))
    if status in NEED_STATUSES:
        query = query.where(NeedStatement.status == status)
    return db.paginate(query, page=page, per_page=20, error_out=False)


def need_or_404(need_id: int) -> NeedStatement:
    need = db.session.get(NeedStatement, need_id)
    if need is None:
        abort(404)
    return need


def meeting_or_404(meeting_id: int) -> Meeting:
    meeting = db.session.scalar(select(Meeting).where(Meeting.id == meeting_id).options(
        joinedload(Meeting.forum)))
    if meeting is None:
        abort(404)
    return meeting


def meeting_registrations(meeting: Meeting) -> list[MeetingRegistration]:
    return list(db.session.scalars(
        select(MeetingRegistration).where(MeetingRegistration.meeting_id == meeting.id,
                                          MeetingRegistration.status != "cancelled")
        .options(joinedload(MeetingRegistration.user).joinedload(User.organisation))
        .order_by(MeetingRegistration.status != "registered", MeetingRegistration.registered_at,
                  MeetingRegistration.id)))


def meeting_documents(meeting: Meeting) -> list[Attachment]:
    return list(db.session.scalars(select(Attachment).where(Attachment.meeting_id == meeting.id)
                                   .options(load_only(Attachment.id, Attachment.filename, Attachment.kind,
                                                      Attachment.size, Attachment.meeting_id))
                                   .order_by(Attachment.id)))


def attachment_or_404(attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        abort(404)
    if attachment.post_id is not None:
        post = db.session.get(Post, attachment.post_id)
        if post is None or post.is_hidden:  # a hidden post's files are hidden with it
            abort(404)
    return attachment


# ---------------------------------------------------------------- search results


@dataclass
class SearchResult:
    kind_label: str
    url: str
    title: Any
    snippet: Any
    forum_title: str  # "" for results outside the forums (procurements)
    organisation: str = ""  # who wrote it, or whose it is
    when: datetime | None = None  # when it was written, or when a meeting is


# A matching post stands for its thread (search returns one result per thread), so it is labelled as one.
KIND_LABELS = {"forum": "Forum", "thread": "Thread", "post": "Thread", "need": "Need statement",
               "meeting": "Meeting"}


@dataclass
class SearchPage:
    results: list[SearchResult]
    total: int
    more: bool  # over search.RANK_LIMIT matches: most recent first, and only that many can be paged through
    elsewhere: list[SearchResult] = field(default_factory=list)  # published procurements, on page one only


def _by_id(model: Any, ids: set[int], *options: Any) -> dict[int, Any]:
    if not ids:
        return {}
    return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)).options(*options))}


def search_results(query: str, page: int, per_page: int = 20) -> SearchPage:
    """One page of forum results, each with its type, organisation and date; on page one, matches elsewhere."""
    found = search.search(query, page, per_page)
    hits = found.hits
    forums = _by_id(Forum, {h.forum_id for h in hits}, selectinload(Forum.owners))
    ids = {kind: {h.ref_id for h in hits if h.kind == kind} for kind in KIND_LABELS}
    threads = _by_id(Thread, ids["thread"], joinedload(Thread.author).joinedload(User.organisation))
    posts = _by_id(Post, ids["post"], joinedload(Post.author).joinedload(User.organisation))
    needs = _by_id(NeedStatement, ids["need"], joinedload(NeedStatement.author).joinedload(User.organisation))
    meetings = _by_id(Meeting, ids["meeting"])
    results = []
    for hit in hits:
        forum = forums.get(hit.forum_id)
        if forum is None:
            continue
        owners = ", ".join(o.name for o in forum.owners)
        organisation, when = owners, None
        if hit.kind == "forum":
            url, when = url_for("forum.forum", slug=forum.slug), forum.created_at
        elif hit.kind == "thread":
            url = url_for("forum.thread", slug=forum.slug, thread_id=hit.ref_id)
            if (thread := threads.get(hit.ref_id)) is not None:
                organisation, when = thread.author.organisation.name, thread.created_at
        elif hit.kind == "post":
            url = url_for("forum.post_permalink", post_id=hit.ref_id)
            if (post := posts.get(hit.ref_id)) is not None:
                organisation, when = post.author.organisation.name, post.created_at
        elif hit.kind == "need":
            url = url_for("forum.need", need_id=hit.ref_id)
            if (need := needs.get(hit.ref_id)) is not None:
                organisation, when = need.author.organisation.name, need.updated_at
        else:
            url = url_for("forum.meeting", meeting_id=hit.ref_id)
            if (meeting := meetings.get(hit.ref_id)) is not None:
                when = meeting.starts_at
        results.append(SearchResult(KIND_LABELS.get(hit.kind, hit.kind), url, hit.title, hit.snippet, forum.title,
                                    organisation, when))
    elsewhere = [SearchResult("Procurement", url_for("tenders.show", procurement_id=p.id), p.title,
                              f"{p.reference} · {p.stage_label}", "", p.owner.name,
                              p.tender_published_at or p.engagement_published_at)
                 for p in hooks.search_procurements(search.terms(query))] if max(page, 1) == 1 else []
    return SearchPage(results, found.total, found.more, elsewhere)


# ---------------------------------------------------------------- feeds


@dataclass
class FeedEntry:
    id_path: str
    title: str
    summary: str
    content_html: str
    link_endpoint: str
    link_values: dict[str, Any]
    published: datetime
    updated: datetime
    forum_title: str


def forum_feed_entries(forum: Forum | None, limit: int = 50) -> list[FeedEntry]:
    """Threads, need statements and meetings (with minutes), newest change first."""
    entries: list[FeedEntry] = []
    thread_q = select(Thread, Forum.title, Forum.slug).join(Forum, Forum.id == Thread.forum_id) \
        .where(Thread.id.not_in(select(NeedStatement.thread_id))) \
        .order_by(Thread.last_activity_at.desc()).limit(limit)
    need_q = select(NeedStatement, Forum.title).join(Forum, Forum.id == NeedStatement.forum_id) \
        .order_by(NeedStatement.updated_at.desc()).limit(limit)
    meeting_q = select(Meeting, Forum.title).join(Forum, Forum.id == Meeting.forum_id) \
        .order_by(Meeting.updated_at.desc()).limit(limit)
    if forum is not None:
        thread_q = thread_q.where(Thread.forum_id == forum.id)
        need_q = need_q.where(NeedStatement.forum_id == forum.id)
        meeting_q = meeting_q.where(Meeting.forum_id == forum.id)
    for thread, forum_title, slug in db.session.execute(thread_q).all():
        text = f"{thread.post_count} post{'s' if thread.post_count != 1 else ''}, last active " \
               f"{thread.last_activity_at:%-d %B %Y %H:%M} UTC"
        entries.append(FeedEntry(f"thread/{thread.id}", thread.title, text, f"<p>{text}</p>", "forum.thread",
                                 {"slug": slug, "thread_id": thread.id}, thread.created_at,
                                 thread.last_activity_at, forum_title))
    for need, forum_title in db.session.execute(need_q).all():
        entries.append(FeedEntry(f"need/{need.id}", f"Need statement: {need.title}",
                                 f"{need.cohort_label}; status {need.status_label.lower()}",
                                 need.gaps_html, "forum.need", {"need_id": need.id}, need.created_at,
                                 need.updated_at, forum_title))
    for meeting, forum_title in db.session.execute(meeting_q).all():
        label = "Cancelled: " if meeting.is_cancelled else "Minutes: " if meeting.minutes_published_at else "Meeting: "
        entries.append(FeedEntry(f"meeting/{meeting.id}", label + meeting.title,
                                 f"{meeting.mode_label}, {meeting.starts_at:%-d %B %Y %H:%M} UTC",
                                 meeting.minutes_html or meeting.agenda_html, "forum.meeting",
                                 {"meeting_id": meeting.id}, meeting.created_at, meeting.updated_at, forum_title))
    entries.sort(key=lambda e: e.updated, reverse=True)
    return entries[:limit]


def feed_stamp(forum: Forum | None) -> tuple[datetime | None, int]:
    """The latest change and a count, enough for an ETag that changes whenever the feed does."""
    forum_q = select(func.max(Forum.updated_at), func.count(Forum.id))
    meeting_q = select(func.max(Meeting.updated_at), func.count(Meeting.id))
    thread_q = select(func.max(Thread.last_activity_at), func.count(Thread.id))
    need_q = select(func.max(NeedStatement.updated_at), func.count(NeedStatement.id))
    if forum is not None:
        forum_q = forum_q.where(Forum.id == forum.id)
        meeting_q = meeting_q.where(Meeting.forum_id == forum.id)
        thread_q = thread_q.where(Thread.forum_id == forum.id)
        need_q = need_q.where(NeedStatement.forum_id == forum.id)
    latest: datetime | None = None
    count = 0
    for query in (forum_q, meeting_q, thread_q, need_q):
        stamp, n = db.session.execute(query).one()
        count += n or 0
        if stamp is not None and (latest is None or stamp > latest):
            latest = stamp
    return latest, count


def forum_meetings_for_calendar(forum: Forum) -> list[Meeting]:
    return list(db.session.scalars(select(Meeting).where(Meeting.forum_id == forum.id).order_by(Meeting.starts_at)))
