"""Spin-off proposals on contracts, the lawful-route modification check and the modification register.

Provider of the contract: /tenders/<id>/spinoffs/new
Parties and auditors (public once decided): /tenders/<id>/spinoffs/<sid>
Owning commissioners: /tenders/<id>/spinoffs/<sid>/decide
Public: /tenders/<id>/contract/modifications (the modification register)
"""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from core import clock
from core.check_answers import changing, confirmed
from core.errors import RuleViolation
from core.extensions import db
from core.forms import apply_violation, attempt
from core.guards import require
from core.transactions import call_service
from tenders import pictures
from tenders.forms import parse_int, parse_pounds
from tenders.forms.spinoffs import DecideSpinOffForm, ProposeSpinOffForm
from tenders.models import Contract, Procurement
from tenders.models.spinoffs import SpinOffProposal
from tenders.modification_rules import FRAMEWORKS
from tenders.policy import spinoffs as spinoff_policy
from tenders.services import evaluation
from tenders.services import spinoffs as spinoff_services
from tenders.services.spinoffs import Answers
from tenders.views import checks
from tenders.views.common import managed_procurement, procurement_context, procurement_panel, visible_procurement


def _contract(procurement: Procurement) -> Contract:
    contract = evaluation.contract_for(procurement)
    if contract is None:
        abort(404)
    return contract


def _proposal(procurement: Procurement, proposal_id: int) -> SpinOffProposal:
    proposal = db.get_or_404(SpinOffProposal, proposal_id)
    if proposal.procurement_id != procurement.id:
        abort(404)
    return proposal


@procurement_panel
def spinoffs_panel(procurement: Procurement) -> dict[str, Any]:
    """The spin-offs list in the contract section, the commissioners' links, and where a procurement came from."""
    origin = spinoff_services.origin_of(procurement)
    context: dict[str, Any] = {"spinoffs_origin": origin,
                               "spinoffs_origin_procurement": db.session.get_one(Procurement, origin.procurement_id)
                               if origin else None}
    if procurement.stage != "contract":
        return context | {"spinoffs_proposals": [], "spinoffs_flags": {}}
    contract = evaluation.contract_for(procurement)
    if contract is None:
        return context | {"spinoffs_proposals": [], "spinoffs_flags": {}}
    visible = [p for p in spinoff_services.proposals_for(procurement)
               if spinoff_policy.can_view_proposal(current_user, p, procurement)]
    decide = spinoff_policy.can_decide(current_user, procurement)
    return context | {
        "spinoffs_proposals": visible,
        "spinoffs_chart": pictures.modifications_chart(contract),
        "spinoffs_flags": {
            "propose": spinoff_policy.can_propose(current_user, contract, clock.utcnow().date()),
            "decide": decide,
            "waiting": sum(1 for p in visible if not p.is_decided) if decide else 0,
        },
    }


@login_required
def spinoffs_propose(procurement_id: int):
    procurement = visible_procurement(procurement_id)
    contract = _contract(procurement)
    require(spinoff_policy.is_contract_provider(current_user, contract), "spinoff.propose")
    form = ProposeSpinOffForm()
    if form.validate_on_submit():
        done = attempt(form, spinoff_services.propose_spinoff, contract, current_user,
                       title=form.title.data, description_md=form.description.data,
                       evidence_md=form.evidence.data, price_pence=parse_pounds(form.price.data),
                       duration_months=parse_int(form.duration_months.data), now=clock.utcnow())
        if done.ok:
            proposal = done.value
            flash("Your spin-off proposal is with the commissioners.", "success")
            return redirect(url_for("tenders.spinoffs_show", procurement_id=procurement.id, proposal_id=proposal.id))
    running = spinoff_policy.contract_running(contract, clock.utcnow().date())
    return render_template("tenders/spinoffs/propose.html", form=form, contract=contract, running=running,
                           **procurement_context(procurement))


