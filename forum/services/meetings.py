"""Meetings: scheduling, registration and the waiting list, cancelling, attendance, minutes and papers."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

import trail
from accounts.models import User
from core.clock import utcnow
from core.errors import NotPermitted, RuleViolation
from core.extensions import db
from core.markdown import render_markdown
from core.safeguarding import check_child_data
from forum import policy, search
from forum.attachments import Upload, check_upload
from forum.models import MEETING_MODES, Attachment, Forum, Meeting, MeetingRegistration, RegistrationStatus
from forum.queries import is_member, registration_for
from forum.services._common import add_attachment, attachment_payload, audit_child_data_confirmation, clean_body, refuse
from forum.services.notifications import notify, watchers_of_forum


@dataclass
class MeetingDetails:
    title: str
    starts_at: datetime | None
    ends_at: datetime | None
    mode: str
    location: str
    online_link: str
    agenda_md: str
    capacity: int | None


def schedule_meeting(forum: Forum, actor: User, details: MeetingDetails,
                     confirmed_no_child_data: bool = False) -> Meeting:
    """Owners schedule a meeting: in person with a place, or online with a link for registered attendees."""
    if not policy.can_manage_forum(actor, forum):
        raise refuse(actor, "forum.meeting_schedule", "Only the forum’s owners can schedule meetings")
    if not forum.is_open:
        raise RuleViolation(f"This forum is {forum.status_label.lower()}: it takes no new meetings")
    title = checked_meeting_details(details)
    kinds = check_child_data("agenda", [title, details.agenda_md, details.location], confirmed_no_child_data)
    return _schedule_checked(forum, actor, details, title, kinds)


def checked_meeting_details(details: MeetingDetails) -> str:
    """The meeting's title, tidied, once every detail is valid (RuleViolation otherwise): one set of rules for
    scheduling a meeting and for changing one."""
    errors: dict[str, str] = {}
    title = " ".join((details.title or "").split())
    if not title:
        errors["title"] = "Enter a title for the meeting"
    if details.starts_at is None:
        errors["date"] = "Enter the date and start time of the meeting"
    elif details.starts_at <= utcnow():
        errors["date"] = "The meeting must start in the future"
    if details.starts_at and details.ends_at is not None and details.ends_at <= details.starts_at:
        errors["end_time"] = "The meeting must end after it starts"
    if details.ends_at is None:
        errors.setdefault("end_time", "Enter the end time")
    if details.mode not in MEETING_MODES:
        errors["mode"] = "Select in person or online"
    elif details.mode == "in_person" and not (details.location or "").strip():
        errors["location"] = "Enter where the meeting takes place"
    elif details.mode == "online" and not re.match(r"^https://\S+$", (details.online_link or "").strip()):
        errors["online_link"] = "Enter the joining link, starting https://"
    if not (details.agenda_md or "").strip():
        errors["agenda"] = "Enter the agenda"
    if details.capacity is None or details.capacity < 1:
        errors["capacity"] = "Enter how many people can attend, as a whole number of 1 or more"
    if errors:
        raise RuleViolation(errors)
    return title


def _schedule_checked(forum: Forum, actor: User, details: MeetingDetails, title: str, kinds: Any) -> Meeting:
    now = utcnow()
    agenda = details.agenda_md.strip()
    meeting = Meeting(forum_id=forum.id, title=title, starts_at=details.starts_at, ends_at=details.ends_at,
                      mode=details.mode,
                      location=details.location.strip() if details.mode == "in_person" else None,
                      online_link=details.online_link.strip() if details.mode == "online" else None,
                      agenda_md=agenda, agenda_html=render_markdown(agenda), capacity=details.capacity,
                      created_by_id=actor.id, created_at=now, updated_at=now)
    db.session.add(meeting)
    forum.updated_at = now
    db.session.flush()
    search.index("meeting", meeting.id, forum.id, title, search.plain_text(meeting.agenda_html))
    trail.record("forum.meeting_scheduled", actor=actor, subject=meeting, audience="public",
                 summary=f"Meeting “{title}” scheduled in “{forum.title}” for {meeting.starts_at:%-d %B %Y %H:%M} UTC",
                 payload={"title": title, "starts_at": meeting.starts_at.isoformat(),
                          "ends_at": meeting.ends_at.isoformat(), "mode": meeting.mode,
                          "location": meeting.location, "capacity": meeting.capacity})
    audit_child_data_confirmation(kinds, actor, meeting, "a meeting agenda")
    watchers = [u for u in watchers_of_forum(forum, ("all", "new_threads")) if u.id != actor.id]
    notify(watchers, f"Meeting scheduled in {forum.title}: {title}, {meeting.starts_at:%-d %B %Y}",
            "forum.meeting", meeting_id=meeting.id)
    return meeting


def registered_count(meeting: Meeting) -> int:
    return db.session.scalar(select(func.count()).select_from(MeetingRegistration).where(
        MeetingRegistration.meeting_id == meeting.id, MeetingRegistration.status == RegistrationStatus.REGISTERED)) or 0


def register_for_meeting(meeting: Meeting, actor: User) -> MeetingRegistration:
    """A place if there is one; otherwise a place on the waiting list, in order of asking."""
    forum = meeting.forum
    if not getattr(actor, "is_authenticated", False):
        raise NotPermitted("Sign in to register")
    if meeting.is_cancelled:
        raise RuleViolation("This meeting has been cancelled")
    if meeting.starts_at <= utcnow():
        raise RuleViolation("This meeting has already started: registration is closed")
    if not forum.is_open:
        raise RuleViolation("This forum is closed: registration is closed")
    if not policy.can_register(actor, meeting, is_member(actor, forum), utcnow()):
        raise refuse(actor, "forum.meeting_register", "Join the forum to register for its meetings")
    if db.session.get_bind().dialect.name == "postgresql":
        # Serialise registrations per meeting so two people never take the last place.
        db.session.execute(select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())
    registration = registration_for(meeting, actor)
    if registration is not None and registration.status in (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING):
        raise RuleViolation("You are already registered" if registration.status == RegistrationStatus.REGISTERED
                            else "You are already on the waiting list")
    status = (
        RegistrationStatus.REGISTERED if registered_count(meeting) < meeting.capacity else RegistrationStatus.WAITING
    )
    if registration is None:
        registration = MeetingRegistration(meeting_id=meeting.id, user_id=actor.id, status=status,
                                           registered_at=utcnow())
        db.session.add(registration)
    else:
        registration.status, registration.registered_at = status, utcnow()
    db.session.flush()
    trail.record("forum.meeting_registered" if status == RegistrationStatus.REGISTERED else "forum.meeting_waitlisted",
                 actor=actor, subject=meeting, audience="participants",
                 summary=f"{actor.full_name} ({actor.organisation.name}) "
                         f"{'registered for' if status == 'registered' else 'joined the waiting list for'} "
                         f"“{meeting.title}”",
                 payload={"user_id": actor.id, "status": status})
    return registration


def cancel_registration(meeting: Meeting, actor: User) -> MeetingRegistration | None:
    """Give up a place (or leave the waiting list); the first person waiting gets the place."""
    registration = registration_for(meeting, actor)
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        raise RuleViolation("You are not registered for this meeting")
    if meeting.starts_at <= utcnow():
        raise RuleViolation("This meeting has already started")
    freed = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    db.session.flush()
    trail.record("forum.meeting_registration_cancelled", actor=actor, subject=meeting, audience="participants",
                 summary=f"{actor.full_name} cancelled their registration for “{meeting.title}”",
                 payload={"user_id": actor.id, "freed_place": freed})
    promoted = None
    if freed:
        promoted = db.session.scalar(select(MeetingRegistration).where(
            MeetingRegistration.meeting_id == meeting.id, MeetingRegistration.status == RegistrationStatus.WAITING)
            .order_by(MeetingRegistration.registered_at, MeetingRegistration.id).limit(1))
        if promoted is not None:
            promoted.status = RegistrationStatus.REGISTERED
            db.session.flush()
            trail.record("forum.meeting_promoted", subject=meeting, audience="participants",
                         summary=f"{promoted.user.full_name} moved from the waiting list to a place at "
                                 f"“{meeting.title}”", payload={"user_id": promoted.user_id})
            notify([promoted.user], f"A place came up: you are now registered for “{meeting.title}”",
                    "forum.meeting", meeting_id=meeting.id)
    return promoted


def cancel_meeting(meeting: Meeting, actor: User, reason: str) -> Meeting:
    """Owners call off a meeting that has not started; everyone registered or waiting is told why.

    The meeting stays listed (as cancelled) so the public record shows what was
    planned and why it did not happen.
    """
    if not policy.can_manage_forum(actor, meeting.forum):
        raise refuse(actor, "forum.meeting_cancel", "Only the forum’s owners can cancel meetings")
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation({"reason": "Give the reason for cancelling: it is shown publicly"})
    if len(reason) > 2000:
        raise RuleViolation({"reason": "The reason must be 2,000 characters or fewer"})
    if meeting.is_cancelled:
        raise RuleViolation("This meeting is already cancelled")
    if meeting.starts_at <= utcnow():
        raise RuleViolation("This meeting has already started: it can no longer be cancelled")
    now = utcnow()
    meeting.cancelled_at, meeting.cancellation_reason, meeting.updated_at = now, reason, now
    db.session.flush()
    trail.record("forum.meeting_cancelled", actor=actor, subject=meeting, audience="public",
                 summary=f"Meeting “{meeting.title}” cancelled: {reason}", payload={"reason": reason})
    affected = list(
        db.session.scalars(
            select(User)
            .join(MeetingRegistration, MeetingRegistration.user_id == User.id)
            .where(
                MeetingRegistration.meeting_id == meeting.id,
                MeetingRegistration.status.in_((RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)),
            )
        )
    )
    notify([u for u in affected if u.id != actor.id], f"“{meeting.title}” is cancelled. Reason: {reason}",
            "forum.meeting", meeting_id=meeting.id)
    return meeting


def record_attendance(meeting: Meeting, actor: User, attended_user_ids: list[int]) -> int:
    """Owners record who came, once the meeting has started; return how many attended."""
    if not policy.can_manage_forum(actor, meeting.forum):
        raise refuse(actor, "forum.meeting_attendance", "Only the forum’s owners can record attendance")
    if meeting.is_cancelled:
        raise RuleViolation("This meeting was cancelled")
    if meeting.starts_at > utcnow():
        raise RuleViolation("You can record attendance once the meeting has started")
    attended = set(attended_user_ids)
    registrations = [r for r in db.session.scalars(select(MeetingRegistration).where(
        MeetingRegistration.meeting_id == meeting.id, MeetingRegistration.status == RegistrationStatus.REGISTERED))]
    known = {r.user_id for r in registrations}
    if attended - known:
        raise RuleViolation({"attended": "Only registered people can be marked as attending"})
    for registration in registrations:
        registration.attended = registration.user_id in attended
    meeting.attendance_recorded_at = utcnow()
    db.session.flush()
    trail.record("forum.meeting_attendance_recorded", actor=actor, subject=meeting, audience="participants",
                 summary=f"Attendance recorded for “{meeting.title}”: {len(attended)} of {len(registrations)}",
                 payload={"attended_user_ids": sorted(attended), "registered": len(registrations)})
    return len(attended)


def publish_minutes(meeting: Meeting, actor: User, minutes_md: str, confirmed_no_child_data: bool = False) -> Meeting:
    """Minutes are public like the forum: pre-tender sessions are shared with everyone, not only those who came."""
    if not policy.can_manage_forum(actor, meeting.forum):
        raise refuse(actor, "forum.minutes_publish", "Only the forum’s owners can publish minutes")
    if meeting.is_cancelled:
        raise RuleViolation("This meeting was cancelled: there are no minutes to publish")
    if meeting.starts_at > utcnow():
        raise RuleViolation("You can publish minutes once the meeting has taken place")
    minutes = clean_body(minutes_md, "minutes", "Enter the minutes")
    kinds = check_child_data("minutes", [minutes], confirmed_no_child_data)
    first = meeting.minutes_published_at is None
    meeting.minutes_md, meeting.minutes_html = minutes, render_markdown(minutes)
    now = utcnow()
    meeting.minutes_published_at = meeting.minutes_published_at or now
    meeting.updated_at = now
    meeting.forum.updated_at = now
    db.session.flush()
    search.index("meeting", meeting.id, meeting.forum_id, meeting.title,
                 search.plain_text(meeting.agenda_html) + " " + search.plain_text(meeting.minutes_html))
    trail.record("forum.minutes_published" if first else "forum.minutes_updated", actor=actor, subject=meeting,
                 audience="public", summary=f"Minutes of “{meeting.title}” {'published' if first else 'updated'}",
                 payload={"sha256": hashlib.sha256(minutes.encode()).hexdigest()})
    audit_child_data_confirmation(kinds, actor, meeting, "meeting minutes")
    if first:
        registered = list(db.session.scalars(select(User).join(
            MeetingRegistration, MeetingRegistration.user_id == User.id).where(
            MeetingRegistration.meeting_id == meeting.id, MeetingRegistration.status == RegistrationStatus.REGISTERED)))
        watchers = watchers_of_forum(meeting.forum, ("all",))
        notify([u for u in registered + watchers if u.id != actor.id],
                f"Minutes published for “{meeting.title}”", "forum.meeting", meeting_id=meeting.id)
    return meeting


def add_meeting_document(meeting: Meeting, actor: User, upload: Upload) -> Attachment:
    """Slides and papers: public like the minutes."""
    if not policy.can_manage_forum(actor, meeting.forum):
        raise refuse(actor, "forum.meeting_document", "Only the forum’s owners can add meeting documents")
    checked = check_upload(upload, "document")
    attachment = add_attachment(checked, meeting.forum, actor, meeting=meeting)
    meeting.updated_at = utcnow()
    db.session.flush()
    trail.record("forum.meeting_document_added", actor=actor, subject=meeting, audience="public",
                 summary=f"Document “{attachment.filename}” added to “{meeting.title}”",
                 payload=attachment_payload(attachment))
    return attachment
