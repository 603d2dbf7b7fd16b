"""Linking a procurement to a forum, need statements and forum meetings (the engagement notice)."""
import json
from datetime import timedelta

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from core.errors import NotPermitted, RuleViolation
from forum import services as forum_services
from oversight.ocds import _engagement_milestones
from tenders import queries
from tenders.models import EngagementEvent, procurement_need
from tenders.services import links, procurements
from tests.unit.tenders.builders import (
    T0,
    clear_conflicts,
    draft,
    forum_of,
    in_engagement,
    in_tender,
    meeting_in,
    need_in,
)
from trail.models import AuditEvent


def _actions(db, p) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.procurement_id == p.id)
                                   .order_by(AuditEvent.seq)))


def _refusals(db, p) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "security.refused",
                                                            AuditEvent.procurement_id == p.id)))


def test_owning_commissioner_links_own_forum_and_the_change_is_audited_on_the_procurement(db, world):
    p, forum = draft(world), forum_of(world.c1)
    links.link_forum(p, world.c1, forum, now=T0)
    assert p.forum is forum
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "procurement.forum_linked")).one()
    assert event.procurement_id == p.id and json.loads(event.payload)["forum_id"] == forum.id


def test_linking_another_organisations_forum_is_refused_audited_and_changes_nothing(db, world):
    p, theirs = draft(world), forum_of(world.other_commissioner, title="Someone else's forum")
    with pytest.raises(NotPermitted):
        links.link_forum(p, world.c1, theirs, now=T0)
    assert p.forum_id is None
    assert "procurement.forum_linked" not in _actions(db, p)
    assert _refusals(db, p)[0].actor_user_id == world.c1.id


def test_a_member_council_may_link_its_consortiums_forum_and_needs(db, world, org_factory, user_factory):
    consortium = org_factory("consortium", name="Northshire Consortium", verified=True)
    consortium.consortium_members = [world.org]
    manager = user_factory("commissioner", organisation=consortium)
    forum = forum_of(manager, title="Consortium forum")
    need = need_in(forum, manager)
    p = draft(world)
    links.set_links(p, world.c1, forum=forum, needs=[need], now=T0)
    assert p.forum is forum and p.need_statements == [need]


def test_a_co_owned_forum_may_be_linked(db, world):
    forum = forum_of(world.other_commissioner, title="Jointly run forum", co_owner_ids=(world.org.id,))
    p = draft(world)
    links.link_forum(p, world.c2, forum, now=T0)
    assert p.forum_id == forum.id


def test_only_owning_commissioners_link_anything_and_each_refusal_is_audited(db, world):
    p, forum = draft(world), forum_of(world.c1)
    need = need_in(forum, world.c1)
    for person in (world.other_commissioner, world.p1, world.auditor, world.admin):
        with pytest.raises(NotPermitted):
            links.link_forum(p, person, forum, now=T0)
        with pytest.raises(NotPermitted):
            links.link_need_statement(p, person, need, now=T0)
    assert p.forum_id is None and p.need_statements == []
    assert len(_refusals(db, p)) == 8


def test_need_statement_from_an_unowned_forum_is_refused(db, world):
    p = draft(world)
    theirs = forum_of(world.other_commissioner, title="Not ours")
    need = need_in(theirs, world.other_commissioner)
    with pytest.raises(NotPermitted):
        links.link_need_statement(p, world.c1, need, now=T0)
    assert p.need_statements == [] and _refusals(db, p)


def test_set_links_applies_the_difference_with_one_audit_event_per_change(db, world):
    p, forum = draft(world), forum_of(world.c1)
    first, second = need_in(forum, world.c1, title="First need"), need_in(forum, world.c1, title="Second need")
    links.set_links(p, world.c1, forum=forum, needs=[first], now=T0)
    links.set_links(p, world.c1, forum=forum, needs=[second], now=T0)
    links.set_links(p, world.c1, forum=forum, needs=[second], now=T0)  # no change, no event
    assert p.need_statements == [second]
    assert [a for a in _actions(db, p) if a.startswith("procurement.") and "link" in a] == [
        "procurement.forum_linked", "procurement.need_linked", "procurement.need_unlinked", "procurement.need_linked"]
    links.set_links(p, world.c1, forum=None, needs=[], now=T0)
    assert p.forum_id is None and p.need_statements == []
    assert _actions(db, p)[-2:] == ["procurement.forum_unlinked", "procurement.need_unlinked"]


