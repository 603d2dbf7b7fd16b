"""Changing a scheduled meeting: its owners correct the time, place, agenda or capacity before it starts.

The same rules as scheduling apply (forum.services.meetings.checked_meeting_details). A meeting that has started,
or was cancelled, is kept as it was. Capacity cannot drop below the people already registered. Everyone
registered or waiting is told what changed, and the change is on the public trail.
"""
from __future__ import annotations

import trail
from accounts.models import User
from core.clock import utcnow
from core.errors import RuleViolation
from core.markdown import render_markdown
from core.safeguarding import check_child_data
from forum import policy, search
from forum.models import Meeting
from forum.services._common import audit_child_data_confirmation, refuse
from forum.services.meetings import MeetingDetails, checked_meeting_details, registered_count
from forum.services.notifications import notify


def change_meeting(meeting: Meeting, actor: User, details: MeetingDetails,
                   confirmed_no_child_data: bool = False) -> Meeting:
    forum = meeting.forum
    if not policy.can_manage_forum(actor, forum):
        raise refuse(actor, "forum.meeting_change", "Only the forum’s owners can change its meetings")
    now = utcnow()
    if meeting.is_cancelled:
        raise RuleViolation("This meeting was cancelled: it can no longer be changed")
    if meeting.starts_at <= now:
        raise RuleViolation("This meeting has started: it is kept as it was scheduled")
    title = checked_meeting_details(details)
    if details.starts_at is None or details.ends_at is None or details.capacity is None:  # refused by the check
        raise RuleViolation("Give the meeting's start, end and capacity")
    registered = registered_count(meeting)
    if details.capacity is not None and details.capacity < registered:
        raise RuleViolation({"capacity": f"{registered} people are registered: the capacity cannot be less"})
    kinds = check_child_data("agenda", [title, details.agenda_md, details.location], confirmed_no_child_data)
    before = {"title": meeting.title, "starts_at": meeting.starts_at.isoformat(),
              "ends_at": meeting.ends_at.isoformat(), "mode": meeting.mode, "location": meeting.location,
              "capacity": meeting.capacity}
    agenda = details.agenda_md.strip()
    meeting.title, meeting.starts_at, meeting.ends_at, meeting.mode = (title, details.starts_at, details.ends_at,
                                                                       details.mode)
    meeting.location = details.location.strip() if details.mode == "in_person" else None
    meeting.online_link = details.online_link.strip() if details.mode == "online" else None
    meeting.agenda_md, meeting.agenda_html, meeting.capacity = agenda, render_markdown(agenda), details.capacity
    meeting.updated_at = forum.updated_at = now
    search.index("meeting", meeting.id, forum.id, title, search.plain_text(meeting.agenda_html))
    after = {"title": title, "starts_at": meeting.starts_at.isoformat(), "ends_at": meeting.ends_at.isoformat(),
             "mode": meeting.mode, "location": meeting.location, "capacity": meeting.capacity}
    changed = sorted(key for key in after if after[key] != before[key])
    trail.record("forum.meeting_changed", actor=actor, subject=meeting, audience="public",
                 summary=f"Meeting “{title}” in “{forum.title}” changed"
                         + (f": {', '.join(changed)}" if changed else " (agenda or joining details)"),
                 payload={"before": before, "after": after})
    audit_child_data_confirmation(kinds, actor, meeting, "a meeting agenda")
    told = [r.user for r in meeting.registrations if r.status in ("registered", "waiting") and r.user_id != actor.id]
    notify(told, f"Meeting changed: {title}, {meeting.starts_at:%-d %B %Y}. Check the new details.",
            "forum.meeting", meeting_id=meeting.id)
    return meeting
