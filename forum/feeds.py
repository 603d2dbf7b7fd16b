"""Atom feeds (feedgen) and the iCalendar of a forum's meetings (icalendar).

Feeds are how "publicly advertised" reaches people who never visit: readers
and calendar apps poll them, so each carries an ETag and Last-Modified and a
poll that finds nothing new gets a 304 without building the document again.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator
from flask import Response, current_app, request
from icalendar import Calendar, Event, vText

from core.text import xml_safe
from core.urls import external_url
from forum import queries
from forum.models import Forum, Meeting


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC)


def conditional(kind: str, forum: Forum | None, build: Callable[[], bytes], mimetype: str) -> Response:
    """Answer 304 when the client's copy is current; otherwise build and tag the document."""
    latest, count = queries.feed_stamp(forum)
    etag = hashlib.sha256(f"{kind}:{forum.id if forum else 'all'}:{latest}:{count}".encode()).hexdigest()[:32]
    response = Response(mimetype=mimetype)
    response.set_etag(etag)
    if latest is not None:
        response.last_modified = _aware(latest).replace(microsecond=0)
    response.cache_control.public = True
    response.cache_control.max_age = 300
    if request.if_none_match.contains(etag) or (
            not request.if_none_match and latest is not None and request.if_modified_since is not None
            and _aware(latest).replace(microsecond=0) <= request.if_modified_since):
        response.status_code = 304
        return response
    response.set_data(build())
    return response


def atom_feed(forum: Forum | None) -> bytes:
    """Atom 1.0: one feed for a forum, or for every forum."""
    fg = FeedGenerator()
    if forum is not None:
        self_url = external_url("forum.forum_feed", slug=forum.slug)
        fg.id(external_url("forum.forum", slug=forum.slug))
        fg.title(xml_safe(forum.title))
        fg.subtitle(xml_safe(f"Provider forum, {forum.region}: threads, need statements, meetings and minutes"))
        fg.link(href=external_url("forum.forum", slug=forum.slug), rel="alternate")
        for owner in forum.owners:
            fg.author({"name": xml_safe(owner.name)})
    else:
        self_url = external_url("forum.all_forums_feed")
        fg.id(external_url("forum.forums"))
        fg.title("Commissioning Commons: provider forums")
        fg.subtitle("Activity in every provider forum")
        fg.link(href=external_url("forum.forums"), rel="alternate")
        fg.author({"name": "Commissioning Commons"})
    fg.link(href=self_url, rel="self")
    fg.language("en-GB")
    entries = queries.forum_feed_entries(forum)
    latest, _ = queries.feed_stamp(forum)
    fg.updated(_aware(latest) if latest else datetime(2026, 1, 1, tzinfo=UTC))
    for item in reversed(entries):  # feedgen prepends: add oldest first
        entry = fg.add_entry()
        link = external_url(item.link_endpoint, **item.link_values)
        entry.id(f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/forum-feed/{item.id_path}")
        entry.title(xml_safe(item.title if forum is not None else f"{item.forum_title}: {item.title}"))
        entry.link(href=link, rel="alternate")
        entry.summary(xml_safe(item.summary))
        if item.content_html:
            entry.content(xml_safe(item.content_html), type="html")
        entry.published(_aware(item.published))
        entry.updated(_aware(item.updated))
    return fg.atom_str(pretty=True)


def meetings_calendar(forum: Forum) -> bytes:
    """RFC 5545: every meeting of the forum, with its place but never an online joining link."""
    return _calendar(f"{forum.title}: meetings", queries.forum_meetings_for_calendar(forum))


def upcoming_meetings_calendar(meetings: list[Meeting]) -> bytes:
    """Every forum's upcoming meetings in one calendar, for people who follow the whole market."""
    return _calendar("Commissioning Commons: upcoming provider forum meetings", meetings)


def meeting_calendar(meeting: Meeting) -> bytes:
    """One meeting, for "Add to calendar": the same event (same UID) as in the forum's feed."""
    return _calendar(meeting.title, [meeting])


def _calendar(name: str, meetings: list[Meeting]) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Commissioning Commons//Provider forums//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", xml_safe(name))
    host = current_app.config["PUBLIC_BASE_URL"].split("//", 1)[-1].split("/", 1)[0] or "localhost"
    for meeting in meetings:
        forum = meeting.forum
        event = Event()
        event.add("uid", f"forum-meeting-{meeting.id}@{host}")
        event.add("dtstamp", _aware(meeting.updated_at))
        event.add("dtstart", _aware(meeting.starts_at))
        event.add("dtend", _aware(meeting.ends_at))
        event.add("summary", xml_safe(f"Cancelled: {meeting.title}" if meeting.is_cancelled else meeting.title))
        event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
        event.add("url", external_url("forum.meeting", meeting_id=meeting.id))
        where = meeting.location if meeting.mode == "in_person" else \
            "Online: the joining link is shown to registered attendees on the meeting page"
        event["location"] = vText(xml_safe(where))
        event.add("description", xml_safe(f"{forum.title}\n\nRegister and read the agenda: "
                                          f"{external_url('forum.meeting', meeting_id=meeting.id)}"))
        cal.add_component(event)
    return cal.to_ical()
