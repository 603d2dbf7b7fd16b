"""Opening the responses (two commissioners) and reading them, with their documents."""
from __future__ import annotations

from io import BytesIO

from flask import Response, abort, flash, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required

from core import clock
from core.errors import RuleViolation
from core.forms import ConfirmForm, attempt
from core.guards import require
from core.transactions import call_service
from tenders import policy
from tenders.services import responses
from tenders.views.common import (
    addressed_response,
    back_to_procurement,
    managed_procurement,
    may_record_refusal,
    procurement_context,
    unreadable_page,
    visible_procurement,
)


def _download(data: bytes, filename: str) -> Response:
    """Always a download, never rendered in the browser: uploaded files are not trusted."""
    return send_file(BytesIO(data), mimetype="application/octet-stream", as_attachment=True, download_name=filename)


@login_required
def open_responses(procurement_id: int):
    procurement = managed_procurement(procurement_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        done = attempt(form, responses.open_box, procurement, current_user, now=clock.utcnow())
        if done.ok:
            if procurement.is_opened:
                flash("The responses are open. Evaluation has started.", "success")
                return redirect(url_for("tenders.responses_list", procurement_id=procurement.id))
            flash("Your request to open is recorded. A different commissioner must now confirm.", "success")
            return back_to_procurement(procurement)
    return render_template("tenders/open.html", form=form, **procurement_context(procurement))


@login_required
def responses_list(procurement_id: int):
    procurement = visible_procurement(procurement_id)
    require(policy.can_read_responses(current_user, procurement, clock.utcnow()), "response.list")
    return render_template("tenders/responses.html", listed=responses.responses_for(procurement),
                           **procurement_context(procurement))


@login_required
def read(procurement_id: int, response_id: int):
    may_record_refusal()
    procurement = visible_procurement(procurement_id)
    response = addressed_response(procurement, response_id, "response.read")
    try:
        content = call_service(responses.read_response, response, current_user, now=clock.utcnow())
    except responses.UnreadableResponse as exc:
        return unreadable_page(procurement, exc)
    outcomes = {o.id: o for v in procurement.versions for o in v.outcomes}
    return render_template("tenders/read.html", response=response, content=content, outcomes=outcomes,
                           **procurement_context(procurement))


@login_required
def response_document(procurement_id: int, response_id: int, index: int):
    may_record_refusal()
    procurement = visible_procurement(procurement_id)
    response = addressed_response(procurement, response_id, "response.read")
    try:
        found = call_service(responses.read_response_document, response, current_user, index, now=clock.utcnow())
    except RuleViolation:
        abort(404)
    except responses.UnreadableResponse as exc:
        return unreadable_page(procurement, exc)
    return _download(found.data, found.filename)