def spinoffs_show(procurement_id: int, proposal_id: int):
    procurement = visible_procurement(procurement_id)
    proposal = _proposal(procurement, proposal_id)
    require(spinoff_policy.can_view_proposal(current_user, proposal, procurement), "spinoff.view")
    if proposal.is_decided:
        check = proposal.snapshot
    else:
        check = spinoff_services.check_for(proposal, Answers(), clock.utcnow().date()).as_dict()
    return render_template("tenders/spinoffs/show.html", proposal=proposal, contract=_contract(procurement),
                           check=check, decide=spinoff_policy.can_decide(current_user, procurement)
                           and not proposal.is_decided,
                           new_procurement=db.session.get(Procurement, proposal.new_procurement_id)
                           if proposal.new_procurement_id else None,
                           **procurement_context(procurement))


def _answers(form: DecideSpinOffForm) -> Answers:
    try:
        months = parse_int(form.term_change_months.data)
    except ValueError:  # the form shows the message; the check assumes no change meanwhile
        months = None
    return Answers(changes_overall_nature=form.changes_overall_nature.data == "yes",
                   unforeseeable=form.unforeseeable.data == "yes",
                   additional_from_same_provider=form.additional_from_same_provider.data == "yes",
                   known_risk_materialised=form.known_risk_materialised.data == "yes",
                   corporate_restructuring=form.corporate_restructuring.data == "yes",
                   materially_changes_scope=form.materially_changes_scope.data != "no",
                   shifts_economic_balance=form.shifts_economic_balance.data == "yes",
                   term_change_months=months if months is not None else 0,
                   not_substantial_reasons=form.not_substantial_reasons.data or "")


@login_required
def spinoffs_decide(procurement_id: int, proposal_id: int):
    procurement = managed_procurement(procurement_id)
    proposal = _proposal(procurement, proposal_id)
    form = DecideSpinOffForm()
    now = clock.utcnow()
    if form.validate_on_submit() and form.submit.data and not changing():
        answers = _answers(form)
        decision = form.decision.data
        try:
            if decision not in dict(form.decision.choices):
                raise RuleViolation({"decision": "Choose a decision"})
            if not confirmed():
                problems = spinoff_services.decision_problems(
                    proposal, decision=decision, answers=answers, reason=form.reason.data,
                    engagement_closes_on=form.closes_on.data, now=now)
                if problems:
                    raise RuleViolation(problems)
                return checks.modification_decision(procurement, form, procurement_context(procurement))
            if decision == "accept":
                call_service(spinoff_services.accept, proposal, current_user, answers=answers,
                             reason=form.reason.data, now=now)
                message = "The spin-off is accepted: the contract's value and its modification register are updated."
            elif decision == "decline":
                call_service(spinoff_services.decline, proposal, current_user, answers=answers,
                             reason=form.reason.data, now=now)
                message = "The spin-off is declined. The reason is published."
            elif decision == "new_procurement":
                new = call_service(spinoff_services.to_new_procurement, proposal, current_user, answers=answers,
                                   reason=form.reason.data, engagement_closes_on=form.closes_on.data, now=now)
                message = (
                    f"New procurement {new.reference} started from the spin-off, in preliminary market engagement."
                )
            else:
                raise RuleViolation({"decision": "Choose a decision"})
        except RuleViolation as exc:
            apply_violation(form, exc)
        else:
            flash(message, "success")
            return redirect(url_for("tenders.spinoffs_show", procurement_id=procurement.id, proposal_id=proposal.id))
    answers = _answers(form) if request.method == "POST" else Answers()
    check = proposal.snapshot if proposal.is_decided else \
        spinoff_services.check_for(proposal, answers, now.date()).as_dict()
    return render_template("tenders/spinoffs/decide.html", form=form, proposal=proposal,
                           contract=_contract(procurement), check=check, open=not proposal.is_decided,
                           **procurement_context(procurement))


def spinoffs_register(procurement_id: int):
    procurement = visible_procurement(procurement_id)
    contract = _contract(procurement)
    return render_template("tenders/spinoffs/register.html", contract=contract,
                           modifications=spinoff_services.register_for(procurement),
                           modifications_chart=pictures.modifications_chart(contract),
                           framework_label=FRAMEWORKS[spinoff_services.modification_framework(procurement, contract)],
                           **procurement_context(procurement))
