"""Forum operations: the only code that changes forums, posts, meetings and the rest, one module a topic.

Each function checks its rule (forum.policy), makes the change, keeps the
search index in step, notifies watchers and writes its audit event, all in the
caller's transaction; it flushes and the view or CLI command commits once.
"""
from forum.services._common import MAX_POST_CHARS, MAX_TITLE_CHARS
from forum.services.forums import (
    ForumDetails,
    create_forum,
    join_forum,
    leave_forum,
    set_forum_status,
    update_forum,
)
from forum.services.meetings import (
    MeetingDetails,
    add_meeting_document,
    cancel_meeting,
    cancel_registration,
    checked_meeting_details,
    publish_minutes,
    record_attendance,
    register_for_meeting,
    schedule_meeting,
)
from forum.services.moderation import dismiss_report, hide_post, report_post
from forum.services.needs import GSS_CODE, NeedDetails, publish_need, update_need
from forum.services.notifications import send_daily_digests, set_email_mode, set_watch
from forum.services.posts import edit_post, reply, start_thread

__all__ = [
    "GSS_CODE",
    "MAX_POST_CHARS",
    "MAX_TITLE_CHARS",
    "ForumDetails",
    "MeetingDetails",
    "NeedDetails",
    "add_meeting_document",
    "cancel_meeting",
    "cancel_registration",
    "checked_meeting_details",
    "create_forum",
    "dismiss_report",
    "edit_post",
    "hide_post",
    "join_forum",
    "leave_forum",
    "publish_minutes",
    "publish_need",
    "record_attendance",
    "register_for_meeting",
    "reply",
    "report_post",
    "schedule_meeting",
    "send_daily_digests",
    "set_email_mode",
    "set_forum_status",
    "set_watch",
    "start_thread",
    "update_forum",
    "update_need",
]
