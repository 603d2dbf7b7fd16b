"""Preliminary market engagement (commissioners): the engagement notice and its events, and the forum and
need statements a procurement is linked to."""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from core import clock
from core.check_answers import changing, confirmed
from core.errors import RuleViolation
from core.extensions import db
from core.forms import apply_violation, attempt
from core.timezones import uk_when
from core.transactions import call_service
from forum.models import Forum, Meeting, NeedStatement
from tenders import queries
from tenders.forms import EngagementForm, EventForm, LinksForm, MeetingEventForm, combine
from tenders.models import Procurement
from tenders.services import links, procurements
from tenders.views import checks
from tenders.views.common import back_to_procurement, managed_procurement, procurement_context


def _meeting_form(procurement: Procurement, formdata: Any = None) -> MeetingEventForm:
    form = MeetingEventForm(formdata=formdata)
    form.meeting.choices = [("", "Choose a meeting")] + [
        (str(m.id), f"{m.title}: {uk_when(m.starts_at)} ({m.mode_label})")
        for m in queries.addable_meetings(procurement, clock.utcnow())]
    return form


def _engagement_page(procurement: Procurement, form: EngagementForm, event_form: EventForm,
                     meeting_form: MeetingEventForm, status: int = 200) -> Any:
    return render_template("tenders/engagement.html", form=form, event_form=event_form, meeting_form=meeting_form,
                           **procurement_context(procurement)), status


@login_required
def engagement(procurement_id: int):
    procurement = managed_procurement(procurement_id)
    form, event_form = EngagementForm(), EventForm(formdata=None)
    if form.validate_on_submit() and not changing():
        if not confirmed():
            checked = attempt(form, procurements.check_engagement_notice, procurement, closes_on=form.closes_on.data,
                              now=clock.utcnow())
            if checked.ok:
                return checks.engagement_notice(procurement, form, procurement_context(procurement))
            return _engagement_page(procurement, form, event_form, _meeting_form(procurement), 400)
        done = attempt(form, procurements.publish_engagement_notice, procurement, current_user,
                       closes_on=form.closes_on.data, now=clock.utcnow())
        if done.ok:
            flash("The preliminary market engagement notice is published.", "success")
            return back_to_procurement(procurement)
    return _engagement_page(procurement, form, event_form, _meeting_form(procurement))


@login_required
def add_event(procurement_id: int):
    procurement = managed_procurement(procurement_id)
    event_form, form = EventForm(), EngagementForm(formdata=None)
    if event_form.validate_on_submit():
        try:
            call_service(procurements.add_engagement_event, procurement, current_user, title=event_form.title.data,
                         starts_at=combine(event_form.day.data, event_form.at.data), place=event_form.place.data,
                         now=clock.utcnow())
        except RuleViolation as exc:
            apply_violation(event_form, exc)
            if "starts_at" in exc.reasons:
                event_form.day.errors = [exc.reasons["starts_at"]]
        else:
            flash("Event added to the engagement notice.", "success")
            return redirect(url_for("tenders.engagement", procurement_id=procurement.id))
    return _engagement_page(procurement, form, event_form, _meeting_form(procurement), 400)


@login_required
def add_meeting_event(procurement_id: int):
    procurement = managed_procurement(procurement_id)
    meeting_form = _meeting_form(procurement, request.form)
    if meeting_form.validate_on_submit():
        meeting = db.get_or_404(Meeting, int(meeting_form.meeting.data))
        done = attempt(meeting_form, links.add_meeting_event, procurement, current_user, meeting, now=clock.utcnow())
        if done.ok:
            flash(f"“{meeting.title}” is now an engagement event on the notice.", "success")
            return redirect(url_for("tenders.engagement", procurement_id=procurement.id))
    return _engagement_page(procurement, EngagementForm(formdata=None), EventForm(formdata=None), meeting_form, 400)


def _links_form(procurement: Procurement, formdata: Any = None) -> LinksForm:
    form = LinksForm(formdata=formdata)
    forums = queries.linkable_forums(procurement)
    if procurement.forum is not None and procurement.forum not in forums:
        forums.append(procurement.forum)  # keep showing the current link even if it is no longer offered
    form.forum.choices = [("", "No forum")] + [(str(f.id), f.title) for f in forums]
    form.needs.choices = [(n.id, f"{n.title} ({n.forum.title})") for n in queries.linkable_needs(procurement)]
    if formdata is None:
        form.forum.data = str(procurement.forum_id or "")
        form.needs.data = [n.id for n in procurement.need_statements]
    return form


@login_required
def links_page(procurement_id: int):
    procurement = managed_procurement(procurement_id)
    form = _links_form(procurement, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        forum = db.get_or_404(Forum, int(form.forum.data)) if form.forum.data else None
        needs = [db.get_or_404(NeedStatement, need_id) for need_id in (form.needs.data or [])]
        done = attempt(form, links.set_links, procurement, current_user, forum=forum, needs=needs, now=clock.utcnow())
        if done.ok:
            flash("The forum and need statements linked to this procurement are saved.", "success")
            return back_to_procurement(procurement, "#links")
    return (render_template("tenders/links.html", form=form, **procurement_context(procurement)),
            400 if form.errors else 200)
