"""Documents people keep: the engagement report as a PDF and a sealed response's receipt as a download.

Public:    /tenders/<id>/codesign/report.pdf (the same record as report.md, typeset by WeasyPrint)
Providers: /tenders/<id>/responses/<rid>/receipt.txt (their own organisation's receipt only)
"""
from __future__ import annotations

from flask import Response, render_template
from flask_login import current_user, login_required
from weasyprint import HTML

from core.markdown import render_markdown
from core.transactions import call_service
from tenders.services import codesign, responses
from tenders.views import _addressed_response, _may_record_refusal, _procurement, bp


def _fetch_nothing(url: str, *args: object, **kwargs: object) -> dict:
    raise ValueError(f"the report fetches nothing ({url[:80]})")


def _attachment(data: bytes, mimetype: str, filename: str) -> Response:
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/tenders/<int:procurement_id>/codesign/report.pdf")
def codesign_report_pdf(procurement_id: int):
    """The engagement report as a PDF: the markdown record rendered (and sanitised) as HTML, then typeset."""
    procurement = _procurement(procurement_id)
    report = codesign.engagement_report(procurement)
    html = render_template("tenders/codesign/report_pdf.html", title=f"Engagement report: {procurement.title}",
                           body=render_markdown(report.text))
    # The document is self-contained: WeasyPrint fetches nothing, whatever address the text names.
    pdf = HTML(string=html, base_url=None, url_fetcher=_fetch_nothing).write_pdf()
    return _attachment(pdf, "application/pdf", report.filename.removesuffix(".md") + ".pdf")


@bp.route("/tenders/<int:procurement_id>/responses/<int:response_id>/receipt.txt")
@login_required
def receipt_download(procurement_id: int, response_id: int):
    _may_record_refusal()
    procurement = _procurement(procurement_id)
    response = _addressed_response(procurement, response_id, "response.receipt")
    found = call_service(responses.receipt_for, response, current_user)
    return _attachment(found.text.encode("utf-8"), "text/plain",
                       f"receipt-{procurement.reference}-response-{found.response_id}.txt")
