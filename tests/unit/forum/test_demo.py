"""The demo's forum data, loaded through the services."""
from __future__ import annotations

from sqlalchemy import func, select

from core.clock import utcnow
from demo.load import load_demo
from forum.models import Forum, Meeting, MeetingRegistration, ModerationEntry, NeedStatement, Post, Thread
from trail.models import AuditEvent


def test_demo_has_forums_threads_meetings_needs_and_a_hidden_post(db):
    assert load_demo()
    count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
    assert count(Forum) >= 3 and count(Thread) >= 5 and count(NeedStatement) >= 2
    assert db.session.scalar(select(func.count()).select_from(Post).where(Post.hidden_at.is_not(None))) == 1
    assert count(ModerationEntry) == 1
    now = utcnow()
    past = db.session.scalars(select(Meeting).where(Meeting.ends_at < now)).all()
    future = db.session.scalars(select(Meeting).where(Meeting.starts_at > now)).all()
    assert past and all(m.minutes_html for m in past)
    assert any(db.session.scalar(select(func.count()).select_from(MeetingRegistration).where(
        MeetingRegistration.meeting_id == m.id, MeetingRegistration.status == "registered")) for m in future)
    assert db.session.scalar(select(func.count()).select_from(MeetingRegistration).where(
        MeetingRegistration.status == "waiting")) >= 1
    assert {f.status for f in db.session.scalars(select(Forum))} == {"open", "closed"}
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "forum.child_data_confirmed")) == 1
