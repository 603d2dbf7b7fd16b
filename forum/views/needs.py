"""Need statements: publishing one in a forum, the list of them all, and changing one."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from core.forms import attempt
from core.guards import require
from core.request_args import page_number
from forum import policy, queries, services
from forum.forms import NeedForm
from forum.models import CATEGORIES, NEED_STATUSES, REGIONS
from forum.views.common import confirmed, current_actor


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


@login_required
def new_need(slug: str) -> ResponseReturnValue:
    forum = queries.forum_or_404(slug)
    require(policy.can_manage_forum(current_user, forum), "forum.need_publish")
    form = NeedForm()
    if form.validate_on_submit():
        done = attempt(form, services.publish_need, forum, current_actor(), _need_details(form), confirmed(form))
        if done.ok:
            need = done.value
            flash("The need statement is published. Providers can respond in its thread.", "success")
            return redirect(url_for("forum.need", need_id=need.id))
    return render_template("forum/need_form.html", forum=forum, form=form, need=None)


def needs() -> ResponseReturnValue:
    region = request.args.get("region") or None
    category = request.args.get("category") or None
    status = request.args.get("status") or None
    return render_template("forum/needs.html", page=queries.needs_page(region, category, status, page_number()),
                           regions=REGIONS, categories=CATEGORIES, statuses=NEED_STATUSES,
                           region=region, category=category, status=status)


def need(need_id: int) -> ResponseReturnValue:
    need = queries.need_or_404(need_id)
    return redirect(url_for("forum.thread", slug=need.forum.slug, thread_id=need.thread_id))


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
        done = attempt(form, services.update_need, need, current_actor(), _need_details(form), confirmed(form))
        if done.ok:
            flash("The need statement is updated.", "success")
            return redirect(url_for("forum.need", need_id=need.id))
    return render_template("forum/need_form.html", forum=need.forum, form=form, need=need)