def test_archived_forum_cannot_be_newly_linked(db, world):
    p, forum = draft(world), forum_of(world.c1)
    forum_services.set_forum_status(forum, world.c1, "archived")
    with pytest.raises(RuleViolation) as caught:
        links.link_forum(p, world.c1, forum, now=T0)
    assert "archived" in caught.value.reasons["forum"]
    assert forum not in queries.linkable_forums(p)


def test_links_are_frozen_once_the_tender_is_published(db, world):
    forum = forum_of(world.c1)
    p = in_tender(world)
    with pytest.raises(RuleViolation):
        links.link_forum(p, world.c1, forum, now=T0)
    assert p.forum_id is None


def test_a_forum_meeting_becomes_an_engagement_event_whose_date_time_and_place_come_from_the_meeting(db, world):
    p, forum = draft(world), forum_of(world.c1)
    meeting = meeting_in(forum, world.c1)
    links.link_forum(p, world.c1, forum, now=T0)
    event = links.add_meeting_event(p, world.c1, meeting, now=T0)
    assert event.meeting is meeting and event.when == meeting.starts_at
    assert event.where == "Northshire Town Hall, Room 2"
    recorded = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "engagement.event_added")).one()
    assert recorded.procurement_id == p.id and json.loads(recorded.payload)["meeting_id"] == meeting.id
    notice = procurements.engagement_notice(p)
    assert notice["events"][0]["forum_meeting_id"] == meeting.id and notice["forum"]["id"] == forum.id


def test_online_meeting_event_never_publishes_the_joining_link(db, world):
    p, forum = draft(world), forum_of(world.c1)
    meeting = meeting_in(forum, world.c1, mode="online")
    links.link_forum(p, world.c1, forum, now=T0)
    event = links.add_meeting_event(p, world.c1, meeting, now=T0)
    assert event.where.startswith("Online") and "meet.example.org" not in event.where + event.place


def test_a_cancelled_meeting_shows_as_cancelled_on_the_notice_and_in_ocds(db, world):
    p, forum = draft(world), forum_of(world.c1)
    meeting = meeting_in(forum, world.c1)
    links.link_forum(p, world.c1, forum, now=T0)
    event = links.add_meeting_event(p, world.c1, meeting, now=T0)
    procurements.publish_engagement_notice(p, world.c1, closes_on=(T0 + timedelta(days=30)).date(), now=T0)
    forum_services.cancel_meeting(meeting, world.c1, "Venue unavailable; a new date will follow")
    assert event.is_cancelled and event.cancellation_reason.startswith("Venue unavailable")
    assert procurements.engagement_notice(p)["events"][0]["cancelled"] is True
    milestone = next(m for m in _engagement_milestones(p, meeting.cancelled_at) if m["id"].endswith(str(event.id)))
    assert milestone["status"] == "notMet" and "Cancelled" in milestone["description"]
    before = next(m for m in _engagement_milestones(p, T0) if m["id"].endswith(str(event.id)))
    assert before["status"] == "scheduled"  # earlier releases stay as they were


@pytest.mark.parametrize("problem", ["not linked", "cancelled", "started", "twice"])
def test_meeting_events_must_be_future_uncancelled_meetings_of_the_linked_forum(db, world, problem):
    p, forum = draft(world), forum_of(world.c1)
    other = forum_of(world.c1, title="Another of our forums")
    meeting = meeting_in(other if problem == "not linked" else forum, world.c1)
    links.link_forum(p, world.c1, forum, now=T0)
    now = T0
    if problem == "cancelled":
        forum_services.cancel_meeting(meeting, world.c1, "Called off")
    elif problem == "started":
        now = meeting.starts_at + timedelta(minutes=5)
    elif problem == "twice":
        links.add_meeting_event(p, world.c1, meeting, now=now)
    count = len(p.events)
    with pytest.raises(RuleViolation) as caught:
        links.add_meeting_event(p, world.c1, meeting, now=now)
    assert "meeting" in caught.value.reasons and len(p.events) == count


