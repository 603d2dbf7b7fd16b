"""Meetings: scheduling and changing one, registration, cancelling, attendance, minutes, documents, calendars and
attachments."""
from __future__ import annotations

from datetime import datetime, time
from typing import Any

from flask import Response, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from core import storage
from core.clock import utcnow
from core.forms import ConfirmForm, attempt
from core.guards import require
from core.page_cache import public_page
from core.timezones import in_uk, uk_to_utc
from forum import feeds, meeting_edits, policy, queries, services
from forum.forms import AttendanceForm, DocumentForm, MeetingForm, MinutesForm, ReasonForm
from forum.views.common import confirmed, current_actor, uploaded


def _uk_to_utc(day: Any, moment: time | None) -> datetime | None:
    """UTC for a UK day and time; None when either is missing (the service refuses that with its reasons)."""
    return None if day is None or moment is None else uk_to_utc(day, moment)


@login_required
def new_meeting(slug: str) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    require(policy.can_manage_forum(current_user, forum), "forum.meeting_schedule")
    form = MeetingForm()
    if form.validate_on_submit():
        done = attempt(form, services.schedule_meeting, forum, current_actor(), meeting_details(form), confirmed(form))
        if done.ok:
            meeting = done.value
            flash("The meeting is scheduled and listed publicly.", "success")
            return redirect(url_for("forum.meeting", meeting_id=meeting.id))
    return render_template("forum/meeting_form.html", forum=forum, form=form)


def meeting_details(form: MeetingForm) -> services.MeetingDetails:
    """What the meeting form says, times read as UK time (scheduling and changing a meeting)."""
    return services.MeetingDetails(
        title=form.title.data, starts_at=_uk_to_utc(form.date.data, form.start_time.data),
        ends_at=_uk_to_utc(form.date.data, form.end_time.data), mode=form.mode.data,
        location=form.location.data or "", online_link=form.online_link.data or "", agenda_md=form.agenda.data,
        capacity=form.capacity.data)


def _cancel_form(form: ReasonForm | None = None) -> ReasonForm:
    form = form or ReasonForm(prefix="cancel")
    form.reason.label.text = "Reason for cancelling"
    form.reason.description = "Shown publicly and sent to everyone registered or waiting."
    form.submit.label.text = "Cancel this meeting"
    return form


def _render_meeting(meeting: Any, minutes_form: MinutesForm | None = None, document_form: DocumentForm | None = None,
                    attendance_form: AttendanceForm | None = None, cancel_form: ReasonForm | None = None,
                    status: int = 200) -> ResponseReturnValue:
    forum = meeting.forum
    member = queries.is_member(current_user, forum)
    registration = queries.registration_for(meeting, current_user)
    now = utcnow()
    manage = policy.can_manage_forum(current_user, forum)
    registrations = queries.meeting_registrations(meeting)
    if attendance_form is None and manage:
        attendance_form = AttendanceForm(attended=[r.user_id for r in registrations if r.attended])
    if attendance_form is not None:
        attendance_form.attended.choices = [(r.user_id, f"{r.user.full_name} ({r.user.organisation.name})")
                                            for r in registrations if r.status == "registered"]
    flags = {
        "registration": registration.status if registration else None,
        "can_register": policy.can_register(current_user, meeting, member, now)
        and (registration is None or registration.status == "cancelled"),
        "can_cancel": registration is not None and registration.status in ("registered", "waiting")
        and meeting.starts_at > now and not meeting.is_cancelled,
        "can_cancel_meeting": manage and meeting.starts_at > now and not meeting.is_cancelled,
        "can_record": manage and meeting.starts_at <= now and not meeting.is_cancelled,
        "can_see_link": policy.can_see_online_link(current_user, meeting, registration),
        "can_manage": manage,
        "started": meeting.starts_at <= now,
        "signed_in": current_user.is_authenticated,
        "can_join_forum": policy.can_join(current_user, forum, member),
    }
    registered = sum(1 for r in registrations if r.status == "registered")
    waiting = sum(1 for r in registrations if r.status == "waiting")
    flags["full"] = registered >= meeting.capacity
    return render_template(
        "forum/meeting.html", meeting=meeting, forum=forum, flags=flags, registrations=registrations,
        registered=registered, waiting=waiting, documents=queries.meeting_documents(meeting),
        action_form=ConfirmForm(),
        minutes_form=minutes_form or MinutesForm(minutes=meeting.minutes_md or ""),
        document_form=document_form or DocumentForm(), attendance_form=attendance_form,
        cancel_form=_cancel_form(cancel_form)), status


@public_page
def meetings() -> ResponseReturnValue:
    """Every forum's upcoming meetings in one list, with one calendar feed for all of them."""
    return render_template("forum/meetings.html", meetings=queries.upcoming_meetings(utcnow()))


def upcoming_meetings_ics() -> ResponseReturnValue:
    now = utcnow()
    response = feeds.conditional(f"upcoming-ics-{now:%Y-%m-%d}", None,
                                 lambda: feeds.upcoming_meetings_calendar(queries.upcoming_meetings(now)),
                                 "text/calendar")
    response.headers.set("Content-Disposition", "inline", filename="upcoming-meetings.ics")
    return response


