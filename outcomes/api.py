"""Contracts with outcomes in the JSON API: GET /api/v1/contracts, /contracts/<id>, /contracts/<id>/outcomes.

Each also as .csv. The figures are the public ones, counts of children
suppressed as on the contract page (core.disclosure); an auditor's token
gets them in full.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from flask import Response
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from accounts import policy as accounts_policy
from core import clock
from core.api import PAGE_PARAMS, ApiRoutes, iso, json_response, paginate
from core.api_request import api_user
from core.disclosure import Figure
from core.extensions import db
from core.openapi import (
    DATE,
    DATE_TIME,
    INTEGER,
    TEXT,
    URL,
    nullable,
    operation,
    page_of,
    ref,
    schema,
)
from core.text import csv_cell
from core.urls import external_url
from outcomes import figures
from outcomes.models import OutcomeTerms
from outcomes.services import ratings
from outcomes.services.statements import statements_for
from tenders import policy as tenders_policy
from tenders.models import Contract, Procurement

routes = ApiRoutes()  # added to the API blueprint by the app factory
TAG = "Contract outcomes"
CONTRACT_ID = {"contract_id": "The contract's id."}
FIGURE = {"type": "object", "required": ["value", "label"], "properties": {
    "value": nullable({"type": "integer", "description": "Null when suppressed (public figures only)."}),
    "label": {"type": "string", "description": "As published: the number, “fewer than 5” or “suppressed”."}}}

schema("ContractSummary", {"type": "object", "required": ["id", "reference", "title", "provider", "authority"],
                           "properties": {
    "id": INTEGER, "procurement_id": INTEGER, "reference": TEXT, "title": TEXT,
    "authority": ref("Organisation"), "provider": ref("Organisation"), "value_pence": INTEGER,
    "starts_on": DATE, "ends_on": DATE, "period_months": INTEGER, "formula_version": TEXT,
    "uk9_required": {"type": "boolean"}, "url": URL, "api_url": URL}})
schema("ContractSummaryPage", page_of("ContractSummary", "Contracts with outcomes, newest first."))
schema("PaymentStatement", {"type": "object", "properties": {
    "id": INTEGER, "period": TEXT, "period_start": DATE, "period_end": DATE, "status": TEXT,
    "formula_version": TEXT, "base_pence": INTEGER, "at_risk_pence": INTEGER, "earned_pence": INTEGER,
    "withheld_pence": INTEGER, "adjustment_pence": INTEGER, "total_pence": INTEGER,
    "calculated_at": DATE_TIME, "approved_at": nullable(DATE_TIME)}})
schema("PerformanceRating", {"type": "object", "properties": {
    "outcome_position": INTEGER, "period": TEXT, "rating": TEXT, "rating_label": TEXT, "rationale": TEXT}})
schema("ContractWithOutcomes", {"allOf": [ref("ContractSummary"), {"type": "object", "properties": {
    "statements": {"type": "array", "items": ref("PaymentStatement")},
    "ratings": {"type": "array", "items": ref("PerformanceRating")},
    "figures": {"type": "string", "enum": ["public", "full"]},
    "links": {"type": "object", "properties": {"outcomes": URL}}}}]})
schema("OutcomePeriod", {"type": "object", "properties": {
    "period": TEXT, "period_end": DATE, "cohort": nullable(FIGURE), "achieved": nullable(FIGURE),
    "actual": nullable({"type": "number"}), "actual_label": TEXT}})
schema("ContractOutcome", {"type": "object", "properties": {
    "id": INTEGER, "position": INTEGER, "domain": TEXT, "description": TEXT, "indicator": TEXT, "target_text": TEXT,
    "measure": TEXT, "direction": TEXT, "formula": TEXT, "baseline": {"type": "number"},
    "target": {"type": "number"}, "at_risk_percent": INTEGER, "cap_percent": INTEGER,
    "periods": {"type": "array", "items": ref("OutcomePeriod")}}})
schema("ContractOutcomes", {"type": "object", "required": ["contract_id", "figures", "outcomes"], "properties": {
    "contract_id": INTEGER, "figures": {"type": "string", "enum": ["public", "full"]},
    "outcomes": {"type": "array", "items": ref("ContractOutcome")}}})


def _full() -> bool:
    """Unsuppressed figures for an auditor's token only."""
    return accounts_policy.is_auditor(api_user())


