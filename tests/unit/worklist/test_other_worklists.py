""""My work" from the forums (providers, moderators), oversight (auditors) and accounts (administrators)."""
from core.worklist import items_for
from forum import services as forum_services
from tests.unit.tenders.builders import forum_of, meeting_in, need_in


def _section(user, section):
    return [item for item in items_for(user) if item.section == section]


def test_a_provider_sees_its_forums_and_what_is_new_in_them(db, world):
    place = forum_of(world.c1)
    forum_services.join_forum(place, world.p1)
    forum_services.start_thread(place, world.c1, "Timetable for the tender", "Draft timetable")
    assert [i.title for i in _section(world.p1, "My forums")] == [place.title]
    [news] = _section(world.p1, "Unread in my forums")
    assert "Timetable for the tender" in news.title and news.url.startswith("/notifications/")
    assert _section(world.p2, "My forums") == [] and _section(world.p2, "Unread in my forums") == []
    assert _section(world.c1, "My forums") == []  # the forums' items for commissioners are other things


def test_a_provider_sees_the_meetings_it_is_booked_on_and_needs_in_its_categories(db, world):
    place = forum_of(world.c1)
    forum_services.join_forum(place, world.p1)
    meeting = meeting_in(place, world.c1)
    need = need_in(place, world.c1)
    assert _section(world.p1, "Meetings I am booked on") == []
    forum_services.register_for_meeting(meeting, world.p1)
    [booked] = _section(world.p1, "Meetings I am booked on")
    assert booked.url == f"/meetings/{meeting.id}"
    assert [i.url for i in _section(world.p1, "Need statements in my categories")] == [f"/needs/{need.id}"]
    assert _section(world.p2, "Meetings I am booked on") == []
    assert _section(world.p2, "Need statements in my categories") == []  # joined no forum


def test_reported_posts_reach_the_forums_owners_and_administrators_only(db, world):
    place = forum_of(world.c1)
    forum_services.join_forum(place, world.p1)
    thread = forum_services.start_thread(place, world.p1, "A thread", "Something to report")
    post = forum_services.reply(thread, world.p1, "A reply to report")
    forum_services.report_post(post, world.c1, "Names a child")
    for moderator in (world.c1, world.c2, world.admin):
        [item] = _section(moderator, "Reported posts to moderate")
        assert item.title == f"1 reported post in {place.title}" and item.url == f"/forums/{place.slug}/reports"
    for other in (world.other_commissioner, world.p1, world.auditor):
        assert _section(other, "Reported posts to moderate") == []


def test_an_administrator_sees_organisations_to_verify(db, world):
    titles = [i.title for i in _section(world.admin, "Organisations to verify")]
    assert f"Check and verify {world.unverified.organisation.name}" in titles
    assert f"Check and verify {world.p1.organisation.name}" not in titles  # already verified
    assert _section(world.c1, "Organisations to verify") == []


def test_an_auditor_sees_attention_items_and_the_latest_records(db, world):
    from tests.unit.tenders.builders import in_tender

    in_tender(world, declared=False)
    sections = {item.section for item in items_for(world.auditor)}
    assert {"Latest records", "Needs attention: missing declarations of interest"} <= sections
    assert not any(item.section == "Latest records" for item in items_for(world.c1))
    assert not any(item.section.startswith("Needs attention") for item in items_for(world.admin))
