"""Need statements and meetings: publication, capacity and waiting list, attendance, minutes."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.clock import utcnow
from core.errors import NotPermitted, RuleViolation
from forum import policy, queries, services
from forum.models import Meeting, Notification
from trail.models import AuditEvent


def test_commissioner_publishes_need_statement_with_its_own_thread(db, forum, commissioner, need_details):
    need = services.publish_need(forum, commissioner, need_details())
    assert need.thread.forum_id == forum.id and need.thread.title.startswith("Responses:")
    assert [i.category for i in need.items] == ["emotional_wellbeing", "safety"]
    assert need.age_band_labels == ["11 to 15", "16 to 17"]
    assert queries.forum_needs(forum) == [need]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "forum.need_published")).one()
    assert event.audience == "public"


def test_providers_respond_to_a_need_in_its_thread(db, forum, commissioner, member, need_details):
    need = services.publish_need(forum, commissioner, need_details())
    post = services.reply(need.thread, member, "We could open a two-bed home in the borough.")
    assert post.thread_id == need.thread_id


def test_provider_cannot_publish_a_need(db, forum, member, need_details):
    with pytest.raises(NotPermitted):
        services.publish_need(forum, member, need_details())


def test_need_statement_validation_names_each_field(db, forum, commissioner, need_details):
    with pytest.raises(RuleViolation) as exc:
        services.publish_need(forum, commissioner, need_details(
            cohort_size=0, age_bands=[], items=[("behaviour", "", "daily")], budget_min=10, budget_max=5,
            timescale=""))
    assert {"cohort_size", "age_bands", "items", "budget_max", "timescale"} <= set(exc.value.reasons)


def test_need_status_moves_to_being_addressed(db, forum, commissioner, need_details):
    need = services.publish_need(forum, commissioner, need_details())
    services.update_need(need, commissioner, need_details(status="being_addressed"))
    assert need.status == "being_addressed"
    page = queries.needs_page(None, None, "being_addressed", 1)
    assert page.items == [need]
    assert queries.needs_page(None, None, "met", 1).items == []


def test_needs_filter_by_region_and_category(db, forum_factory, commissioner, need_details):
    wales = forum_factory(region="Wales", categories=["short_breaks"])
    north = forum_factory(region="North West", categories=["fostering"])
    in_wales = services.publish_need(wales, commissioner, need_details(title="Wales need"))
    in_north = services.publish_need(north, commissioner, need_details(title="North need"))
    assert queries.needs_page("Wales", None, None, 1).items == [in_wales]
    assert queries.needs_page(None, "fostering", None, 1).items == [in_north]


def test_registering_past_capacity_goes_to_the_waiting_list(db, forum, commissioner, user_factory, meeting_details):
    meeting = services.schedule_meeting(forum, commissioner, meeting_details(capacity=1))
    first, second = user_factory("provider"), user_factory("provider")
    for user in (first, second):
        services.join_forum(forum, user)
    assert services.register_for_meeting(meeting, first).status == "registered"
    assert services.register_for_meeting(meeting, second).status == "waiting"
    with pytest.raises(RuleViolation):
        services.register_for_meeting(meeting, second)


def test_cancelling_gives_the_place_to_the_first_person_waiting(db, forum, commissioner, user_factory,
                                                                meeting_details):
    meeting = services.schedule_meeting(forum, commissioner, meeting_details(capacity=1))
    users = [user_factory("provider") for _ in range(3)]
    for user in users:
        services.join_forum(forum, user)
        services.register_for_meeting(meeting, user)
    promoted = services.cancel_registration(meeting, users[0])
    assert promoted.user_id == users[1].id and promoted.status == "registered"
    assert queries.registration_for(meeting, users[2]).status == "waiting"
    notes = db.session.scalars(select(Notification).where(Notification.user_id == users[1].id)).all()
    assert any("A place came up" in n.text for n in notes)


def test_non_member_cannot_register(db, forum, commissioner, provider, meeting_details):
    meeting = services.schedule_meeting(forum, commissioner, meeting_details())
    with pytest.raises(NotPermitted):
        services.register_for_meeting(meeting, provider)


def test_online_link_is_only_for_registered_attendees(db, forum, commissioner, member, user_factory,
                                                      meeting_details):
    meeting = services.schedule_meeting(forum, commissioner, meeting_details(mode="online"))
    assert not policy.can_see_online_link(member, meeting, queries.registration_for(meeting, member))
    services.register_for_meeting(meeting, member)
    assert policy.can_see_online_link(member, meeting, queries.registration_for(meeting, member))
    assert policy.can_see_online_link(commissioner, meeting, None)


def test_meeting_must_be_in_the_future_and_have_a_place_or_link(db, forum, commissioner, meeting_details):
    with pytest.raises(RuleViolation) as exc:
        services.schedule_meeting(forum, commissioner, meeting_details(days=-1, location=""))
    assert {"date", "location"} <= set(exc.value.reasons)
    with pytest.raises(RuleViolation) as exc:
        services.schedule_meeting(forum, commissioner, meeting_details(mode="online", online_link="javascript:x"))
    assert "online_link" in exc.value.reasons


def _past(meeting):
    """Move a meeting into the past, as time would."""
    meeting.starts_at = utcnow() - timedelta(days=2)
    meeting.ends_at = meeting.starts_at + timedelta(hours=2)


def test_owner_records_attendance_and_publishes_public_minutes(db, forum, commissioner, member, meeting_details):
    meeting = services.schedule_meeting(forum, commissioner, meeting_details())
    services.register_for_meeting(meeting, member)
    with pytest.raises(RuleViolation):
        services.publish_minutes(meeting, commissioner, "Too early")
    _past(meeting)
    assert services.record_attendance(meeting, commissioner, [member.id]) == 1
    assert queries.registration_for(meeting, member).attended is True
    services.publish_minutes(meeting, commissioner, "We agreed to publish the **need**.")
    assert "<strong>need</strong>" in meeting.minutes_html and meeting.minutes_published_at
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "forum.minutes_published")).one()
    assert event.audience == "public"


def test_attendance_only_for_registered_people(db, forum, commissioner, member, meeting_details, user_factory):
    meeting = services.schedule_meeting(forum, commissioner, meeting_details())
    _past(meeting)
    with pytest.raises(RuleViolation):
        services.record_attendance(meeting, commissioner, [user_factory("provider").id])


def test_provider_cannot_publish_minutes(db, forum, commissioner, member, meeting_details):
    meeting = services.schedule_meeting(forum, commissioner, meeting_details())
    _past(meeting)
    with pytest.raises(NotPermitted):
        services.publish_minutes(meeting, member, "Mine")


def test_forum_meetings_split_upcoming_and_past(db, forum, commissioner, meeting_details):
    later = services.schedule_meeting(forum, commissioner, meeting_details(days=3))
    done = services.schedule_meeting(forum, commissioner, meeting_details(days=1))
    _past(done)
    upcoming, past = queries.forum_meetings(forum)
    assert upcoming == [later] and past == [done]
    assert db.session.get(Meeting, done.id) is done


def test_cancelling_a_meeting_tells_everyone_and_closes_registration(db, forum, commissioner, member, user_factory,
                                                                    meeting_details):
    meeting = services.schedule_meeting(forum, commissioner, meeting_details(capacity=1, mode="online"))
    waiting = user_factory("provider")
    services.join_forum(forum, waiting)
    services.register_for_meeting(meeting, member)
    services.register_for_meeting(meeting, waiting)
    with pytest.raises(RuleViolation) as exc:
        services.cancel_meeting(meeting, commissioner, "")
    assert "reason" in exc.value.reasons
    services.cancel_meeting(meeting, commissioner, "The venue flooded")
    assert meeting.is_cancelled
    for user in (member, waiting):
        notes = db.session.scalars(select(Notification).where(Notification.user_id == user.id)).all()
        assert any("is cancelled" in n.text and "venue flooded" in n.text for n in notes)
    assert not policy.can_see_online_link(member, meeting, queries.registration_for(meeting, member))
    late = user_factory("provider")
    services.join_forum(forum, late)
    with pytest.raises(RuleViolation):
        services.register_for_meeting(meeting, late)
    with pytest.raises(RuleViolation):
        services.cancel_meeting(meeting, commissioner, "Again")


def test_providers_cannot_cancel_meetings(db, forum, commissioner, member, meeting_details):
    meeting = services.schedule_meeting(forum, commissioner, meeting_details())
    with pytest.raises(NotPermitted):
        services.cancel_meeting(meeting, member, "Not mine to cancel")