def _candidates() -> Any:
    return select(Contract).join(OutcomeTerms, OutcomeTerms.contract_id == Contract.id)


def _visible(contract_id: int) -> tuple[Contract, Procurement]:
    contract = db.session.get(Contract, contract_id)
    procurement = db.session.get(Procurement, contract.procurement_id) if contract else None
    if contract is None or procurement is None or not tenders_policy.can_view(api_user(), procurement) or \
            db.session.scalar(select(OutcomeTerms.id).where(OutcomeTerms.contract_id == contract.id)) is None:
        raise NotFound(f"There is no contract {contract_id} with outcomes.")
    return contract, procurement


def summary(contract: Contract) -> dict[str, Any]:
    procurement = db.session.get_one(Procurement, contract.procurement_id)
    terms = db.session.scalar(select(OutcomeTerms).where(OutcomeTerms.contract_id == contract.id))
    if terms is None:  # the listings read contracts with outcomes only
        raise NotFound(f"There is no contract {contract.id} with outcomes.")
    return {"id": contract.id, "procurement_id": procurement.id, "reference": procurement.reference,
            "title": procurement.title, "authority": {"id": procurement.owner.id, "name": procurement.owner.name},
            "provider": {"id": contract.provider.id, "name": contract.provider.name},
            "value_pence": contract.value_pence, "starts_on": iso(contract.starts_on), "ends_on": iso(contract.ends_on),
            "period_months": terms.period_months, "formula_version": terms.formula_version,
            "uk9_required": terms.uk9_required,
            "url": external_url("outcomes.contract", procurement_id=procurement.id),
            "api_url": external_url("api.contract", contract_id=contract.id)}


def detail(contract: Contract) -> dict[str, Any]:
    body = summary(contract)
    body.update({
        "statements": [{"id": s.id, "period": s.period, "period_start": iso(s.period_start),
                        "period_end": iso(s.period_end), "status": s.status, "formula_version": s.formula_version,
                        "base_pence": s.base_pence, "at_risk_pence": s.at_risk_pence,
                        "earned_pence": s.earned_pence, "withheld_pence": s.withheld_pence,
                        "adjustment_pence": s.adjustment_pence, "total_pence": s.total_pence,
                        "calculated_at": iso(s.calculated_at), "approved_at": iso(s.approved_at)}
                       for s in statements_for(contract)],
        "ratings": [{"outcome_position": r.outcome.position, "period": r.period, "rating": r.rating,
                     "rating_label": r.rating_label, "rationale": r.rationale}
                    for r in ratings.ratings_for(contract, published_only=not _full())],
        "figures": "full" if _full() else "public",
        "links": {"outcomes": external_url("api.contract_outcomes", contract_id=contract.id)}})
    return body


def _figure(found: Figure | None) -> dict[str, Any] | None:
    return None if found is None else {"value": found.shown, "label": found.label}


def outcomes_of(contract: Contract) -> dict[str, Any]:
    full = _full()
    return {"contract_id": contract.id, "figures": "full" if full else "public", "outcomes": [
        {"id": res.outcome.id, "position": res.outcome.position, "domain": res.outcome.domain,
         "description": res.outcome.description, "indicator": res.outcome.indicator,
         "target_text": res.outcome.target_text, "measure": res.outcome.measure, "direction": res.outcome.direction,
         "formula": res.outcome.formula, "baseline": float(res.outcome.baseline), "target": float(res.outcome.target),
         "at_risk_percent": res.outcome.at_risk_percent, "cap_percent": res.outcome.cap_percent,
         "periods": [{"period": row.period, "period_end": iso(row.period_end), "cohort": _figure(row.cohort),
                      "achieved": _figure(row.achieved), "actual": row.actual, "actual_label": row.actual_label}
                     for row in res.rows]}
        for res in figures.contract_results(contract, clock.utcnow().date(), full=full)]}


def _csv(header: list[str], rows: list[list[Any]], filename: str, headers: Sequence[tuple[str, str]] = ()) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    for name, value in headers:
        response.headers[name] = value
    return response


def _page(query: dict[str, Any]) -> tuple[list[Contract], str | None]:
    viewer = api_user()
    return paginate(_candidates(), Contract.id, resource="contracts", query_args=query,
                    allow=lambda c: tenders_policy.can_view(viewer, db.session.get_one(Procurement, c.procurement_id)))


