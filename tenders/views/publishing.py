"""Publishing the tender notice, and closing a procurement without an award (commissioners)."""
from __future__ import annotations

from flask import flash, render_template
from flask_login import current_user, login_required

from core import clock
from core.check_answers import changing, confirmed
from core.errors import RuleViolation
from core.forms import apply_violation, attempt
from core.transactions import call_service
from tenders.forms import CloseForm, PublishTenderForm, combine
from tenders.services import procurements
from tenders.views import checks
from tenders.views.common import back_to_procurement, managed_procurement, procurement_context


@login_required
def publish(procurement_id: int):
    procurement = managed_procurement(procurement_id)
    form = PublishTenderForm()
    if form.validate_on_submit() and not changing():
        deadlines = {"clarification_deadline": combine(form.clarification_day.data, form.clarification_at.data),
                     "response_deadline": combine(form.response_day.data, form.response_at.data)}
        try:
            if not confirmed():
                clarify, respond = procurements.check_tender_publication(
                    procurement, current_user, **deadlines, no_engagement_reason=form.no_engagement_reason.data,
                    now=clock.utcnow())
                return checks.tender_notice(procurement, form, procurement_context(procurement),
                                            clarification_deadline=clarify, response_deadline=respond)
            call_service(procurements.publish_tender, procurement, current_user, **deadlines,
                         no_engagement_reason=form.no_engagement_reason.data, now=clock.utcnow())
        except RuleViolation as exc:
            apply_violation(form, exc)
            for key, field in (("clarification_deadline", form.clarification_day),
                               ("response_deadline", form.response_day)):
                if key in exc.reasons:
                    field.errors = [exc.reasons[key]]
        else:
            flash("The tender notice is published. The specification is frozen.", "success")
            return back_to_procurement(procurement)
    return render_template("tenders/publish.html", form=form,
                           problems=procurements.tender_problems(procurement, clock.utcnow()),
                           **procurement_context(procurement))


@login_required
def close(procurement_id: int):
    procurement = managed_procurement(procurement_id)
    form = CloseForm()
    if form.validate_on_submit():
        done = attempt(form, procurements.close_procurement, procurement, current_user, outcome=form.outcome.data,
                       reason=form.reason.data, now=clock.utcnow())
        if done.ok:
            flash(f"The procurement is {procurement.stage}. The reason is published.", "success")
            return back_to_procurement(procurement)
    return render_template("tenders/close.html", form=form, **procurement_context(procurement))
