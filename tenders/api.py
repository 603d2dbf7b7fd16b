"""Procurements, their answered clarifications and award notices in the JSON API (GET /api/v1/...).

Exactly what the public procurement pages show: visibility is
tenders.policy.can_view (drafts only for a token of an owning commissioner or
an auditor), clarifications come from tenders.queries.published_clarifications
with the asker pseudonymised as on the page, and award notices from
tenders.services.evaluation. Queries only narrow the candidates; can_view
decides every row.
"""
from __future__ import annotations

from typing import Any

from flask import Response
from sqlalchemy import or_, select, true
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import NotFound

from accounts import policy as accounts_policy
from core.api import PAGE_PARAMS, ApiRoutes, iso, json_response, paginate
from core.api_request import api_user
from core.extensions import db
from core.openapi import DATE, DATE_TIME, INTEGER, TEXT, URL, Param, nullable, operation, page_of, ref, schema
from core.urls import external_url
from core.vocabulary import REGIONS
from tenders import policy, queries
from tenders.models import CATEGORIES, PUBLIC_STAGES, STAGES, Award, Procurement
from tenders.services import evaluation, procurements

# Added to the API blueprint by the app factory (with tenders.rules_api's).
routes = ApiRoutes()

TAG = "Procurements"
PROCUREMENT_ID = {"procurement_id": "The procurement's id."}

schema("Organisation", {"type": "object", "required": ["id", "name"],
                        "properties": {"id": INTEGER, "name": TEXT}})
schema("ProcurementSummary", {
    "type": "object",
    "required": ["id", "reference", "title", "stage", "stage_label", "category", "category_label", "region",
                 "authority", "estimated_value_pence", "url", "api_url"],
    "properties": {
        "id": INTEGER, "reference": TEXT, "title": TEXT, "stage": {"type": "string", "enum": list(STAGES)},
        "stage_label": TEXT, "category": TEXT, "category_label": TEXT, "region": TEXT,
        "authority": ref("Organisation"),
        "estimated_value_pence": nullable({"type": "integer", "description": "Including VAT, in whole pence."}),
        "url": URL, "api_url": URL,
    },
})
schema("SpecOutcome", {"type": "object", "properties": {
    "position": INTEGER, "domain": TEXT, "domain_label": TEXT, "description": TEXT, "indicator": TEXT,
    "baseline_method": TEXT, "target": TEXT, "timescale": TEXT, "evidence_source": TEXT,
    "payment_share_percent": INTEGER}})
schema("PublishedSpecification", {"type": "object", "properties": {
    "version": INTEGER, "published_at": DATE_TIME, "body_md": TEXT, "body_html": TEXT,
    "outcomes": {"type": "array", "items": ref("SpecOutcome")}}})
schema("ProcurementDocument", {"type": "object", "properties": {
    "id": INTEGER, "title": TEXT, "filename": TEXT, "content_type": TEXT, "size_bytes": INTEGER, "sha256": TEXT,
    "uploaded_at": DATE_TIME, "url": URL}})
schema("AwardCriterion", {"type": "object", "properties": {
    "position": INTEGER, "kind": {"type": "string", "enum": ["quality", "price"]}, "name": TEXT, "weight": INTEGER}})
schema("Procurement", {
    "allOf": [ref("ProcurementSummary"), {"type": "object", "properties": {
        "subject_md": TEXT, "subject_html": TEXT,
        "contract_type": nullable(TEXT), "duration_months": nullable(INTEGER), "extension_months": INTEGER,
        "engagement_notice": nullable({"type": "object", "description": "The reg 17 notice as published.",
                                       "properties": {"published_at": DATE_TIME, "closes_on": nullable(DATE),
                                                      "events": {"type": "array", "items": {"type": "object"}},
                                                      "forum": nullable({"type": "object"}),
                                                      "need_statements": {"type": "array",
                                                                          "items": {"type": "object"}}}}),
        "no_engagement_reason": nullable(TEXT),
        "tender": nullable({"type": "object", "properties": {
            "published_at": DATE_TIME, "clarification_deadline": nullable(DATE_TIME),
            "response_deadline": nullable(DATE_TIME), "opened_at": nullable(DATE_TIME)}}),
        "closed_reason": nullable(TEXT),
        "specification": nullable(ref("PublishedSpecification")),
        "documents": {"type": "array", "items": ref("ProcurementDocument")},
        "criteria": {"type": "array", "items": ref("AwardCriterion"),
                     "description": "Shown once a specification is published (and to the owner's token)."},
        "score_max": INTEGER,
        "contract": nullable({"type": "object", "properties": {
            "provider": ref("Organisation"), "value_pence": INTEGER, "starts_on": DATE, "ends_on": DATE}}),
        "links": {"type": "object", "properties": {"clarifications": URL, "award": URL, "ocds": nullable(URL)}},
    }}],
})
schema("ProcurementPage", page_of("ProcurementSummary", "Procurements, newest first."))
schema("Clarification", {"type": "object", "required": ["id", "asked_by", "question", "answered_at"], "properties": {
    "id": INTEGER, "asked_by": {"type": "string", "description": "A pseudonym, stable per asking organisation."},
    "question": TEXT, "answered_at": DATE_TIME, "answer_md": TEXT, "answer_html": TEXT, "answered_late": {
        "type": "boolean"}}})
