"""Provider forums: every URL of the package, in one blueprint.

Views parse the request, call one service through call_service, and render.
Reading is public; policy predicates decide what signed-in people may do and
are passed to templates as flags so buttons and routes agree.

  /forums                                   list (region, category filters)
  /forums/new                               create (commissioners)
  /forums/<slug>                            public forum page
  /forums/<slug>/edit, /status              owners
  /forums/<slug>/join, /leave, /watch       members
  /forums/<slug>/threads/new                start a thread
  /forums/<slug>/threads/<id>               thread page (+ reply form), /reply, /watch
  /forums/<slug>/moderation                 public moderation log
  /forums/<slug>/reports, /reports/<id>/dismiss   moderators' queue of reported posts
  /forums/<slug>/needs/new                  publish a need statement
  /forums/<slug>/meetings/new               schedule a meeting
  /forums.atom, /forums/<slug>/feed.atom, /forums/<slug>/meetings.ics
  /posts/<id>                               permalink; /edit, /revisions, /diff, /report, /hide
  /needs, /needs/<id>, /needs/<id>/edit     need statements
  /meetings/<id>                            meeting page; /register, /cancel, /attendance, /minutes, /documents,
                                            /cancel-meeting (owners)
  /attachments/<id>                         download
  /search                                   full-text search
  /notifications/settings                   how forum activity is emailed (the notifications are in accounts)
"""
from __future__ import annotations

from datetime import datetime, time
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from accounts.models import Viewer
from core import storage
from core.clock import utcnow
from core.errors import RuleViolation
from core.forms import ConfirmForm, attempt, signed_in_form
from core.guards import require
from core.page_cache import public_page
from core.request_args import id_arg, id_number, page_number
from core.timezones import uk_to_utc
from core.transactions import call_service
from forum import feeds, policy, queries, services
from forum.attachments import Upload
from forum.forms import (
    AttendanceForm,
    DocumentForm,
    EditPostForm,
    ForumForm,
    ForumStatusForm,
    MeetingForm,
    MinutesForm,
    NeedForm,
    NotificationSettingsForm,
    ReasonForm,
    ReplyForm,
    ThreadForm,
    WatchForm,
)
from forum.models import CATEGORIES, NEED_STATUSES, REGIONS, WATCH_LEVELS

bp = Blueprint("forum", __name__)


def _actor() -> Any:
    return current_user._get_current_object()


def _upload(field: Any) -> Upload | None:
    storage = field.data
    if storage is None or not getattr(storage, "filename", ""):
        return None
    return Upload(filename=storage.filename, data=storage.read())


def _confirmed(form: Any) -> bool:
    return bool(form.confirm_no_child_data.data)


# ---------------------------------------------------------------- forums


@bp.route("/forums")
@public_page
def forums() -> ResponseReturnValue:
    region = request.args.get("region") or None
    category = request.args.get("category") or None
    page = queries.forums_page(region, category, page_number())
    return render_template("forum/forums.html", page=page, regions=REGIONS, categories=CATEGORIES,
                           region=region, category=category, can_create=policy.can_create_forum(current_user))


def _forum_form(form: ForumForm, actor: Viewer) -> None:
    form.co_owners.choices = [(o.id, o.name) for o in queries.commissioning_organisations()
                              if o.id != getattr(actor, "organisation_id", None)]


def _forum_details(form: ForumForm) -> services.ForumDetails:
    return services.ForumDetails(title=form.title.data, remit_md=form.remit.data, region=form.region.data,
                                 categories=form.categories.data or [], co_owner_ids=form.co_owners.data or [])


@bp.route("/forums/new", methods=["GET", "POST"])
@login_required
def new_forum() -> ResponseReturnValue:
    require(policy.can_create_forum(current_user), "forum.create")
    form = ForumForm()
    _forum_form(form, current_user)
    if form.validate_on_submit():
        done = attempt(form, services.create_forum, _actor(), _forum_details(form), _confirmed(form))
        if done.ok:
            forum = done.value
            flash(f"Forum “{forum.title}” is open. Every provider can now find and join it.", "success")
            return redirect(url_for("forum.forum", slug=forum.slug))
    return render_template("forum/forum_form.html", form=form, forum=None)


