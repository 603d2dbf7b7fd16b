"""The regime of a procurement, and the public procurement rules page.

Owning commissioners: /tenders/<id>/regime (main CPV code, earlier legal start, Provider Selection Regime)
Public: /rules (which regime; when standstill ends: two calculators, GET forms that work without JavaScript)
"""
from __future__ import annotations

from datetime import datetime, time
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from core import clock
from core.forms import attempt
from core.timezones import UK
from tenders import cpv, policy
from tenders.forms import parse_pounds, parse_time
from tenders.forms.regime import RegimeCalculatorForm, RegimeFactsForm, StandstillCalculatorForm
from tenders.jurisdiction import Nation
from tenders.models import Procurement
from tenders.regime_rules import PSR_PROCESSES, RegimeFacts
from tenders.services import evaluation
from tenders.services.regime import RegimeInputs, set_regime_facts
from tenders.thresholds import regime_of, regime_on, threshold_rows
from tenders.views.common import managed_procurement, procurement_context, procurement_panel
from tenders.workingdays import RULES as STANDSTILL_RULES
from tenders.workingdays import STANDSTILL_BY_REGIME, standstill_for_regime


@procurement_panel
def regime_panel(procurement: Procurement) -> dict[str, Any]:
    """The regime's basis, the CPV code and PSR process, and the standstill's basis and first contract day."""
    regime = regime_of(procurement, clock.utcnow())
    mandatory, why = STANDSTILL_BY_REGIME.get(regime.code, (True, ""))
    return {"regime_cpv_description": cpv.describe(procurement.cpv_code),
            "regime_psr_process": PSR_PROCESSES.get(procurement.psr_process or ""),
            "regime_standstill_basis": STANDSTILL_RULES[evaluation.standstill_rule(regime.code)],
            "regime_standstill_note": why,
            "regime_may_edit": policy.can_edit_details(current_user, procurement)}


@login_required
def regime_page(procurement_id: int):
    procurement = managed_procurement(procurement_id)  # the service refuses a change once the tender is published
    form = RegimeFactsForm(obj=procurement)
    if request.method == "GET":
        form.psr_process.data = procurement.psr_process or ""
        form.psr_decision.data = procurement.psr_decision or ""
    if form.validate_on_submit():
        done = attempt(form, set_regime_facts, procurement, current_user, RegimeInputs(
            cpv_code=form.cpv_code.data or "", recorded_start_on=form.recorded_start_on.data,
            psr_decision=form.psr_decision.data or "", psr_reason=form.psr_reason.data or "",
            psr_process=form.psr_process.data or ""), now=clock.utcnow())
        if done.ok:
            flash("What is bought and when it started: saved.", "success")
            return redirect(url_for("tenders.show", procurement_id=procurement.id))
    return render_template("tenders/regime.html", form=form, codes=cpv.known_codes(),
                           processes=PSR_PROCESSES, **procurement_context(procurement))


def rules():
    """Procurement rules anyone can check: the thresholds in force, which regime, when standstill ends."""
    now = clock.utcnow()
    regime_form = RegimeCalculatorForm(request.args if request.args.get("calculator") == "regime" else None)
    standstill_form = StandstillCalculatorForm(request.args if request.args.get("calculator") == "standstill"
                                               else None)
    regime_answer = standstill_answer = None
    # InputRequired: a valid form always has its date.
    if request.args.get("calculator") == "regime" and regime_form.validate() and regime_form.started_on.data:
        code = cpv.normalise(regime_form.cpv.data) if (regime_form.cpv.data or "").strip() else None
        if (regime_form.cpv.data or "").strip() and code is None:
            regime_form.cpv.errors = ["Enter the CPV code as eight digits, like 60130000"]
        else:
            regime_answer = regime_on(RegimeFacts(
                value_pence=parse_pounds(regime_form.value.data), cpv=code, started_on=regime_form.started_on.data,
                nation=Nation(regime_form.nation.data), authority=regime_form.authority.data))
    if request.args.get("calculator") == "standstill" and standstill_form.validate() and \
            standstill_form.published_on.data:
        at = parse_time(standstill_form.published_time.data) or time(0, 0)
        published_at = datetime.combine(standstill_form.published_on.data, at).replace(tzinfo=UK)
        standstill_answer = standstill_for_regime(published_at, standstill_form.regime.data)
    return render_template("tenders/rules.html", regime_form=regime_form, standstill_form=standstill_form,
                           regime_answer=regime_answer, standstill_answer=standstill_answer,
                           thresholds=threshold_rows(now.date()), codes_described=cpv.describe)
