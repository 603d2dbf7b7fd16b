"""The transparency notices of a procurement, and the three a commissioner publishes.

Public: the notices panel on the procurement page (state, due date, legal basis)
Owning commissioners, once the contract is entered into:
  /tenders/<id>/notices/contract-details (UK7, PA23 s.53)
  /tenders/<id>/notices/performance      (UK9, PA23 s.52)
  /tenders/<id>/notices/termination      (contract termination notice, PA23 s.80)
"""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from core import clock
from core.forms import attempt
from tenders.forms.notices import ContractDetailsNoticeForm, PerformanceNoticeForm, TerminationNoticeForm
from tenders.models import Contract, Procurement
from tenders.policy import notices as notice_policy
from tenders.services import evaluation
from tenders.services import notices as notice_services
from tenders.views.common import managed_procurement, procurement_context, procurement_panel


def _contract(procurement: Procurement) -> Contract:
    contract = evaluation.contract_for(procurement)
    if contract is None:
        abort(404)
    return contract


@procurement_panel
def notices_panel(procurement: Procurement) -> dict[str, Any]:
    """Every notice the procurement owes or has published, and which ones this person may publish."""
    today = clock.utcnow().date()
    contract = evaluation.contract_for(procurement)
    flags = {"details": False, "performance": False, "termination": False}
    if contract is not None:
        flags = {
            "details": notice_policy.can_publish_details_notice(current_user, procurement, contract),
            "performance": notice_policy.can_publish_performance_notice(current_user, procurement, contract),
            "termination": notice_policy.can_publish_termination_notice(current_user, procurement, contract),
        }
    return {"notices_list": notice_services.notices_for(procurement, today), "notices_flags": flags,
            "notices_performance": notice_services.performance_notices(contract) if contract else []}


def _status(procurement: Procurement, code: str) -> Any:
    """Where one notice stands today (due, overdue, published...), for its page."""
    return next((n for n in notice_services.notices_for(procurement, clock.utcnow().date()) if n.code == code), None)


def _done(procurement: Procurement, message: str) -> Any:
    flash(message, "success")
    return redirect(url_for("tenders.show", procurement_id=procurement.id) + "#notices")


@login_required
def notices_contract_details(procurement_id: int):
    procurement = managed_procurement(procurement_id)
    contract = _contract(procurement)
    form = ContractDetailsNoticeForm()
    if form.validate_on_submit():
        done = attempt(form, notice_services.publish_contract_details, procurement, current_user, now=clock.utcnow())
        if done.ok:
            return _done(procurement, "The contract details notice (UK7) is published.")
    return render_template("tenders/notices/contract_details.html", form=form, contract=contract,
                           status=_status(procurement, "contract_details"),
                           **procurement_context(procurement))


@login_required
def notices_performance(procurement_id: int):
    procurement = managed_procurement(procurement_id)
    contract = _contract(procurement)
    form = PerformanceNoticeForm()
    if form.validate_on_submit():
        done = attempt(form, notice_services.publish_performance_notice, procurement, current_user,
                       assessment_md=form.assessment.data, period_ends_on=form.period_ends_on.data, now=clock.utcnow())
        if done.ok:
            return _done(procurement, "The contract performance notice (UK9) is published.")
    return render_template("tenders/notices/performance.html", form=form, contract=contract,
                           status=_status(procurement, "contract_performance"),
                           **procurement_context(procurement))


@login_required
def notices_termination(procurement_id: int):
    procurement = managed_procurement(procurement_id)
    contract = _contract(procurement)
    form = TerminationNoticeForm()
    if form.validate_on_submit():
        done = attempt(form, notice_services.publish_termination_notice, procurement, current_user,
                       terminated_on=form.terminated_on.data, reason=form.reason.data, now=clock.utcnow())
        if done.ok:
            return _done(procurement, "The contract termination notice is published.")
    return render_template("tenders/notices/termination.html", form=form, contract=contract,
                           **procurement_context(procurement))