@bp.route("/forums/<slug>")
@public_page
def forum(slug: str) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    member = queries.is_member(current_user, forum)
    upcoming, past = queries.forum_meetings(forum)
    flags = {
        "member": member,
        "can_join": policy.can_join(current_user, forum, member),
        "can_post": policy.can_post(current_user, forum, member),
        "can_manage": policy.can_manage_forum(current_user, forum),
        "can_moderate": policy.can_moderate(current_user, forum),
        "can_watch": policy.can_participate(current_user, forum, member),
        "signed_in": current_user.is_authenticated,
    }
    watch_form = signed_in_form(WatchForm, level=queries.watch_level(current_user, forum=forum) or "new_threads")
    return render_template("forum/forum.html", forum=forum, threads=queries.forum_threads(forum, page_number()),
                           needs=queries.forum_needs(forum), upcoming=upcoming, past=past,
                           procurements=queries.linked_procurements(forum),
                           member_count=queries.member_count(forum),
                           member_orgs=queries.member_organisations(forum), flags=flags,
                           join_form=signed_in_form(ConfirmForm), watch_form=watch_form)


@bp.route("/forums/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_forum(slug: str) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    require(policy.can_manage_forum(current_user, forum), "forum.update")
    form = ForumForm() if request.method == "POST" else ForumForm(
        title=forum.title, remit=forum.remit_md, region=forum.region, categories=forum.categories,
        co_owners=[o.id for o in forum.owners])
    _forum_form(form, current_user)
    form.co_owners.description = "Add councils or consortia who run this forum with you. Existing owners stay owners."
    status_form = ForumStatusForm(status=forum.status)
    if form.validate_on_submit():
        done = attempt(form, services.update_forum, forum, _actor(), _forum_details(form), _confirmed(form))
        if done.ok:
            flash("Forum updated.", "success")
            return redirect(url_for("forum.forum", slug=forum.slug))
    return render_template("forum/forum_form.html", form=form, forum=forum, status_form=status_form)


@bp.route("/forums/<slug>/status", methods=["POST"])
@login_required
def forum_status(slug: str) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    require(policy.can_manage_forum(current_user, forum), "forum.status")
    form = ForumStatusForm()
    if form.validate_on_submit():
        try:
            call_service(services.set_forum_status, forum, _actor(), form.status.data)
        except RuleViolation as exc:
            flash(exc.reasons.get("status") or str(exc), "error")
        else:
            flash(f"The forum is now {forum.status_label.lower()}.", "success")
    else:
        flash("Select a status.", "error")
    return redirect(url_for("forum.edit_forum", slug=forum.slug))


@bp.route("/forums/<slug>/join", methods=["POST"])
@login_required
def join(slug: str) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    if ConfirmForm().validate_on_submit():
        done = attempt(None, services.join_forum, forum, _actor())
        if done.ok:
            flash(f"You have joined “{forum.title}”. You can now post, and we will tell you about new threads.",
                  "success")
    return redirect(url_for("forum.forum", slug=forum.slug))


@bp.route("/forums/<slug>/leave", methods=["POST"])
@login_required
def leave(slug: str) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    if ConfirmForm().validate_on_submit():
        done = attempt(None, services.leave_forum, forum, _actor())
        if done.ok:
            flash(f"You have left “{forum.title}”.", "success")
    return redirect(url_for("forum.forum", slug=forum.slug))


@bp.route("/forums/<slug>/watch", methods=["POST"])
@login_required
def watch_forum(slug: str) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    require(policy.can_participate(current_user, forum, queries.is_member(current_user, forum)), "forum.watch")
    form = WatchForm()
    if form.validate_on_submit():
        call_service(services.set_watch, _actor(), form.level.data, forum=forum)
        flash(f"Watching this forum: {WATCH_LEVELS[form.level.data].lower()}.", "success")
    else:
        flash("Select how closely you want to follow the forum.", "error")
    return redirect(url_for("forum.forum", slug=forum.slug))


@bp.route("/forums/<slug>/moderation")
def moderation_log(slug: str) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    return render_template("forum/moderation_log.html", forum=forum, page=queries.moderation_log(forum, page_number()))


@bp.route("/forums/<slug>/reports")
@login_required
def reports(slug: str) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    require(policy.can_moderate(current_user, forum), "forum.reports")
    return render_template("forum/reports.html", forum=forum, reports=queries.open_reports(forum),
                           form=ConfirmForm())


@bp.route("/reports/<int:report_id>/dismiss", methods=["POST"])
@login_required
def dismiss_report(report_id: int) -> ResponseReturnValue:
    report = queries.report_or_404(report_id)
    forum = report.post.thread.forum
    require(policy.can_moderate(current_user, forum), "forum.report_dismiss")
    if ConfirmForm().validate_on_submit():
        done = attempt(None, services.dismiss_report, report, _actor())
        if done.ok:
            flash("The report is dismissed. The post stays visible.", "success")
    return redirect(url_for("forum.reports", slug=forum.slug))


# ---------------------------------------------------------------- threads and posts


@bp.route("/forums/<slug>/threads/new", methods=["GET", "POST"])
@login_required
def new_thread(slug: str) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    if not forum.is_open:
        flash(f"This forum is {forum.status_label.lower()}: it no longer takes new posts.", "error")
        return redirect(url_for("forum.forum", slug=forum.slug))
    require(policy.can_post(current_user, forum, queries.is_member(current_user, forum)), "forum.thread_start")
    form = ThreadForm()
    if form.validate_on_submit():
        done = attempt(form, services.start_thread, forum, _actor(), form.title.data, form.body.data,
                       _confirmed(form), _upload(form.attachment))
        if done.ok:
            thread = done.value
            flash("Your thread is published.", "success")
            return redirect(url_for("forum.thread", slug=forum.slug, thread_id=thread.id))
    return render_template("forum/thread_form.html", forum=forum, form=form)


def _render_thread(forum: Any, thread: Any, reply_form: ReplyForm | None, status: int = 200) -> ResponseReturnValue:
    member = queries.is_member(current_user, forum)
    posts = queries.thread_posts(thread, page_number())
    flags = {
        "can_post": policy.can_post(current_user, forum, member),
        "can_report": policy.can_report(current_user, forum, member),
        "can_moderate": policy.can_moderate(current_user, forum),
        "can_manage": policy.can_manage_forum(current_user, forum),
        "can_watch": policy.can_participate(current_user, forum, member),
        "can_join": policy.can_join(current_user, forum, member),
        "user_id": current_user.id if current_user.is_authenticated else None,
        "forum_open": forum.is_open,
    }
    watch_form = signed_in_form(WatchForm, level=queries.watch_level(current_user, thread=thread) or "all")
    if watch_form is not None:
        watch_form.level.choices = [(k, v) for k, v in WATCH_LEVELS.items() if k != "new_threads"]
    editable = {p.id for p in posts.items if policy.can_edit_post(current_user, p)}
    reportable = {p.id for p in posts.items if flags["can_report"] and p.author_id != flags["user_id"]}
    need = queries.need_for_thread(thread)
    return render_template("forum/thread.html", forum=forum, thread=thread, posts=posts, form=reply_form,
                           flags=flags, editable=editable, reportable=reportable,
                           need=need, need_procurements=queries.need_procurements(need) if need else [],
                           watch_form=watch_form,
                           join_form=signed_in_form(ConfirmForm)), status


@bp.route("/forums/<slug>/threads/<int:thread_id>")
@public_page
def thread(slug: str, thread_id: int) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    thread = queries.thread_or_404(forum, thread_id)
    form = signed_in_form(ReplyForm)
    quote_id = id_arg("quote")
    if quote_id and form is not None:
        quoted = queries.post_or_404(quote_id)
        if quoted.thread_id == thread.id and not quoted.is_hidden:
            form.quote.data = str(quoted.id)
            form.body.data = "\n".join(f"> {line}" for line in quoted.body_md.splitlines()) + "\n\n"
    return _render_thread(forum, thread, form)


@bp.route("/forums/<slug>/threads/<int:thread_id>/reply", methods=["POST"])
@login_required
def reply(slug: str, thread_id: int) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    thread = queries.thread_or_404(forum, thread_id)
    form = ReplyForm()
    if form.validate_on_submit():
        quoted = None
        quote_id = id_number(form.quote.data)
        if quote_id is not None:
            quoted = queries.post_or_404(quote_id)
        done = attempt(form, services.reply, thread, _actor(), form.body.data, quoted, _confirmed(form),
                       _upload(form.attachment))
        if done.ok:
            post = done.value
            flash("Your reply is published.", "success")
            return redirect(url_for("forum.post_permalink", post_id=post.id))
    return _render_thread(forum, thread, form, 400)


@bp.route("/forums/<slug>/threads/<int:thread_id>/watch", methods=["POST"])
@login_required
def watch_thread(slug: str, thread_id: int) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    thread = queries.thread_or_404(forum, thread_id)
    require(policy.can_participate(current_user, forum, queries.is_member(current_user, forum)), "forum.watch")
    form = WatchForm()
    form.level.choices = [(k, v) for k, v in WATCH_LEVELS.items() if k != "new_threads"]
    if form.validate_on_submit():
        call_service(services.set_watch, _actor(), form.level.data, thread=thread)
        flash(f"Watching this thread: {WATCH_LEVELS[form.level.data].lower()}.", "success")
    else:
        flash("Select how closely you want to follow the thread.", "error")
    return redirect(url_for("forum.thread", slug=forum.slug, thread_id=thread.id))


@bp.route("/posts/<int:post_id>")
def post_permalink(post_id: int) -> ResponseReturnValue:
    post = queries.post_or_404(post_id)
    page = queries.post_page_number(post)
    return redirect(url_for("forum.thread", slug=post.thread.forum.slug, thread_id=post.thread_id,
                            page=page if page > 1 else None, _anchor=f"post-{post.id}"))


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(post_id: int) -> ResponseReturnValue:
    post = queries.post_or_404(post_id)
    require(policy.can_edit_post(current_user, post), "forum.post_edit")
    form = EditPostForm() if request.method == "POST" else EditPostForm(body=post.body_md)
    if form.validate_on_submit():
        done = attempt(form, services.edit_post, post, _actor(), form.body.data, _confirmed(form))
        if done.ok:
            flash("Your post is updated. Its earlier versions stay visible.", "success")
            return redirect(url_for("forum.post_permalink", post_id=post.id))
    return render_template("forum/edit_post.html", post=post, form=form)


@bp.route("/posts/<int:post_id>/revisions")
def revisions(post_id: int) -> ResponseReturnValue:
    post = queries.post_or_404(post_id)
    if post.is_hidden:
        abort(404)
    return render_template("forum/revisions.html", post=post, revisions=queries.revisions(post))


@bp.route("/posts/<int:post_id>/revisions/diff")
def diff(post_id: int) -> ResponseReturnValue:
    post = queries.post_or_404(post_id)
    if post.is_hidden:
        abort(404)
    revs = {r.number: r for r in queries.revisions(post)}
    newer = request.args.get("to", type=int) or post.revision_count
    older = request.args.get("from", type=int) or newer - 1
    if older not in revs or newer not in revs or older >= newer:
        flash("Choose two different versions of the post to compare, the older first.", "error")
        return redirect(url_for("forum.revisions", post_id=post.id))
    return render_template("forum/diff.html", post=post, older=revs[older], newer=revs[newer],
                           diff=queries.diff_revisions(revs[older], revs[newer]))


@bp.route("/posts/<int:post_id>/report", methods=["GET", "POST"])
@login_required
def report_post(post_id: int) -> ResponseReturnValue:
    post = queries.post_or_404(post_id)
    forum = post.thread.forum
    require(policy.can_report(current_user, forum, queries.is_member(current_user, forum)), "forum.post_report")
    form = ReasonForm()
    form.reason.label.text = "What is wrong with this post?"
    form.submit.label.text = "Report post"
    if form.validate_on_submit():
        done = attempt(form, services.report_post, post, _actor(), form.reason.data)
        if done.ok:
            flash("Thank you. The forum’s moderators have been told.", "success")
            return redirect(url_for("forum.post_permalink", post_id=post.id))
    return render_template("forum/reason.html", post=post, form=form, title="Report a post",
                           action=url_for("forum.report_post", post_id=post.id))


@bp.route("/posts/<int:post_id>/hide", methods=["GET", "POST"])
@login_required
def hide_post(post_id: int) -> ResponseReturnValue:
    post = queries.post_or_404(post_id)
    require(policy.can_moderate(current_user, post.thread.forum), "forum.post_hide")
    form = ReasonForm()
    form.reason.label.text = "Why are you hiding this post?"
    form.reason.description = "The reason is shown publicly in place of the post and in the moderation log."
    form.submit.label.text = "Hide post"
    if form.validate_on_submit():
        done = attempt(form, services.hide_post, post, _actor(), form.reason.data)
        if done.ok:
            flash("The post is hidden. Its author has been told why.", "success")
            return redirect(url_for("forum.post_permalink", post_id=post.id))
    return render_template("forum/reason.html", post=post, form=form, title="Hide a post",
                           action=url_for("forum.hide_post", post_id=post.id))


# ---------------------------------------------------------------- need statements


def _need_details(form: NeedForm) -> services.NeedDetails:
    entries = [entry for entry in form.items
               if entry.category.data or entry.intensity.data or entry.frequency.data]
    items = [(entry.category.data, entry.intensity.data, entry.frequency.data) for entry in entries]
    return services.NeedDetails(
        title=form.title.data, cohort_size=form.cohort_size.data, age_bands=form.age_bands.data or [],
        items=items, current_provision_md=form.current_provision.data, gaps_md=form.gaps.data,
        outcomes_md=form.outcomes.data, budget_min=form.budget_min.data, budget_max=form.budget_max.data,
        timescale=form.timescale.data, status=form.status.data, area_code=form.area_code.data or None,
        horizon=form.horizon.data or None, children=[entry.children.data or 1 for entry in entries])


@bp.route("/forums/<slug>/needs/new", methods=["GET", "POST"])
@login_required
def new_need(slug: str) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    require(policy.can_manage_forum(current_user, forum), "forum.need_publish")
    form = NeedForm()
    if form.validate_on_submit():
        done = attempt(form, services.publish_need, forum, _actor(), _need_details(form), _confirmed(form))
        if done.ok:
            need = done.value
            flash("The need statement is published. Providers can respond in its thread.", "success")
            return redirect(url_for("forum.need", need_id=need.id))
    return render_template("forum/need_form.html", forum=forum, form=form, need=None)


@bp.route("/needs")
def needs() -> ResponseReturnValue:
    region = request.args.get("region") or None
    category = request.args.get("category") or None
    status = request.args.get("status") or None
    return render_template("forum/needs.html", page=queries.needs_page(region, category, status, page_number()),
                           regions=REGIONS, categories=CATEGORIES, statuses=NEED_STATUSES,
                           region=region, category=category, status=status)


@bp.route("/needs/<int:need_id>")
def need(need_id: int) -> ResponseReturnValue:
    need = queries.need_or_404(need_id)
    return redirect(url_for("forum.thread", slug=need.forum.slug, thread_id=need.thread_id))


@bp.route("/needs/<int:need_id>/edit", methods=["GET", "POST"])
@login_required
def edit_need(need_id: int) -> ResponseReturnValue:
    need = queries.need_or_404(need_id)
    require(policy.can_manage_forum(current_user, need.forum), "forum.need_update")
    if request.method == "POST":
        form = NeedForm()
    else:
        form = NeedForm(title=need.title, cohort_size=need.cohort_size, age_bands=need.age_bands.split(","),
                        current_provision=need.current_provision_md, gaps=need.gaps_md, outcomes=need.outcomes_md,
                        budget_min=need.budget_min, budget_max=need.budget_max, timescale=need.timescale,
                        status=need.status, area_code=need.area_code or "", horizon=need.horizon,
                        items=[{"category": i.category, "intensity": i.intensity, "frequency": i.frequency,
                                "children": i.children}
                               for i in need.items])
    form.submit.label.text = "Save changes"
    if form.validate_on_submit():
        done = attempt(form, services.update_need, need, _actor(), _need_details(form), _confirmed(form))
        if done.ok:
            flash("The need statement is updated.", "success")
            return redirect(url_for("forum.need", need_id=need.id))
    return render_template("forum/need_form.html", forum=need.forum, form=form, need=need)


# ---------------------------------------------------------------- meetings


def _uk_to_utc(day: Any, moment: time) -> datetime:
    return uk_to_utc(day, moment)


@bp.route("/forums/<slug>/meetings/new", methods=["GET", "POST"])
@login_required
def new_meeting(slug: str) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    require(policy.can_manage_forum(current_user, forum), "forum.meeting_schedule")
    form = MeetingForm()
    if form.validate_on_submit():
        done = attempt(form, services.schedule_meeting, forum, _actor(), meeting_details(form), _confirmed(form))
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


@bp.route("/meetings")
@public_page
def meetings() -> ResponseReturnValue:
    """Every forum's upcoming meetings in one list, with one calendar feed for all of them."""
    return render_template("forum/meetings.html", meetings=queries.upcoming_meetings(utcnow()))


@bp.route("/meetings.ics")
def upcoming_meetings_ics() -> ResponseReturnValue:
    now = utcnow()
    response = feeds.conditional(f"upcoming-ics-{now:%Y-%m-%d}", None,
                                 lambda: feeds.upcoming_meetings_calendar(queries.upcoming_meetings(now)),
                                 "text/calendar")
    response.headers.set("Content-Disposition", "inline", filename="upcoming-meetings.ics")
    return response


@bp.route("/meetings/<int:meeting_id>/calendar.ics")
def meeting_ics(meeting_id: int) -> ResponseReturnValue:
    """"Add to calendar": one meeting as an .ics file a calendar app opens."""
    meeting = queries.meeting_or_404(meeting_id)
    response = Response(feeds.meeting_calendar(meeting), mimetype="text/calendar")
    response.headers.set("Content-Disposition", "attachment", filename=f"meeting-{meeting.id}.ics")
    return response


@bp.route("/meetings/<int:meeting_id>")
def meeting(meeting_id: int) -> ResponseReturnValue:
    return _render_meeting(queries.meeting_or_404(meeting_id))


@bp.route("/meetings/<int:meeting_id>/register", methods=["POST"])
@login_required
def register(meeting_id: int) -> ResponseReturnValue:
    meeting = queries.meeting_or_404(meeting_id)
    if ConfirmForm().validate_on_submit():
        done = attempt(None, services.register_for_meeting, meeting, _actor())
        if done.ok:
            registration = done.value
            if registration.status == "registered":
                flash("You are registered for this meeting.", "success")
            else:
                flash("The meeting is full, so you are on the waiting list. We will tell you if a place comes up.",
                      "info")
    return redirect(url_for("forum.meeting", meeting_id=meeting.id))


@bp.route("/meetings/<int:meeting_id>/cancel", methods=["POST"])
@login_required
def cancel_registration(meeting_id: int) -> ResponseReturnValue:
    meeting = queries.meeting_or_404(meeting_id)
    if ConfirmForm().validate_on_submit():
        done = attempt(None, services.cancel_registration, meeting, _actor())
        if done.ok:
            flash("Your registration is cancelled.", "success")
    return redirect(url_for("forum.meeting", meeting_id=meeting.id))


@bp.route("/meetings/<int:meeting_id>/cancel-meeting", methods=["POST"])
@login_required
def cancel_meeting(meeting_id: int) -> ResponseReturnValue:
    meeting = queries.meeting_or_404(meeting_id)
    require(policy.can_manage_forum(current_user, meeting.forum), "forum.meeting_cancel")
    form = _cancel_form(ReasonForm(prefix="cancel"))
    if form.validate_on_submit():
        done = attempt(form, services.cancel_meeting, meeting, _actor(), form.reason.data)
        if done.ok:
            flash("The meeting is cancelled. Everyone registered or waiting has been told.", "success")
            return redirect(url_for("forum.meeting", meeting_id=meeting.id))
    return _render_meeting(meeting, cancel_form=form, status=400)


@bp.route("/meetings/<int:meeting_id>/attendance", methods=["POST"])
@login_required
def attendance(meeting_id: int) -> ResponseReturnValue:
    meeting = queries.meeting_or_404(meeting_id)
    require(policy.can_manage_forum(current_user, meeting.forum), "forum.meeting_attendance")
    form = AttendanceForm()
    form.attended.choices = [(r.user_id, r.user.full_name) for r in queries.meeting_registrations(meeting)
                             if r.status == "registered"]
    if form.validate_on_submit():
        done = attempt(form, services.record_attendance, meeting, _actor(), form.attended.data or [])
        if done.ok:
            count = done.value
            flash(f"Attendance recorded: {count} attended.", "success")
            return redirect(url_for("forum.meeting", meeting_id=meeting.id))
    return _render_meeting(meeting, attendance_form=form, status=400)


@bp.route("/meetings/<int:meeting_id>/minutes", methods=["POST"])
@login_required
def minutes(meeting_id: int) -> ResponseReturnValue:
    meeting = queries.meeting_or_404(meeting_id)
    require(policy.can_manage_forum(current_user, meeting.forum), "forum.minutes_publish")
    form = MinutesForm()
    if form.validate_on_submit():
        done = attempt(form, services.publish_minutes, meeting, _actor(), form.minutes.data, _confirmed(form))
        if done.ok:
            flash("The minutes are published.", "success")
            return redirect(url_for("forum.meeting", meeting_id=meeting.id))
    return _render_meeting(meeting, minutes_form=form, status=400)


@bp.route("/meetings/<int:meeting_id>/documents", methods=["POST"])
@login_required
def add_document(meeting_id: int) -> ResponseReturnValue:
    meeting = queries.meeting_or_404(meeting_id)
    require(policy.can_manage_forum(current_user, meeting.forum), "forum.meeting_document")
    form = DocumentForm()
    if form.validate_on_submit():
        upload = _upload(form.document)
        if upload is None:
            form.document.errors = ["Select a file to upload"]
        else:
            done = attempt(form, services.add_meeting_document, meeting, _actor(), upload)
            if done.ok:
                flash("The document is published with the meeting.", "success")
                return redirect(url_for("forum.meeting", meeting_id=meeting.id))
    return _render_meeting(meeting, document_form=form, status=400)


@bp.route("/attachments/<int:attachment_id>")
def attachment(attachment_id: int) -> ResponseReturnValue:
    """Always a download, never rendered inline: the content was checked, but browsers should not run it."""
    item = queries.attachment_or_404(attachment_id)
    response = storage.download(item.file, filename=item.filename, mimetype=item.content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# ---------------------------------------------------------------- feeds


@bp.route("/forums.atom")
@public_page
def all_forums_feed() -> ResponseReturnValue:
    return feeds.conditional("atom", None, lambda: feeds.atom_feed(None), "application/atom+xml")


@bp.route("/forums/<slug>/feed.atom")
@public_page
def forum_feed(slug: str) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    return feeds.conditional("atom", forum, lambda: feeds.atom_feed(forum), "application/atom+xml")


@bp.route("/forums/<slug>/meetings.ics")
def meetings_ics(slug: str) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    response = feeds.conditional("ics", forum, lambda: feeds.meetings_calendar(forum), "text/calendar")
    response.headers.set("Content-Disposition", "inline", filename=f"{forum.slug}-meetings.ics")
    return response


# ---------------------------------------------------------------- search and notifications


@bp.route("/search")
def search() -> ResponseReturnValue:
    query = (request.args.get("q") or "").strip()
    found, problem = None, None
    if len(query) > 200:
        problem = "Your search must be 200 characters or fewer"
    elif query:
        found = queries.search_results(query, page_number())
        if not found.total and not any(ch.isalnum() for ch in query):
            problem = "Enter words to search for: symbols on their own cannot be searched"
    return render_template("forum/search.html", query=query, found=found, problem=problem,
                           page=page_number(), per_page=20), 400 if problem else 200


@bp.route("/notifications/settings", methods=["GET", "POST"])
@login_required
def notification_settings() -> ResponseReturnValue:
    form = NotificationSettingsForm() if request.method == "POST" else \
        NotificationSettingsForm(email_mode=queries.email_mode(current_user))
    if form.validate_on_submit():
        done = attempt(form, services.set_email_mode, _actor(), form.email_mode.data)
        if done.ok:
            flash("Your email settings are saved.", "success")
            return redirect(url_for("accounts.notifications_list"))
    return render_template("forum/notification_settings.html", form=form)


# ---------------------------------------------------------------- command line


@bp.cli.command("digest")
def digest_command() -> None:
    """Queue the daily digest emails (run once a day; `flask outbox deliver` sends them)."""
    import click

    count = call_service(services.send_daily_digests)
    click.echo(f"Queued {count} digest email{'s' if count != 1 else ''}.")
# Changing a meeting is on the same blueprint.
from forum import meeting_views  # noqa: E402,F401
from forum import worklist as _worklist  # noqa: E402,F401  (the forums' items for "My work")