@routes.get("/contracts")
@operation(summary="Contracts with outcomes you can see, newest first", response="ContractSummaryPage", tag=TAG,
           params=PAGE_PARAMS)
def contracts(query: dict[str, Any]) -> Response:
    """Every contract whose outcomes are recorded here: who, what, when and how payment by results works."""
    rows, next_url = _page(query)
    return json_response({"items": [summary(c) for c in rows], "next": next_url})


@routes.get("/contracts.csv")
@operation(summary="Contracts with outcomes, as CSV", response="One row per contract; a Link header gives the next "
           "page.", tag=TAG, params=PAGE_PARAMS, media_type="text/csv")
def contracts_csv(query: dict[str, Any]) -> Response:
    """The same page as /contracts, one row per contract."""
    rows, next_url = _page(query)
    found = [summary(c) for c in rows]
    return _csv(["id", "reference", "title", "authority", "provider", "value_pence", "starts_on", "ends_on",
                 "period_months"],
                [[c["id"], c["reference"], c["title"], c["authority"]["name"], c["provider"]["name"], c["value_pence"],
                  c["starts_on"], c["ends_on"], c["period_months"]] for c in found], "contracts.csv",
                [("Link", f'<{next_url}>; rel="next"')] if next_url else [])


@routes.get("/contracts/<int:contract_id>")
@operation(summary="One contract with its payment statements and published ratings", response="ContractWithOutcomes",
           tag=TAG, path_params=CONTRACT_ID, not_found=True)
def contract(contract_id: int, query: dict[str, Any]) -> Response:
    """Statements: base, at risk, earned, withheld and adjustment by period; ratings on the UK9 scale."""
    found, _procurement = _visible(contract_id)
    return json_response(detail(found))


@routes.get("/contracts/<int:contract_id>.csv")
@operation(summary="One contract's payment statements, as CSV", response="One row per payment statement.", tag=TAG,
           path_params=CONTRACT_ID, not_found=True, media_type="text/csv")
def contract_csv(contract_id: int, query: dict[str, Any]) -> Response:
    """The statements of /contracts/{contract_id}, one row per period."""
    found, _procurement = _visible(contract_id)
    body = detail(found)
    return _csv(["period", "status", "formula_version", "base_pence", "at_risk_pence", "earned_pence",
                 "withheld_pence", "adjustment_pence", "total_pence", "approved_at"],
                [[s["period"], s["status"], s["formula_version"], s["base_pence"], s["at_risk_pence"],
                  s["earned_pence"], s["withheld_pence"], s["adjustment_pence"], s["total_pence"], s["approved_at"]]
                 for s in body["statements"]], f"contract-{found.id}-statements.csv")


@routes.get("/contracts/<int:contract_id>/outcomes")
@operation(summary="One contract's outcomes: targets against verified actuals by period", response="ContractOutcomes",
           tag=TAG, path_params=CONTRACT_ID, not_found=True)
def contract_outcomes(contract_id: int, query: dict[str, Any]) -> Response:
    """Counts of children under 5 are suppressed (with secondary suppression) unless the token is an auditor's."""
    found, _procurement = _visible(contract_id)
    return json_response(outcomes_of(found))


@routes.get("/contracts/<int:contract_id>/outcomes.csv")
@operation(summary="One contract's outcomes by period, as CSV", response="One row per outcome and period.", tag=TAG,
           path_params=CONTRACT_ID, not_found=True, media_type="text/csv")
def contract_outcomes_csv(contract_id: int, query: dict[str, Any]) -> Response:
    """The figures of /contracts/{contract_id}/outcomes, suppressed the same way."""
    found, _procurement = _visible(contract_id)
    body = outcomes_of(found)
    return _csv(["outcome", "indicator", "measure", "baseline", "target", "period", "cohort", "achieved", "actual"],
                [[o["position"], o["indicator"], o["measure"], o["baseline"], o["target"], p["period"],
                  p["cohort"]["label"] if p["cohort"] else None, p["achieved"]["label"] if p["achieved"] else None,
                  p["actual_label"]] for o in body["outcomes"] for p in o["periods"]],
                f"contract-{found.id}-outcomes.csv")