schema("ClarificationList", {"type": "object", "required": ["procurement_id", "items"], "properties": {
    "procurement_id": INTEGER, "items": {"type": "array", "items": ref("Clarification")}}})
schema("AwardNotice", {"type": "object", "required": ["procurement", "notice_published_at", "provider"],
                       "properties": {
    "procurement": ref("ProcurementSummary"), "notice_published_at": DATE_TIME, "provider": ref("Organisation"),
    "reasons_md": TEXT, "reasons_html": TEXT, "standstill_applies": {"type": "boolean"},
    "standstill_ends_on": nullable(DATE)}})
schema("AwardNoticePage", page_of("AwardNotice", "Award notices, newest first."))

FILTERS = (
    Param("stage", "Only procurements at this stage (drafts, `planning`, only with a token that may see them).",
          enum=tuple(STAGES)),
    Param("category", "Only this category of service.", enum=tuple(CATEGORIES)),
    Param("region", "Only this region.", enum=tuple(REGIONS)),
)


def summary(p: Procurement) -> dict[str, Any]:
    return {
        "id": p.id, "reference": p.reference, "title": p.title, "stage": p.stage, "stage_label": p.stage_label,
        "category": p.category, "category_label": p.category_label, "region": p.region,
        "authority": {"id": p.owner.id, "name": p.owner.name}, "estimated_value_pence": p.estimated_value_pence,
        "url": external_url("tenders.show", procurement_id=p.id),
        "api_url": external_url("api.procurement", procurement_id=p.id),
    }


def _visible(procurement_id: int) -> Procurement:
    """The procurement if this request's token (or the public) may see it: otherwise a 404, like a missing id."""
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None or not policy.can_view(api_user(), procurement):
        raise NotFound(f"There is no procurement {procurement_id} you can see.")
    return procurement


def _candidates() -> Any:
    """Narrow the rows to what can_view might allow (it still decides every row)."""
    viewer = api_user()
    if accounts_policy.is_auditor(viewer):
        return true()
    public = Procurement.stage.in_(PUBLIC_STAGES)
    if accounts_policy.is_commissioner(viewer):
        return or_(public, Procurement.owner_org_id == viewer.organisation_id)
    return public


@routes.get("/procurements")
@operation(summary="Procurements you can see, newest first", response="ProcurementPage", tag=TAG,
           params=FILTERS + PAGE_PARAMS)
def procurements_list(query: dict[str, Any]) -> Response:
    """Published procurements (and, with a token that may see them, drafts), filtered by stage, category and region."""
    candidates = select(Procurement).where(_candidates()).options(selectinload(Procurement.owner))
    if query["stage"]:
        candidates = candidates.where(Procurement.stage == query["stage"])
    if query["category"]:
        candidates = candidates.where(Procurement.category == query["category"])
    if query["region"]:
        candidates = candidates.where(Procurement.region == query["region"])
    viewer = api_user()
    rows, next_url = paginate(candidates, Procurement.id, resource="procurements", query_args=query,
                              allow=lambda p: policy.can_view(viewer, p))
    return json_response({"items": [summary(p) for p in rows], "next": next_url})


@routes.get("/procurements/<int:procurement_id>")
@operation(summary="One procurement with its public notice data", response="Procurement", tag=TAG,
           path_params=PROCUREMENT_ID, not_found=True)
