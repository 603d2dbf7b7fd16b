"""The award decision, each provider's assessment summary, and the contract record."""
from __future__ import annotations

from flask import abort, flash, render_template
from flask_login import current_user, login_required

from accounts import policy as accounts_policy
from core import clock
from core.check_answers import changing, confirmed
from core.forms import attempt
from core.guards import require
from tenders.forms import AwardForm, ContractForm
from tenders.services import evaluation
from tenders.views import checks
from tenders.views.common import back_to_procurement, managed_procurement, procurement_context, visible_procurement


@login_required
def award(procurement_id: int):
    procurement = managed_procurement(procurement_id)
    ranked = evaluation.ranking(procurement)
    form = AwardForm()
    form.response.choices = [(str(e.response.id), f"{e.response.provider.name}: {e.total} points (rank {e.rank})")
                             for e in ranked]
    if form.validate_on_submit() and not changing():
        chosen = next(e.response for e in ranked if str(e.response.id) == form.response.data)
        if not confirmed():
            return checks.award(
                procurement, form, procurement_context(procurement), dict(form.response.choices)[form.response.data]
            )
        done = attempt(form, evaluation.decide_award, procurement, current_user, chosen,
                       reasons_md=form.reasons.data, standstill_applies=form.standstill.data,
                       now=clock.utcnow())
        if done.ok:
            decision = done.value
            flash("The contract award notice (UK6) is published." + (
                f" Standstill ends at the end of {decision.standstill_ends_on:%-d %B %Y}."
                if decision.standstill_ends_on else ""), "success")
            return back_to_procurement(procurement, "#award")
    return render_template("tenders/award.html", form=form, ranking=ranked, **procurement_context(procurement))


@login_required
def assessment(procurement_id: int):
    procurement = visible_procurement(procurement_id)
    summary = evaluation.assessment_summary(procurement, current_user)
    require(summary is not None and accounts_policy.is_provider(current_user), "assessment.view")
    if summary is None:  # refused just above
        abort(404)
    return render_template("tenders/assessment.html", summary=summary,
                           rows=list(zip(summary.own.results, summary.winner.results)),
                           **procurement_context(procurement))


@login_required
def contract(procurement_id: int):
    procurement = managed_procurement(procurement_id)
    form = ContractForm()
    if form.validate_on_submit():
        done = attempt(form, evaluation.enter_contract, procurement, current_user, starts_on=form.starts_on.data,
                       now=clock.utcnow())
        if done.ok:
            flash("The contract record is created.", "success")
            return back_to_procurement(procurement, "#contract")
    return render_template("tenders/contract.html", form=form, award=evaluation.award_for(procurement),
                           **procurement_context(procurement))
