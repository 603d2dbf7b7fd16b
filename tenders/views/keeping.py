"""Documents people keep: the engagement report as a PDF and a sealed response's receipt as a download.

Public:    /tenders/<id>/codesign/report.pdf (the same record as report.md, typeset by WeasyPrint)
Providers: /tenders/<id>/responses/<rid>/receipt.txt (their own organisation's receipt only), and the
           "Save as a draft" button of /tenders/<id>/respond (a draft is kept, never sealed)
"""
from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from weasyprint import HTML

from core import clock
from core.forms import attempt
from core.markdown import render_markdown
from tenders.forms import ResponseDraftForm
from tenders.models import Procurement
from tenders.services import codesign, drafts, responses
from tenders.views.common import own_receipt, procurement_context, visible_procurement


def _fetch_nothing(url: str, *args: object, **kwargs: object) -> dict:
    raise ValueError(f"the report fetches nothing ({url[:80]})")


def _attachment(data: bytes, mimetype: str, filename: str) -> Response:
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def codesign_report_pdf(procurement_id: int):
    """The engagement report as a PDF: the markdown record rendered (and sanitised) as HTML, then typeset."""
    procurement = visible_procurement(procurement_id)
    report = codesign.engagement_report(procurement)
    html = render_template("tenders/codesign/report_pdf.html", title=f"Engagement report: {procurement.title}",
                           body=render_markdown(report.text))
    # The document is self-contained: WeasyPrint fetches nothing, whatever address the text names.
    pdf = HTML(string=html, base_url=None, url_fetcher=_fetch_nothing).write_pdf()
    return _attachment(pdf, "application/pdf", report.filename.removesuffix(".md") + ".pdf")


@login_required
def receipt_download(procurement_id: int, response_id: int):
    procurement, found = own_receipt(procurement_id, response_id)
    return _attachment(found.text.encode("utf-8"), "text/plain",
                       f"receipt-{procurement.reference}-response-{found.response_id}.txt")


def save_response_draft(procurement: Procurement, outcomes: list[Any]) -> Any:
    """The respond form's "Save as a draft": keep what is typed, missing parts and all; files are not kept."""
    form = ResponseDraftForm()
    commitments = {o.id: (request.form.get(f"commitment-{o.id}") or "") for o in outcomes}
    answers = {c.id: (request.form.get(f"answer-{c.id}") or "") for c in procurement.criteria}
    if form.validate_on_submit():
        done = attempt(form, drafts.save_draft, procurement, current_user, method_statement=form.method_statement.data,
                       commitments=commitments, criterion_answers=answers, price=form.price.data, now=clock.utcnow())
        if done.ok:
            flash("Your draft is saved. It is not a response: only “Seal and submit response” submits it. Attached "
                  "files are not kept in a draft.", "success")
            return redirect(url_for("tenders.respond", procurement_id=procurement.id))
    return render_template(
        "tenders/respond.html",
        form=form,
        outcomes=outcomes,
        commitments=commitments,
        answers=answers,
        current=responses.current_response(procurement, current_user.organisation_id),
        draft=None,
        **procurement_context(procurement),
    ), 400
