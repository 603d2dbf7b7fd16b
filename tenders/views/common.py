"""What every procurement page shares: the procurement a URL names (if the viewer may see it, or manage
it), the permission flags and context every page renders with, the panels other topics add to the
procurement page, and the response a URL names."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, g, redirect, render_template, url_for
from flask_login import current_user

from accounts import policy as accounts_policy
from core import clock
from core.extensions import db
from core.guards import require
from core.transactions import call_service
from tenders import policy
from tenders.models import Procurement, TenderResponse
from tenders.services import evaluation, responses
from tenders.thresholds import regime_of


def visible_procurement(procurement_id: int) -> Procurement:
    procurement = db.get_or_404(Procurement, procurement_id)
    require(policy.can_view(current_user, procurement), "procurement.view")
    return procurement


def managed_procurement(procurement_id: int) -> Procurement:
    procurement = visible_procurement(procurement_id)
    require(policy.can_manage(current_user, procurement), "procurement.manage")
    return procurement


def procurement_flags(procurement: Procurement) -> dict[str, bool]:
    now = clock.utcnow()
    user = current_user
    return {
        "manage": policy.can_manage(user, procurement),
        "edit_details": policy.can_edit_details(user, procurement),
        "edit_spec": policy.can_edit_specification(user, procurement),
        "ask": policy.can_ask_clarification(user, procurement),
        "answer": policy.can_answer_clarifications(user, procurement),
        "respond": policy.can_submit_response(user, procurement),
        "provider": accounts_policy.is_provider(user),
        "open": policy.can_open_responses(user, procurement, now),
        "read": policy.can_read_responses(user, procurement, now),
        "assign": policy.can_assign_evaluators(user, procurement),
        "evaluate": evaluation.assignment_for(procurement, user) is not None and procurement.stage == "evaluation",
        "publish_engagement": policy.can_publish_engagement(user, procurement),
        "publish_tender": policy.can_publish_tender(user, procurement),
        "needs_reason": policy.needs_no_engagement_reason(procurement)
        and not regime_of(procurement, now).regime.is_psr,  # PA23 s.17 does not bind the PSR (PR 2024 reg 43)
        "change_spec": policy.can_change_published_spec(user, procurement),
        "request_opening": policy.can_request_opening(user, procurement),
        "view_evaluation": policy.can_view_evaluation(user, procurement),
        "award": policy.can_decide_award(user, procurement),
        "contract": policy.can_enter_contract(user, procurement),
        "close": policy.can_close(user, procurement),
        "provider_in_tender": accounts_policy.is_provider(user) and procurement.stage == "tender",
        "criteria": policy.can_see_criteria(user, procurement),
    }


def procurement_context(procurement: Procurement) -> dict[str, Any]:
    return {"procurement": procurement, "flags": procurement_flags(procurement),
            "tender_open_for_responses": procurement.stage == "tender",
            "regime": regime_of(procurement, clock.utcnow())}


def may_record_refusal() -> None:
    """A GET whose service may audit a refusal: end the read snapshot so the next transaction takes the
    write lock (SQLite BEGIN IMMEDIATE), as core.guards does. Nothing has been written yet."""
    g.write_intent = True
    db.session.commit()


# Functions that add their topic's data and flags to the procurement page (co-design, contacts,
# conflicts, spin-offs each register one with @procurement_panel). Each returns a dict merged into the
# template context under its own keys; the page includes each topic's partial.
PANELS: list[Callable[[Procurement], dict[str, Any]]] = []


def procurement_panel(function: Callable[[Procurement], dict[str, Any]]) -> Callable[[Procurement], dict[str, Any]]:
    PANELS.append(function)
    return function


def panels_for(procurement: Procurement) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for panel in PANELS:
        context.update(panel(procurement))
    return context


def back_to_procurement(procurement: Procurement, anchor: str = "") -> Any:
    return redirect(url_for("tenders.show", procurement_id=procurement.id) + anchor)


def addressed_response(procurement: Procurement, response_id: int, attempted: str) -> TenderResponse:
    """The response a URL names; before the opening, the same refusal whether or not it exists."""
    found = call_service(responses.find_response, procurement, response_id, current_user, attempted)
    if found is None:
        abort(404)
    return found


def unreadable_page(procurement: Procurement, error: responses.UnreadableResponse):
    """A response the sealing key in use cannot decrypt: say so plainly (409), never a 500."""
    return render_template("tenders/unreadable.html", message=str(error), **procurement_context(procurement)), 409


def own_receipt(procurement_id: int, response_id: int) -> tuple[Procurement, responses.Receipt]:
    """The receipt a URL names, for its own organisation only (anyone else's attempt is audited)."""
    may_record_refusal()
    procurement = visible_procurement(procurement_id)
    response = addressed_response(procurement, response_id, "response.receipt")
    return procurement, call_service(responses.receipt_for, response, current_user)
