"""Evaluation: evaluators, scores, their submission and consensus (moderation)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from accounts.models import User
from core import clock
from core.check_answers import changing, confirmed
from core.extensions import db
from core.forms import ConfirmForm, attempt
from core.guards import require
from core.transactions import call_service
from tenders import policy, scoring
from tenders.forms import ConsensusForm, EvaluatorForm, parse_int, score_sheet_form
from tenders.models import AwardCriterion, Procurement
from tenders.services import evaluation, responses
from tenders.views import checks
from tenders.views.common import (
    addressed_response,
    managed_procurement,
    may_record_refusal,
    procurement_context,
    unreadable_page,
    visible_procurement,
)


def _evaluators_choices(procurement: Procurement) -> list[tuple[str, str]]:
    assigned = {a.user_id for a in evaluation.assignments(procurement)}
    return [("", "Choose a commissioner")] + [
        (str(person.id), person.full_name) for person in procurement.owner.members
        if person.id not in assigned and policy.is_owner_commissioner(person, procurement)]


@login_required
def evaluation_page(procurement_id: int):
    procurement = visible_procurement(procurement_id)
    require(policy.can_view_evaluation(current_user, procurement), "evaluation.view")
    form = EvaluatorForm()
    form.evaluator.choices = _evaluators_choices(procurement)
    mine = evaluation.assignment_for(procurement, current_user)
    return render_template("tenders/evaluation.html", form=form, mine=mine,
                           assignments=evaluation.assignments(procurement),
                           scores=evaluation.visible_scores(procurement, current_user),
                           ranking=evaluation.ranking(procurement),
                           quality=evaluation.quality_criteria(procurement),
                           all_submitted=evaluation.all_submitted(procurement),
                           price_formula=evaluation.PRICE_FORMULA, submit_form=ConfirmForm(prefix="submitscores"),
                           **procurement_context(procurement))


@login_required
def assign(procurement_id: int):
    procurement = managed_procurement(procurement_id)
    form = EvaluatorForm()
    form.evaluator.choices = _evaluators_choices(procurement)
    if form.validate_on_submit():
        person = db.get_or_404(User, int(form.evaluator.data))
        done = attempt(form, evaluation.assign_evaluator, procurement, current_user, person,
                       is_moderator=form.is_moderator.data, now=clock.utcnow())
        if done.ok:
            flash(f"{person.full_name} is an evaluator.", "success")
            return redirect(url_for("tenders.evaluation_page", procurement_id=procurement.id))
    return render_template(
        "tenders/evaluation.html",
        form=form,
        mine=evaluation.assignment_for(procurement, current_user),
        assignments=evaluation.assignments(procurement),
        scores=evaluation.visible_scores(procurement, current_user),
        ranking=evaluation.ranking(procurement),
        quality=evaluation.quality_criteria(procurement),
        all_submitted=evaluation.all_submitted(procurement),
        price_formula=evaluation.PRICE_FORMULA,
        submit_form=ConfirmForm(prefix="submitscores"),
        **procurement_context(procurement),
    ), 400


@login_required
def score(procurement_id: int, response_id: int):
    may_record_refusal()
    procurement = managed_procurement(procurement_id)
    response = addressed_response(procurement, response_id, "evaluation.score")
    require(evaluation.assignment_for(procurement, current_user) is not None, "evaluation.score")
    quality = evaluation.quality_criteria(procurement)
    existing = {s.criterion_id: (s.score, s.rationale) for s in evaluation.visible_scores(procurement, current_user)
                if s.response_id == response.id and s.evaluator_id == current_user.id}
    form = score_sheet_form(quality, procurement.score_max, existing)
    if form.validate_on_submit():
        sheet = {c.id: (parse_int(form[f"score-{c.id}"].data), form[f"rationale-{c.id}"].data or "") for c in quality}
        done = attempt(form, evaluation.record_scores, procurement, current_user, response, sheet, now=clock.utcnow())
        if done.ok:
            flash("Your scores for this response are saved.", "success")
            return redirect(url_for("tenders.evaluation_page", procurement_id=procurement.id))
    try:
        content = call_service(responses.read_response, response, current_user, now=clock.utcnow())
    except responses.UnreadableResponse as exc:
        return unreadable_page(procurement, exc)
    outcomes = {o.id: o for v in procurement.versions for o in v.outcomes}
    return render_template("tenders/score.html", form=form, response=response, content=content, outcomes=outcomes,
                           quality=quality, bands=scoring.bands(procurement.score_max),
                           **procurement_context(procurement))


@login_required
def submit_scores(procurement_id: int):
    procurement = managed_procurement(procurement_id)
    form = ConfirmForm(prefix="submitscores")
    if form.validate_on_submit() and not changing():
        if not confirmed():
            return checks.scores(procurement, form, procurement_context(procurement))
        done = attempt(None, evaluation.submit_scores, procurement, current_user, now=clock.utcnow())
        if done.ok:
            flash("Your scores are submitted. You can now see the other evaluators' scores.", "success")
    return redirect(url_for("tenders.evaluation_page", procurement_id=procurement.id))


@login_required
def consensus(procurement_id: int, response_id: int, criterion_id: int):
    procurement = managed_procurement(procurement_id)
    response = addressed_response(procurement, response_id, "evaluation.moderate")
    criterion = db.get_or_404(AwardCriterion, criterion_id)
    if criterion.procurement_id != procurement.id:
        abort(404)
    form = ConsensusForm()
    if form.validate_on_submit():
        done = attempt(form, evaluation.record_consensus, procurement, current_user, response, criterion,
                       score=parse_int(form.score.data), rationale=form.rationale.data or "", now=clock.utcnow())
        if done.ok:
            flash("Consensus score recorded.", "success")
            return redirect(url_for("tenders.evaluation_page", procurement_id=procurement.id))
    scores = [s for s in evaluation.visible_scores(procurement, current_user)
              if s.response_id == response.id and s.criterion_id == criterion.id]
    return render_template("tenders/consensus.html", form=form, response=response, criterion=criterion,
                           scores=scores, **procurement_context(procurement))
