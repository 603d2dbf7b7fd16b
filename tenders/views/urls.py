"""Every URL of the procurements' blueprint, in one list: the path, the view that serves it and its methods.

Each view is named by its module (one a stage or topic of a procurement) and function; the function's name is
the endpoint (url_for("tenders.<name>")). Views parse the form, call one service, and render; permission flags
come from tenders.policy so buttons and routes agree; time comes from core.clock so deadlines can be tested
without sleeping.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tenders.views import (
    award,
    clarifications,
    codesign,
    conflicts,
    drafting,
    engagement,
    evaluation,
    keeping,
    ledger,
    notices,
    opening,
    public,
    publishing,
    regime,
    responding,
    spinoffs,
    wales,
)
from tenders.views.blueprint import bp

# Topics that add a panel to the procurement page (tenders.views.common.procurement_panel) and have no URL.
PANEL_ONLY = [wales]

GET = ["GET"]
POST = ["POST"]
GET_POST = ["GET", "POST"]

URLS: list[tuple[str, Callable[..., Any], list[str]]] = [
    ("/tenders", public.index, GET),
    ("/tenders.atom", public.feed, GET),
    ("/tenders/<int:procurement_id>", public.show, GET),
    ("/tenders/new", drafting.new, GET_POST),
    ("/tenders/<int:procurement_id>/details", drafting.details, GET_POST),
    ("/tenders/<int:procurement_id>/specification", drafting.edit_specification, GET_POST),
    ("/tenders/<int:procurement_id>/specification/versions", drafting.versions, GET),
    ("/tenders/<int:procurement_id>/specification/change", drafting.change_specification, GET_POST),
    ("/tenders/<int:procurement_id>/criteria", drafting.criteria, GET_POST),
    ("/tenders/<int:procurement_id>/documents", drafting.documents, GET_POST),
    ("/tenders/<int:procurement_id>/documents/<int:document_id>", drafting.document, GET),
    ("/tenders/<int:procurement_id>/engagement", engagement.engagement, GET_POST),
    ("/tenders/<int:procurement_id>/events", engagement.add_event, POST),
    ("/tenders/<int:procurement_id>/events/meeting", engagement.add_meeting_event, POST),
    ("/tenders/<int:procurement_id>/links", engagement.links_page, GET_POST),
    ("/tenders/<int:procurement_id>/publish", publishing.publish, GET_POST),
    ("/tenders/<int:procurement_id>/close", publishing.close, GET_POST),
    ("/tenders/<int:procurement_id>/clarifications", clarifications.clarifications_page, GET_POST),
    ("/tenders/<int:procurement_id>/clarifications/<int:clarification_id>/answer", clarifications.answer, GET_POST),
    ("/tenders/<int:procurement_id>/respond", responding.respond, GET_POST),
    ("/tenders/<int:procurement_id>/respond/withdraw", responding.withdraw, POST),
    ("/tenders/<int:procurement_id>/respond/reconfirm", responding.reconfirm, POST),
    ("/tenders/<int:procurement_id>/responses/<int:response_id>/receipt", responding.receipt, GET),
    ("/tenders/<int:procurement_id>/open", opening.open_responses, GET_POST),
    ("/tenders/<int:procurement_id>/responses", opening.responses_list, GET),
    ("/tenders/<int:procurement_id>/responses/<int:response_id>", opening.read, GET),
    ("/tenders/<int:procurement_id>/responses/<int:response_id>/documents/<int:index>", opening.response_document, GET),
    ("/tenders/<int:procurement_id>/evaluation", evaluation.evaluation_page, GET),
    ("/tenders/<int:procurement_id>/evaluators", evaluation.assign, POST),
    ("/tenders/<int:procurement_id>/evaluation/<int:response_id>/score", evaluation.score, GET_POST),
    ("/tenders/<int:procurement_id>/evaluation/submit", evaluation.submit_scores, POST),
    ("/tenders/<int:procurement_id>/evaluation/<int:response_id>/consensus/<int:criterion_id>", evaluation.consensus,
     GET_POST),
    ("/tenders/<int:procurement_id>/award", award.award, GET_POST),
    ("/tenders/<int:procurement_id>/assessment", award.assessment, GET),
    ("/tenders/<int:procurement_id>/contract", award.contract, GET_POST),
    ("/tenders/<int:procurement_id>/codesign", codesign.codesign_threads, GET),
    ("/tenders/<int:procurement_id>/codesign/<int:thread_id>", codesign.codesign_thread, GET_POST),
    ("/tenders/<int:procurement_id>/codesign/proposals/<int:proposal_id>", codesign.codesign_proposal, GET_POST),
    ("/tenders/<int:procurement_id>/specification/versions/<int:number>/provenance", codesign.codesign_provenance, GET),
    ("/tenders/<int:procurement_id>/codesign/report.md", codesign.codesign_report, GET),
    ("/tenders/<int:procurement_id>/codesign/new", codesign.codesign_new_thread, GET_POST),
    ("/tenders/<int:procurement_id>/codesign/<int:thread_id>/propose", codesign.codesign_new_proposal, GET_POST),
    ("/tenders/<int:procurement_id>/codesign/meeting-proposal", codesign.codesign_meeting_proposal, GET_POST),
    ("/tenders/<int:procurement_id>/codesign/mitigation", codesign.codesign_mitigation, GET_POST),
    ("/tenders/<int:procurement_id>/codesign/report/attach", codesign.codesign_attach_report, POST),
    ("/tenders/<int:procurement_id>/declarations", conflicts.conflicts_declarations, GET_POST),
    ("/tenders/<int:procurement_id>/declarations/assessment", conflicts.conflicts_assessment, GET_POST),
    ("/tenders/<int:procurement_id>/codesign/report.pdf", keeping.codesign_report_pdf, GET),
    ("/tenders/<int:procurement_id>/responses/<int:response_id>/receipt.txt", keeping.receipt_download, GET),
    ("/messages", ledger.ledger_inbox, GET),
    ("/messages/new", ledger.ledger_new, GET_POST),
    ("/messages/<int:conversation_id>", ledger.ledger_conversation, GET_POST),
    ("/messages/<int:conversation_id>/procurement", ledger.ledger_tag, POST),
    ("/messages/contacts", ledger.ledger_contacts, GET),
    ("/messages/contacts/<int:contact_id>", ledger.ledger_contact, GET),
    ("/messages/contacts/<int:contact_id>/disclose", ledger.ledger_disclose, POST),
    ("/messages/contacts/<int:contact_id>/not-material", ledger.ledger_not_material, POST),
    ("/messages/contacts/<int:contact_id>/not-about-live-procurement", ledger.ledger_not_about_live, POST),
    ("/tenders/<int:procurement_id>/notices/contract-details", notices.notices_contract_details, GET_POST),
    ("/tenders/<int:procurement_id>/notices/performance", notices.notices_performance, GET_POST),
    ("/tenders/<int:procurement_id>/notices/termination", notices.notices_termination, GET_POST),
    ("/tenders/<int:procurement_id>/regime", regime.regime_page, GET_POST),
    ("/rules", regime.rules, GET),
    ("/tenders/<int:procurement_id>/spinoffs/new", spinoffs.spinoffs_propose, GET_POST),
    ("/tenders/<int:procurement_id>/spinoffs/<int:proposal_id>", spinoffs.spinoffs_show, GET),
    ("/tenders/<int:procurement_id>/spinoffs/<int:proposal_id>/decide", spinoffs.spinoffs_decide, GET_POST),
    ("/tenders/<int:procurement_id>/contract/modifications", spinoffs.spinoffs_register, GET),
]

for rule, view, methods in URLS:
    bp.add_url_rule(rule, view_func=view, methods=methods)
