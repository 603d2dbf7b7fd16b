"""Sealed responses (providers): responding, withdrawing, re-confirming against a changed specification,
and the receipt."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from accounts import policy as accounts_policy
from core import clock
from core.forms import ConfirmForm, attempt
from core.guards import require
from tenders.forms import ResponseForm, parse_pounds
from tenders.services import drafts, responses
from tenders.services.responses import Document
from tenders.views import keeping
from tenders.views.common import back_to_procurement, own_receipt, procurement_context, visible_procurement

MAX_DOCUMENTS = 10


@login_required
def respond(procurement_id: int):
    procurement = visible_procurement(procurement_id)
    require(accounts_policy.is_provider(current_user), "response.submit")
    outcomes = procurement.published_version.outcomes if procurement.published_version else []
    if request.method == "POST" and "save_draft" in request.form:
        return keeping.save_response_draft(procurement, outcomes)
    draft = drafts.draft_for(procurement, current_user.organisation_id) if procurement.stage == "tender" else None
    form = ResponseForm(data={"method_statement": draft.method_statement, "price": draft.price} if draft else None)
    commitments = {o.id: (request.form.get(f"commitment-{o.id}") or "") if request.method == "POST"
                   else (draft.commitments.get(o.id, "") if draft else "") for o in outcomes}
    answers = {c.id: (request.form.get(f"answer-{c.id}") or "") if request.method == "POST"
               else (draft.criterion_answers.get(c.id, "") if draft else "") for c in procurement.criteria}
    if form.validate_on_submit():
        files = [f for f in (form.documents.data or []) if f and f.filename]
        if len(files) > MAX_DOCUMENTS:
            form.documents.errors = [f"Attach at most {MAX_DOCUMENTS} documents"]
        else:
            documents = [Document(f.filename[:200], f.mimetype or "application/octet-stream", f.read()) for f in files]
            done = attempt(form, responses.submit_response, procurement, current_user,
                           method_statement=form.method_statement.data, commitments=commitments,
                           criterion_answers=answers, price_pence=parse_pounds(form.price.data), documents=documents,
                           now=clock.utcnow())
            if done.ok:
                receipt = done.value
                flash("Your response is sealed. Keep this receipt.", "success")
                return redirect(url_for("tenders.receipt", procurement_id=procurement.id,
                                        response_id=receipt.response_id))
    return render_template(
        "tenders/respond.html",
        form=form,
        outcomes=outcomes,
        commitments=commitments,
        answers=answers,
        current=responses.current_response(procurement, current_user.organisation_id),
        draft=draft,
        **procurement_context(procurement),
    )


def _on_current_response(procurement_id: int, action: str, service: Callable[..., Any], done_message: str,
                         none_message: str):
    """A provider's confirmed action on its current response (withdraw, re-confirm): one service, then back."""
    procurement = visible_procurement(procurement_id)
    require(accounts_policy.is_provider(current_user), f"response.{action}")
    form = ConfirmForm(prefix=action)
    current = responses.current_response(procurement, current_user.organisation_id)
    if form.validate_on_submit() and current is not None:
        done = attempt(None, service, current, current_user, now=clock.utcnow())
        if done.ok:
            flash(done_message, "success")
    elif current is None:
        flash(none_message, "error")
    return back_to_procurement(procurement)


@login_required
def withdraw(procurement_id: int):
    return _on_current_response(procurement_id, "withdraw", responses.withdraw_response,
                                "Your response is withdrawn. You can submit a new one until the deadline.",
                                "You have no current response to withdraw.")


@login_required
def reconfirm(procurement_id: int):
    return _on_current_response(procurement_id, "reconfirm", responses.reconfirm_response,
                                "Your response is re-confirmed against the changed specification.",
                                "You have no current response to re-confirm.")


@login_required
def receipt(procurement_id: int, response_id: int):
    procurement, found = own_receipt(procurement_id, response_id)
    return render_template("tenders/receipt.html", receipt=found, **procurement_context(procurement))