def test_meeting_of_an_unowned_forum_is_refused_and_audited(db, world):
    p = draft(world)
    theirs = forum_of(world.other_commissioner, title="Their forum")
    meeting = meeting_in(theirs, world.other_commissioner)
    with pytest.raises(NotPermitted):
        links.add_meeting_event(p, world.c1, meeting, now=T0)
    assert p.events == [] and _refusals(db, p)


def test_addable_meetings_are_the_linked_forums_future_uncancelled_ones_not_yet_added(db, world):
    p, forum = draft(world), forum_of(world.c1)
    first, second = meeting_in(forum, world.c1, days=5), meeting_in(forum, world.c1, days=6, title="Second")
    cancelled = meeting_in(forum, world.c1, days=7, title="Cancelled")
    forum_services.cancel_meeting(cancelled, world.c1, "No longer needed")
    assert queries.addable_meetings(p, T0) == []
    links.link_forum(p, world.c1, forum, now=T0)
    links.add_meeting_event(p, world.c1, first, now=T0)
    assert queries.addable_meetings(p, T0) == [second]


def test_forum_and_need_pages_list_only_published_procurements(db, world):
    forum = forum_of(world.c1)
    need = need_in(forum, world.c1)
    drafted, engaged = draft(world), in_engagement(world)
    cancelled_draft = draft(world)
    for p in (drafted, engaged, cancelled_draft):
        links.set_links(p, world.c1, forum=forum, needs=[need], now=T0)
    procurements.close_procurement(cancelled_draft, world.c1, outcome="cancelled", reason="Not needed", now=T0)
    assert queries.published_linked_to_forum(forum.id) == [engaged]
    assert queries.published_linked_to_need(need.id) == [engaged]


def test_the_database_refuses_links_to_rows_that_do_not_exist(db, world):
    p = draft(world)
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.execute(insert(procurement_need).values(procurement_id=p.id, need_statement_id=999_999))
    with pytest.raises(IntegrityError), db.session.begin_nested():
        p.forum_id = 999_999
        db.session.flush()
    db.session.expire(p)


def test_the_same_meeting_cannot_be_stored_twice_on_one_procurement(db, world):
    p, forum = draft(world), forum_of(world.c1)
    meeting = meeting_in(forum, world.c1)
    links.link_forum(p, world.c1, forum, now=T0)
    event = links.add_meeting_event(p, world.c1, meeting, now=T0)
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(EngagementEvent(procurement_id=p.id, title="Copy", starts_at=event.starts_at,
                                       place="x", meeting_id=meeting.id, created_at=T0))
        db.session.flush()


def test_ocds_releases_with_a_cancelled_meeting_event_still_validate_and_say_not_met(db, world):
    from core.clock import utcnow
    from oversight import ocds, ocds_services
    from tests.unit.audit_ocds.ocds_schema import assert_valid_package

    p, forum = draft(world), forum_of(world.c1)
    meeting = meeting_in(forum, world.c1)
    links.link_forum(p, world.c1, forum, now=T0)
    event = links.add_meeting_event(p, world.c1, meeting, now=T0)
    procurements.publish_engagement_notice(p, world.c1, closes_on=(T0 + timedelta(days=30)).date(), now=T0)
    forum_services.cancel_meeting(meeting, world.c1, "Venue unavailable")
    later = utcnow().replace(microsecond=0) + timedelta(hours=1)
    clear_conflicts(world, p, now=later)
    procurements.publish_tender(p, world.c1, clarification_deadline=later + timedelta(days=5),
                                response_deadline=later + timedelta(days=20), now=later)
    releases = ocds_services.procurement_releases(p.id)
    assert_valid_package(ocds.package(releases, uri="https://commons.example/api/v1/ocds/releases.json",
                                      published_date=ocds_services.latest_date(releases)))
    status = [next(m["status"] for m in r["planning"]["milestones"] if m["id"] == f"engagement-event-{event.id}")
              for r in releases]
    assert status == ["scheduled", "notMet"]  # the engagement release as published then; the tender release after


def test_a_linked_forum_archived_later_stays_linked_when_the_links_are_saved_again(db, world):
    p, forum = draft(world), forum_of(world.c1)
    need = need_in(forum, world.c1)
    links.set_links(p, world.c1, forum=forum, needs=[], now=T0)
    forum_services.set_forum_status(forum, world.c1, "archived")
    links.set_links(p, world.c1, forum=forum, needs=[need], now=T0)
    assert p.forum_id == forum.id and p.need_statements == [need]
