"""The forums' Atom feeds and a forum's meetings calendar."""
from __future__ import annotations

from flask.typing import ResponseReturnValue

from core.page_cache import public_page
from forum import feeds, queries


@public_page
def all_forums_feed() -> ResponseReturnValue:
    return feeds.conditional("atom", None, lambda: feeds.atom_feed(None), "application/atom+xml")


@public_page
def forum_feed(slug: str) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    return feeds.conditional("atom", forum, lambda: feeds.atom_feed(forum), "application/atom+xml")


def meetings_ics(slug: str) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    response = feeds.conditional("ics", forum, lambda: feeds.meetings_calendar(forum), "text/calendar")
    response.headers.set("Content-Disposition", "inline", filename=f"{forum.slug}-meetings.ics")
    return response
