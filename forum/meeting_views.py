"""Changing a meeting (its owners): /meetings/<id>/edit, the scheduling form filled in with the meeting."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from core.forms import attempt
from core.guards import require
from core.timezones import in_uk
from forum import meeting_edits, policy, queries
from forum.forms import MeetingForm
from forum.views import _actor, _confirmed, bp, meeting_details


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
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
        done = attempt(form, meeting_edits.change_meeting, meeting, _actor(), meeting_details(form),
                       _confirmed(form))
        if done.ok:
            flash("The meeting is changed. Everyone registered or waiting has been told.", "success")
            return redirect(url_for("forum.meeting", meeting_id=meeting.id))
    return render_template("forum/meeting_form.html", forum=meeting.forum, form=form, meeting=meeting)