def meeting_ics(meeting_id: int) -> ResponseReturnValue:
    """"Add to calendar": one meeting as an .ics file a calendar app opens."""
    meeting = queries.meeting_or_404(meeting_id)
    response = Response(feeds.meeting_calendar(meeting), mimetype="text/calendar")
    response.headers.set("Content-Disposition", "attachment", filename=f"meeting-{meeting.id}.ics")
    return response


def meeting(meeting_id: int) -> ResponseReturnValue:
    return _render_meeting(queries.meeting_or_404(meeting_id))


@login_required
def register(meeting_id: int) -> ResponseReturnValue:
    meeting = queries.meeting_or_404(meeting_id)
    if ConfirmForm().validate_on_submit():
        done = attempt(None, services.register_for_meeting, meeting, current_actor())
        if done.ok:
            registration = done.value
            if registration.status == "registered":
                flash("You are registered for this meeting.", "success")
            else:
                flash("The meeting is full, so you are on the waiting list. We will tell you if a place comes up.",
                      "info")
    return redirect(url_for("forum.meeting", meeting_id=meeting.id))


@login_required
def cancel_registration(meeting_id: int) -> ResponseReturnValue:
    meeting = queries.meeting_or_404(meeting_id)
    if ConfirmForm().validate_on_submit():
        done = attempt(None, services.cancel_registration, meeting, current_actor())
        if done.ok:
            flash("Your registration is cancelled.", "success")
    return redirect(url_for("forum.meeting", meeting_id=meeting.id))


@login_required
def cancel_meeting(meeting_id: int) -> ResponseReturnValue:
    meeting = queries.meeting_or_404(meeting_id)
    require(policy.can_manage_forum(current_user, meeting.forum), "forum.meeting_cancel")
    form = _cancel_form(ReasonForm(prefix="cancel"))
    if form.validate_on_submit():
        done = attempt(form, services.cancel_meeting, meeting, current_actor(), form.reason.data)
        if done.ok:
            flash("The meeting is cancelled. Everyone registered or waiting has been told.", "success")
            return redirect(url_for("forum.meeting", meeting_id=meeting.id))
    return _render_meeting(meeting, cancel_form=form, status=400)


@login_required
def attendance(meeting_id: int) -> ResponseReturnValue:
    meeting = queries.meeting_or_404(meeting_id)
    require(policy.can_manage_forum(current_user, meeting.forum), "forum.meeting_attendance")
    form = AttendanceForm()
    form.attended.choices = [(r.user_id, r.user.full_name) for r in queries.meeting_registrations(meeting)
                             if r.status == "registered"]
    if form.validate_on_submit():
        done = attempt(form, services.record_attendance, meeting, current_actor(), form.attended.data or [])
        if done.ok:
            count = done.value
            flash(f"Attendance recorded: {count} attended.", "success")
            return redirect(url_for("forum.meeting", meeting_id=meeting.id))
    return _render_meeting(meeting, attendance_form=form, status=400)


@login_required
def minutes(meeting_id: int) -> ResponseReturnValue:
    meeting = queries.meeting_or_404(meeting_id)
    require(policy.can_manage_forum(current_user, meeting.forum), "forum.minutes_publish")
    form = MinutesForm()
    if form.validate_on_submit():
        done = attempt(form, services.publish_minutes, meeting, current_actor(), form.minutes.data, confirmed(form))
        if done.ok:
            flash("The minutes are published.", "success")
            return redirect(url_for("forum.meeting", meeting_id=meeting.id))
    return _render_meeting(meeting, minutes_form=form, status=400)


@login_required
def add_document(meeting_id: int) -> ResponseReturnValue:
    meeting = queries.meeting_or_404(meeting_id)
    require(policy.can_manage_forum(current_user, meeting.forum), "forum.meeting_document")
    form = DocumentForm()
    if form.validate_on_submit():
        upload = uploaded(form.document)
        if upload is None:
            form.document.errors = ["Select a file to upload"]
        else:
            done = attempt(form, services.add_meeting_document, meeting, current_actor(), upload)
            if done.ok:
                flash("The document is published with the meeting.", "success")
                return redirect(url_for("forum.meeting", meeting_id=meeting.id))
    return _render_meeting(meeting, document_form=form, status=400)


def attachment(attachment_id: int) -> ResponseReturnValue:
    """Always a download, never rendered inline: the content was checked, but browsers should not run it."""
    item = queries.attachment_or_404(attachment_id)
    response = storage.download(item.file, filename=item.filename, mimetype=item.content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def edit_meeting(meeting_id: int) -> ResponseReturnValue:
    meeting = queries.meeting_or_404(meeting_id)
    require(policy.can_manage_forum(current_user, meeting.forum), "forum.meeting_change")
    starts, ends = in_uk(meeting.starts_at), in_uk(meeting.ends_at)
    form = MeetingForm(data={"title": meeting.title, "date": starts.date(), "start_time": starts.time(),
                             "end_time": ends.time(), "mode": meeting.mode, "location": meeting.location,
                             "online_link": meeting.online_link, "agenda": meeting.agenda_md,
                             "capacity": meeting.capacity})
    form.submit.label.text = "Save the changes"
    if form.validate_on_submit():
        done = attempt(form, meeting_edits.change_meeting, meeting, current_actor(), meeting_details(form),
                       confirmed(form))
        if done.ok:
            flash("The meeting is changed. Everyone registered or waiting has been told.", "success")
            return redirect(url_for("forum.meeting", meeting_id=meeting.id))
    return render_template("forum/meeting_form.html", forum=meeting.forum, form=form, meeting=meeting)
