"""Clarifications: providers ask, the owning commissioners answer everyone."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from accounts import policy as accounts_policy
from core import clock
from core.extensions import db
from core.forms import attempt
from core.guards import require
from tenders import queries
from tenders.forms import AnswerForm, QuestionForm
from tenders.models import Clarification
from tenders.services import clarifications
from tenders.views.common import managed_procurement, procurement_context, procurement_flags, visible_procurement


@login_required
def clarifications_page(procurement_id: int):
    procurement = visible_procurement(procurement_id)
    flags = procurement_flags(procurement)
    require(flags["ask"] or flags["manage"] or accounts_policy.is_provider(current_user), "clarification.view")
    form = QuestionForm()
    if form.validate_on_submit():
        require(flags["ask"], "clarification.ask")
        done = attempt(form, clarifications.ask_clarification, procurement, current_user,
                       question=form.question.data, now=clock.utcnow())
        if done.ok:
            clarification = done.value
            flash(f"Question sent. It will be answered to everyone; you appear as {clarification.pseudonym}.",
                  "success")
            return redirect(url_for("tenders.clarifications_page", procurement_id=procurement.id))
    if flags["manage"]:
        listed = queries.all_clarifications(procurement)
    elif accounts_policy.is_provider(current_user):
        listed = queries.own_clarifications(procurement, current_user.organisation_id)
    else:
        listed = []
    return render_template("tenders/clarifications.html", form=form, listed=listed,
                           cutoff=clarifications.answer_cutoff(procurement) if procurement.response_deadline else None,
                           **procurement_context(procurement))


@login_required
def answer(procurement_id: int, clarification_id: int):
    procurement = managed_procurement(procurement_id)
    clarification = db.get_or_404(Clarification, clarification_id)
    if clarification.procurement_id != procurement.id:
        abort(404)
    form = AnswerForm()
    if form.validate_on_submit():
        done = attempt(form, clarifications.answer_clarification, clarification, current_user,
                       answer_md=form.answer.data, now=clock.utcnow())
        if done.ok:
            result = done.value
            flash("Answer published to every participant and on the public page.", "success")
            if result.warning:
                flash(result.warning, "info")
            return redirect(url_for("tenders.clarifications_page", procurement_id=procurement.id))
    return render_template("tenders/answer.html", form=form, clarification=clarification,
                           late=clock.utcnow() > clarifications.answer_cutoff(procurement),
                           **procurement_context(procurement))
