"""Forums: the list, opening and changing one, its status, joining, leaving and watching, and moderation."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from accounts.models import Viewer
from core.errors import RuleViolation
from core.forms import ConfirmForm, attempt, signed_in_form
from core.guards import require
from core.page_cache import public_page
from core.request_args import page_number
from core.transactions import call_service
from forum import policy, queries, services
from forum.forms import ForumForm, ForumStatusForm, WatchForm
from forum.models import CATEGORIES, REGIONS, WATCH_LEVELS
from forum.views.common import confirmed, current_actor


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


@login_required
def new_forum() -> ResponseReturnValue:
    require(policy.can_create_forum(current_user), "forum.create")
    form = ForumForm()
    _forum_form(form, current_user)
    if form.validate_on_submit():
        done = attempt(form, services.create_forum, current_actor(), _forum_details(form), confirmed(form))
        if done.ok:
            forum = done.value
            flash(f"Forum “{forum.title}” is open. Every provider can now find and join it.", "success")
            return redirect(url_for("forum.forum", slug=forum.slug))
    return render_template("forum/forum_form.html", form=form, forum=None)


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
        done = attempt(form, services.update_forum, forum, current_actor(), _forum_details(form), confirmed(form))
        if done.ok:
            flash("Forum updated.", "success")
            return redirect(url_for("forum.forum", slug=forum.slug))
    return render_template("forum/forum_form.html", form=form, forum=forum, status_form=status_form)


@login_required
def forum_status(slug: str) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    require(policy.can_manage_forum(current_user, forum), "forum.status")
    form = ForumStatusForm()
    if form.validate_on_submit():
        try:
            call_service(services.set_forum_status, forum, current_actor(), form.status.data)
        except RuleViolation as exc:
            flash(exc.reasons.get("status") or str(exc), "error")
        else:
            flash(f"The forum is now {forum.status_label.lower()}.", "success")
    else:
        flash("Select a status.", "error")
    return redirect(url_for("forum.edit_forum", slug=forum.slug))


@login_required
def join(slug: str) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    if ConfirmForm().validate_on_submit():
        done = attempt(None, services.join_forum, forum, current_actor())
        if done.ok:
            flash(f"You have joined “{forum.title}”. You can now post, and we will tell you about new threads.",
                  "success")
    return redirect(url_for("forum.forum", slug=forum.slug))


@login_required
def leave(slug: str) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    if ConfirmForm().validate_on_submit():
        done = attempt(None, services.leave_forum, forum, current_actor())
        if done.ok:
            flash(f"You have left “{forum.title}”.", "success")
    return redirect(url_for("forum.forum", slug=forum.slug))


@login_required
def watch_forum(slug: str) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    require(policy.can_participate(current_user, forum, queries.is_member(current_user, forum)), "forum.watch")
    form = WatchForm()
    if form.validate_on_submit():
        call_service(services.set_watch, current_actor(), form.level.data, forum=forum)
        flash(f"Watching this forum: {WATCH_LEVELS[form.level.data].lower()}.", "success")
    else:
        flash("Select how closely you want to follow the forum.", "error")
    return redirect(url_for("forum.forum", slug=forum.slug))


def moderation_log(slug: str) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    return render_template("forum/moderation_log.html", forum=forum, page=queries.moderation_log(forum, page_number()))


@login_required
def reports(slug: str) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    require(policy.can_moderate(current_user, forum), "forum.reports")
    return render_template("forum/reports.html", forum=forum, reports=queries.open_reports(forum),
                           form=ConfirmForm())


@login_required
def dismiss_report(report_id: int) -> ResponseReturnValue:
    report = queries.report_or_404(report_id)
    forum = report.post.thread.forum
    require(policy.can_moderate(current_user, forum), "forum.report_dismiss")
    if ConfirmForm().validate_on_submit():
        done = attempt(None, services.dismiss_report, report, current_actor())
        if done.ok:
            flash("The report is dismissed. The post stays visible.", "success")
    return redirect(url_for("forum.reports", slug=forum.slug))
