"""Finding things: the header links, the cross-forum meetings list and its calendars, and search results."""
from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from core.clock import utcnow
from forum import services


def test_header_links_to_needs_meetings_and_search_on_every_page(client):
    html = client.get("/tenders").get_data(as_text=True)
    for href, text in (("/needs", "Needs"), ("/meetings", "Meetings"), ("/search", "Search")):
        assert f'href="{href}"' in html and f">{text}<" in html.replace("\n", "").replace("  ", "")


def test_upcoming_meetings_from_every_forum_are_listed_soonest_first_with_one_calendar(
        client, forum_factory, commissioner, meeting_details, db):
    first, second = forum_factory(title="Fostering forum"), forum_factory(title="Short breaks forum")
    later = services.schedule_meeting(first, commissioner, meeting_details(title="Later meeting", days=20))
    sooner = services.schedule_meeting(second, commissioner, meeting_details(title="Sooner meeting", days=3))
    past = services.schedule_meeting(first, commissioner, meeting_details(title="Already happened", days=5))
    past.starts_at, past.ends_at = utcnow() - timedelta(days=2), utcnow() - timedelta(days=2, hours=-2)
    db.session.flush()
    html = client.get("/meetings").get_data(as_text=True)
    assert html.index("Sooner meeting") < html.index("Later meeting") and "Already happened" not in html
    assert "Fostering forum" in html and "Short breaks forum" in html
    assert f'href="/meetings/{sooner.id}/calendar.ics"' in html
    response = client.get("/meetings.ics")
    assert response.mimetype == "text/calendar"
    events = [e for e in Calendar.from_ical(response.data).walk("VEVENT")]
    assert [str(e["summary"]) for e in events] == ["Sooner meeting", "Later meeting"]
    assert {str(e["uid"]) for e in events} == {f"forum-meeting-{sooner.id}@localhost",
                                               f"forum-meeting-{later.id}@localhost"}


def test_each_meeting_has_add_to_calendar_as_a_single_ics_event(client, forum, commissioner, meeting_details):
    meeting = services.schedule_meeting(forum, commissioner, meeting_details(title="Briefing", mode="online"))
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f'href="/meetings/{meeting.id}/calendar.ics"' in page and "Add to calendar" in page
    response = client.get(f"/meetings/{meeting.id}/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    (event,) = Calendar.from_ical(response.data).walk("VEVENT")
    assert str(event["summary"]) == "Briefing" and event.decoded("dtstart").replace(tzinfo=None) == meeting.starts_at
    assert "meet.example.org" not in response.get_data(as_text=True)


def test_search_gives_one_result_per_thread_with_its_type_organisation_and_date(client, thread, member, db):
    for n in range(3):
        services.reply(thread, member, f"Sibling placements update {n}")
    html = client.get("/search?q=sibling").get_data(as_text=True)
    assert "1 result<" in html and html.count("Capacity for <mark>sibling</mark> groups</a>") == 1
    assert f"Thread · {member.organisation.name} · " in html


def test_search_covers_needs_meetings_and_published_procurements(client, forum, commissioner, meeting_details,
                                                                 need_details, org_factory, user_factory):
    from core import clock
    from tests.unit.tenders.builders import T0, in_engagement, make_world

    services.publish_need(forum, commissioner, need_details(title="Kingfisher homes for siblings"))
    services.schedule_meeting(forum, commissioner, meeting_details(title="Kingfisher briefing"))
    world = make_world(org_factory, user_factory)
    clock.set_now(T0)
    try:
        p = in_engagement(world)
        p.title = "Kingfisher residential lot"
        html = client.get("/search?q=kingfisher").get_data(as_text=True)
    finally:
        clock.set_now(None)
    assert "Need statement · " in html and "Meeting · " in html
    assert "Procurement · Northshire Children&#39;s Commissioning" in html
    assert f'href="/tenders/{p.id}"' in html and "Kingfisher residential lot" in html


def test_region_is_one_select_list_on_forums_tenders_and_registration(client, auth, user_factory):
    from core.vocabulary import REGIONS

    auth.sign_in(user_factory("commissioner"))
    pages = {url: client.get(url).get_data(as_text=True) for url in ("/forums/new", "/tenders/new", "/tenders")}
    auth.sign_out()
    pages["/register"] = client.get("/register").get_data(as_text=True)
    for url, html in pages.items():
        import re

        assert re.search(r'<select class="govuk-select"[^>]* name="region"', html), url
        assert all(f'<option value="{region}">{region}</option>' in html for region in REGIONS), url
