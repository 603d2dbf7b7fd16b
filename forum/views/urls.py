"""Every URL of the forums' blueprint, in one list: the path, the view that serves it and its methods.

Each view is named by its module (forums, threads, needs, meetings...) and function; the function's name is the
endpoint (url_for("forum.<name>")). Views parse the request, call one service, and render. Reading is public;
policy predicates decide what signed-in people may do and are passed to templates as flags so buttons and
routes agree.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from forum.views import forums, meetings, needs, notification_settings, searching, syndication, threads
from forum.views.blueprint import bp

GET = ["GET"]
POST = ["POST"]
GET_POST = ["GET", "POST"]

URLS: list[tuple[str, Callable[..., Any], list[str]]] = [
    ("/forums", forums.forums, GET),
    ("/forums/new", forums.new_forum, GET_POST),
    ("/forums/<slug>", forums.forum, GET),
    ("/forums/<slug>/edit", forums.edit_forum, GET_POST),
    ("/forums/<slug>/status", forums.forum_status, POST),
    ("/forums/<slug>/join", forums.join, POST),
    ("/forums/<slug>/leave", forums.leave, POST),
    ("/forums/<slug>/watch", forums.watch_forum, POST),
    ("/forums/<slug>/moderation", forums.moderation_log, GET),
    ("/forums/<slug>/reports", forums.reports, GET),
    ("/reports/<int:report_id>/dismiss", forums.dismiss_report, POST),
    ("/forums/<slug>/threads/new", threads.new_thread, GET_POST),
    ("/forums/<slug>/threads/<int:thread_id>", threads.thread, GET),
    ("/forums/<slug>/threads/<int:thread_id>/reply", threads.reply, POST),
    ("/forums/<slug>/threads/<int:thread_id>/watch", threads.watch_thread, POST),
    ("/posts/<int:post_id>", threads.post_permalink, GET),
    ("/posts/<int:post_id>/edit", threads.edit_post, GET_POST),
    ("/posts/<int:post_id>/revisions", threads.revisions, GET),
    ("/posts/<int:post_id>/revisions/diff", threads.diff, GET),
    ("/posts/<int:post_id>/report", threads.report_post, GET_POST),
    ("/posts/<int:post_id>/hide", threads.hide_post, GET_POST),
    ("/forums/<slug>/needs/new", needs.new_need, GET_POST),
    ("/needs", needs.needs, GET),
    ("/needs/<int:need_id>", needs.need, GET),
    ("/needs/<int:need_id>/edit", needs.edit_need, GET_POST),
    ("/forums/<slug>/meetings/new", meetings.new_meeting, GET_POST),
    ("/meetings", meetings.meetings, GET),
    ("/meetings.ics", meetings.upcoming_meetings_ics, GET),
    ("/meetings/<int:meeting_id>/calendar.ics", meetings.meeting_ics, GET),
    ("/meetings/<int:meeting_id>", meetings.meeting, GET),
    ("/meetings/<int:meeting_id>/register", meetings.register, POST),
    ("/meetings/<int:meeting_id>/cancel", meetings.cancel_registration, POST),
    ("/meetings/<int:meeting_id>/cancel-meeting", meetings.cancel_meeting, POST),
    ("/meetings/<int:meeting_id>/attendance", meetings.attendance, POST),
    ("/meetings/<int:meeting_id>/minutes", meetings.minutes, POST),
    ("/meetings/<int:meeting_id>/documents", meetings.add_document, POST),
    ("/attachments/<int:attachment_id>", meetings.attachment, GET),
    ("/forums.atom", syndication.all_forums_feed, GET),
    ("/forums/<slug>/feed.atom", syndication.forum_feed, GET),
    ("/forums/<slug>/meetings.ics", syndication.meetings_ics, GET),
    ("/search", searching.search, GET),
    ("/notifications/settings", notification_settings.notification_settings, GET_POST),
    ("/meetings/<int:meeting_id>/edit", meetings.edit_meeting, GET_POST),
]

for rule, view, methods in URLS:
    bp.add_url_rule(rule, view_func=view, methods=methods)
