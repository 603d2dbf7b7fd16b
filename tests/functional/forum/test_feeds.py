"""Atom and iCalendar feeds: valid documents (parsed with real parsers), cacheable with ETag and Last-Modified."""
from __future__ import annotations

from icalendar import Calendar
from lxml import etree

from forum import services

ATOM = "{http://www.w3.org/2005/Atom}"


def _atom(response):
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    root = etree.fromstring(response.data)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{required}") is not None
    return root


def test_forum_feed_is_atom_with_threads_needs_and_meetings(client, forum, thread, commissioner, need_details,
                                                            meeting_details, db):
    services.publish_need(forum, commissioner, need_details())
    services.schedule_meeting(forum, commissioner, meeting_details())
    db.session.commit()
    root = _atom(client.get(f"/forums/{forum.slug}/feed.atom"))
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert "Capacity for sibling groups" in titles
    assert any(t.startswith("Need statement:") for t in titles)
    assert any(t.startswith("Meeting:") for t in titles)
    self_link = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"][0]
    assert self_link.get("href").endswith(f"/forums/{forum.slug}/feed.atom")


def test_all_forums_feed_lists_every_forum(client, forum_factory, commissioner, db):
    first, second = forum_factory(title="First forum"), forum_factory(title="Second forum")
    services.start_thread(first, commissioner, "Alpha", "a")
    services.start_thread(second, commissioner, "Beta", "b")
    root = _atom(client.get("/forums.atom"))
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert "First forum: Alpha" in titles and "Second forum: Beta" in titles


def test_feed_answers_304_to_a_current_etag_and_changes_when_the_forum_does(client, forum, thread, member, db):
    url = f"/forums/{forum.slug}/feed.atom"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    since = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    services.reply(thread, member, "News")
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_meetings_calendar_parses_and_never_includes_the_online_link(client, forum, commissioner, meeting_details,
                                                                     db):
    services.schedule_meeting(forum, commissioner, meeting_details(title="In the hall"))
    services.schedule_meeting(forum, commissioner, meeting_details(title="On the web", mode="online", days=9))
    db.session.commit()
    response = client.get(f"/forums/{forum.slug}/meetings.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert b"meet.example.org" not in response.data
    calendar = Calendar.from_ical(response.data)
    assert str(calendar["VERSION"]) == "2.0" and calendar.get("PRODID")
    events = calendar.walk("VEVENT")
    assert sorted(str(e["SUMMARY"]) for e in events) == ["In the hall", "On the web"]
    for event in events:
        assert event.get("UID") and event.get("DTSTAMP")
        assert event.decoded("DTEND") > event.decoded("DTSTART")
    etag = response.headers["ETag"]
    assert client.get(f"/forums/{forum.slug}/meetings.ics", headers={"If-None-Match": etag}).status_code == 304


def test_feeds_of_unknown_forums_are_404(client, db):
    assert client.get("/forums/nope/feed.atom").status_code == 404
    assert client.get("/forums/nope/meetings.ics").status_code == 404


def test_cancelled_meeting_is_marked_cancelled_in_the_calendar(client, forum, commissioner, meeting_details, db):
    meeting = services.schedule_meeting(forum, commissioner, meeting_details(title="Called off"))
    services.cancel_meeting(meeting, commissioner, "Speaker unwell")
    db.session.commit()
    event = Calendar.from_ical(client.get(f"/forums/{forum.slug}/meetings.ics").data).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED" and str(event["SUMMARY"]) == "Cancelled: Called off"