def procurement(procurement_id: int, query: dict[str, Any]) -> Response:
    """Notices, the published specification with its outcomes, documents (metadata), award criteria and contract."""
    p = _visible(procurement_id)
    spec = p.published_version
    body = summary(p)
    contract = evaluation.contract_for(p)
    published = p.engagement_published_at is not None or p.tender_published_at is not None
    body.update({
        "subject_md": p.subject_md, "subject_html": p.subject_html,
        "contract_type": p.contract_type, "duration_months": p.duration_months,
        "extension_months": p.extension_months,
        "engagement_notice": {
            **{k: v for k, v in procurements.engagement_notice(p).items()
               if k in ("events", "forum", "need_statements")},
            "published_at": iso(p.engagement_published_at), "closes_on": iso(p.engagement_closes_on),
        } if p.engagement_published_at else None,
        "no_engagement_reason": p.no_engagement_reason,
        "tender": {"published_at": iso(p.tender_published_at),
                   "clarification_deadline": iso(p.clarification_deadline),
                   "response_deadline": iso(p.response_deadline), "opened_at": iso(p.opened_at)}
        if p.tender_published_at else None,
        "closed_reason": p.closed_reason,
        "specification": {
            "version": spec.number, "published_at": iso(spec.published_at), "body_md": spec.body_md,
            "body_html": spec.body_html,
            "outcomes": [{"position": o.position, "domain": o.domain, "domain_label": o.domain_label,
                          "description": o.description, "indicator": o.indicator,
                          "baseline_method": o.baseline_method, "target": o.target, "timescale": o.timescale,
                          "evidence_source": o.evidence_source, "payment_share_percent": o.payment_share}
                         for o in spec.outcomes],
        } if spec else None,
        "documents": [{"id": d.id, "title": d.title, "filename": d.filename, "content_type": d.content_type,
                       "size_bytes": d.size_bytes, "sha256": d.sha256, "uploaded_at": iso(d.uploaded_at),
                       "url": external_url("tenders.document", procurement_id=p.id, document_id=d.id)}
                      for d in p.documents],
        "criteria": [{"position": c.position, "kind": c.kind, "name": c.name, "weight": c.weight}
                     for c in p.criteria] if policy.can_see_criteria(api_user(), p) else [],
        "score_max": p.score_max,
        "contract": {"provider": {"id": contract.provider.id, "name": contract.provider.name},
                     "value_pence": contract.value_pence, "starts_on": iso(contract.starts_on),
                     "ends_on": iso(contract.ends_on)} if contract else None,
        "links": {"clarifications": external_url("api.clarifications", procurement_id=p.id),
                  "award": external_url("api.procurement_award", procurement_id=p.id),
                  "ocds": external_url("api.ocds_procurement", ident=str(p.id)) if published else None},
    })
    return json_response(body)


@routes.get("/procurements/<int:procurement_id>/clarifications")
@operation(summary="Answered clarification questions of a procurement", response="ClarificationList", tag=TAG,
           path_params=PROCUREMENT_ID, not_found=True)
def clarifications(procurement_id: int, query: dict[str, Any]) -> Response:
    """Answered questions only, in the order they were answered; askers appear as on the page (Bidder Q-n)."""
    p = _visible(procurement_id)
    return json_response({"procurement_id": p.id, "items": [
        {"id": c.id, "asked_by": c.pseudonym, "question": c.question, "answered_at": iso(c.answered_at),
         "answer_md": c.answer_md or "", "answer_html": c.answer_html or "", "answered_late": c.answered_late}
        for c in queries.published_clarifications(p)]})


def award_notice(award: Award, p: Procurement) -> dict[str, Any]:
    provider = award.response.provider
    return {"procurement": summary(p), "notice_published_at": iso(award.notice_published_at),
            "provider": {"id": provider.id, "name": provider.name}, "reasons_md": award.reasons_md,
            "reasons_html": award.reasons_html, "standstill_applies": award.standstill_applies,
            "standstill_ends_on": iso(award.standstill_ends_on)}


@routes.get("/award-notices")
@operation(
    summary="Contract award notices (UK6), newest first", response="AwardNoticePage", tag=TAG, params=PAGE_PARAMS
)
def award_notices(query: dict[str, Any]) -> Response:
    """Every published contract award notice (UK6, PA23 s.50): who the contract is to be awarded to, the reasons and
    the standstill."""
    viewer = api_user()
    candidates = select(Award).join(Procurement, Procurement.id == Award.procurement_id).where(_candidates())
    by_id: dict[int, Procurement] = {}

    def allowed(award: Award) -> bool:
        by_id[award.id] = db.session.get_one(Procurement, award.procurement_id)
        return policy.can_view(viewer, by_id[award.id])

    rows, next_url = paginate(candidates, Award.id, resource="award-notices", query_args=query, allow=allowed)
    return json_response({"items": [award_notice(a, by_id[a.id]) for a in rows], "next": next_url})


@routes.get("/procurements/<int:procurement_id>/award")
@operation(summary="The contract award notice (UK6) of one procurement", response="AwardNotice", tag=TAG,
           path_params=PROCUREMENT_ID, not_found=True)
def procurement_award(procurement_id: int, query: dict[str, Any]) -> Response:
    """A 404 until the award decision is published."""
    p = _visible(procurement_id)
    award = evaluation.award_for(p)
    if award is None:
        raise NotFound(f"Procurement {procurement_id} has no contract award notice yet.")
    return json_response(award_notice(award, p))
