"""Creating a procurement and moving it through its stages (open engagement and the quiet period)."""
from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import trail
from accounts.models import User
from core import storage
from core.errors import RuleViolation
from core.extensions import db
from core.markdown import render_markdown
from core.timezones import uk_when
from core.vocabulary import REGIONS
from tenders import policy
from tenders.cpv import CATEGORY_DEFAULT_CPV
from tenders.models import (
    CATEGORIES,
    CONTRACT_TYPES,
    CRITERION_KINDS,
    DRAFTING_STAGES,
    AwardCriterion,
    EngagementEvent,
    Procurement,
    ProcurementDocument,
    Stage,
)
from tenders.services.common import lock, move, refuse, require_stage, safe_filename
from tenders.speccheck import check_specification
from tenders.thresholds import regime_of

MAX_PENCE = 10 ** 13  # £100bn


def _require_manager(actor: User, procurement: Procurement, attempted: str) -> None:
    if not policy.can_manage(actor, procurement):
        raise refuse(actor, procurement, attempted, "not a commissioner of the owning organisation",
                     "Only commissioners of the organisation that owns this procurement can do that.")


def _clean(text: str | None) -> str:
    return (text or "").strip()


def create_procurement(actor: User, *, title: str, category: str, region: str, subject_md: str,
                       now: datetime) -> Procurement:
    """A new draft, owned by the commissioner's organisation and visible only to it."""
    if not policy.can_create_procurement(actor):
        raise refuse(actor, None, "procurement.create", "not a commissioner",
                     "Only commissioners can start a procurement.")
    reasons = {}
    if not _clean(title):
        reasons["title"] = "Enter a title"
    if category not in CATEGORIES:
        reasons["category"] = "Select a category"
    if _clean(region) and _clean(region) not in REGIONS:
        reasons["region"] = "Select a region from the list"
    if reasons:
        raise RuleViolation(reasons)
    procurement = Procurement(
        reference=uuid.uuid4().hex[:30], title=_clean(title), owner_org_id=actor.organisation_id,
        created_by_id=actor.id, created_at=now, stage=Stage.PLANNING, category=category, region=_clean(region),
        subject_md=subject_md or "", subject_html=render_markdown(subject_md or ""),
        cpv_code=CATEGORY_DEFAULT_CPV[category],
    )
    db.session.add(procurement)
    db.session.flush()
    procurement.reference = f"CC-{now:%Y}-{procurement.id:05d}"
    db.session.flush()
    trail.record("procurement.created", actor=actor, subject=procurement, procurement_id=procurement.id,
                 summary=f"Draft procurement {procurement.reference} “{procurement.title}” created",
                 payload={"reference": procurement.reference, "title": procurement.title, "category": category})
    return procurement


@dataclass
class Details:
    title: str
    category: str
    region: str
    subject_md: str
    estimated_value_pence: int | None
    contract_type: str | None
    duration_months: int | None
    extension_months: int
    review_clauses_md: str


def update_details(procurement: Procurement, actor: User, details: Details, *, now: datetime) -> Procurement:
    """The commercial facts of the procurement; frozen once the tender is published."""
    _require_manager(actor, procurement, "procurement.update")
    require_stage(procurement, DRAFTING_STAGES, "change the details")
    reasons = {}
    if not _clean(details.title):
        reasons["title"] = "Enter a title"
    if details.category not in CATEGORIES:
        reasons["category"] = "Select a category"
    if _clean(details.region) and _clean(details.region) not in REGIONS:
        reasons["region"] = "Select a region from the list"
    if details.estimated_value_pence is not None and not 0 < details.estimated_value_pence < MAX_PENCE:
        reasons["estimated_value"] = "Estimated value must be more than £0 and less than £100bn"
    if details.contract_type is not None and details.contract_type not in CONTRACT_TYPES:
        reasons["contract_type"] = "Select a contract type"
    if details.duration_months is not None and not 1 <= details.duration_months <= 240:
        reasons["duration_months"] = "Duration must be between 1 and 240 months"
    if not 0 <= details.extension_months <= 240:
        reasons["extension_months"] = "Extension options must be between 0 and 240 months"
    if reasons:
        raise RuleViolation(reasons)
    before = {"title": procurement.title, "estimated_value_pence": procurement.estimated_value_pence,
              "contract_type": procurement.contract_type, "duration_months": procurement.duration_months}
    procurement.title = _clean(details.title)
    if procurement.cpv_code in (None, CATEGORY_DEFAULT_CPV.get(procurement.category)):
        procurement.cpv_code = CATEGORY_DEFAULT_CPV[details.category]  # the new category's proposal
    procurement.category = details.category
    procurement.region = _clean(details.region)
    procurement.subject_md = details.subject_md or ""
    procurement.subject_html = render_markdown(procurement.subject_md)
    procurement.estimated_value_pence = details.estimated_value_pence
    procurement.contract_type = details.contract_type
    procurement.duration_months = details.duration_months
    procurement.extension_months = details.extension_months
    procurement.review_clauses_md = details.review_clauses_md or ""
    procurement.review_clauses_html = render_markdown(procurement.review_clauses_md)
    db.session.flush()
    regime = regime_of(procurement, now)
    trail.record("procurement.updated", actor=actor, subject=procurement, procurement_id=procurement.id,
                 audience="public" if procurement.stage != Stage.PLANNING else "auditors",
                 summary=f"Details of {procurement.reference} updated",
                 payload={"before": before, "after": {
                     "title": procurement.title, "estimated_value_pence": procurement.estimated_value_pence,
                     "contract_type": procurement.contract_type, "duration_months": procurement.duration_months,
                     "extension_months": procurement.extension_months, "regime": regime.code}})
    return procurement


def set_criteria(procurement: Procurement, actor: User, criteria: list[tuple[str, str, int]], *,
                 score_max: int, now: datetime) -> list[AwardCriterion]:
    """Award criteria (kind, name, weight): weights add up to 100, with quality and price both present."""
    _require_manager(actor, procurement, "procurement.criteria")
    require_stage(procurement, DRAFTING_STAGES, "change the award criteria")
    reasons = {}
    rows = [(kind, _clean(name), weight) for kind, name, weight in criteria if _clean(name)]
    if not rows:
        reasons["criteria"] = "Add at least one quality criterion and one price criterion"
    for kind, name, weight in rows:
        if kind not in CRITERION_KINDS:
            reasons["criteria"] = f"“{name}” needs a kind: quality or price"
        elif not 1 <= weight <= 100:
            reasons["criteria"] = f"The weight of “{name}” must be between 1 and 100"
    total = sum(weight for _, _, weight in rows)
    if rows and "criteria" not in reasons:
        kinds = {kind for kind, _, _ in rows}
        if kinds != {"quality", "price"}:
            reasons["criteria"] = "Include at least one quality and outcomes criterion and at least one price criterion"
        elif total != 100:
            reasons["criteria"] = f"The weights add up to {total}: they must add up to 100"
    if not 2 <= score_max <= 100:
        reasons["score_max"] = "The top of the scoring scale must be between 2 and 100"
    if reasons:
        raise RuleViolation(reasons)
    for old in list(procurement.criteria):
        db.session.delete(old)  # drafts only: no score can refer to them before the tender
    db.session.flush()
    created = []
    for position, (kind, name, weight) in enumerate(rows, start=1):
        criterion = AwardCriterion(procurement_id=procurement.id, position=position, kind=kind, name=name,
                                   weight=weight)
        db.session.add(criterion)
        created.append(criterion)
    procurement.score_max = score_max
    db.session.flush()
    db.session.expire(procurement, ["criteria"])
    trail.record("procurement.criteria_set", actor=actor, subject=procurement, procurement_id=procurement.id,
                 summary=f"Award criteria of {procurement.reference} set ({len(rows)} criteria, scale 0–{score_max})",
                 payload={"criteria": [{"kind": k, "name": n, "weight": w} for k, n, w in rows],
                          "score_max": score_max})
    return created


def add_engagement_event(procurement: Procurement, actor: User, *, title: str, starts_at: datetime | None,
                         place: str, now: datetime) -> EngagementEvent:
    """An engagement event (reg 17 asks for its date, time and place on the notice)."""
    _require_manager(actor, procurement, "procurement.add_event")
    require_stage(procurement, DRAFTING_STAGES, "add an engagement event")
    reasons = {}
    if not _clean(title):
        reasons["title"] = "Enter what the event is"
    if starts_at is None:
        reasons["starts_at"] = "Enter the date and time of the event"
    elif starts_at <= now:
        reasons["starts_at"] = "The event must be in the future"
    if not _clean(place):
        reasons["place"] = "Enter where the event takes place (an address or “Online”)"
    if reasons or starts_at is None:  # a missing time is always among the reasons
        raise RuleViolation(reasons)
    event = EngagementEvent(procurement_id=procurement.id, title=_clean(title), starts_at=starts_at,
                            place=_clean(place), created_at=now)
    db.session.add(event)
    db.session.flush()
    db.session.expire(procurement, ["events"])
    trail.record("engagement.event_added", actor=actor, subject=event, procurement_id=procurement.id,
                 audience="public" if procurement.stage == Stage.ENGAGEMENT else "auditors",
                 summary=f"Engagement event “{event.title}” on {uk_when(starts_at)} at {event.place}",
                 payload={"title": event.title, "starts_at": starts_at.isoformat(), "place": event.place})
    return event


def publish_engagement_notice(procurement: Procurement, actor: User, *, closes_on: date | None,
                              now: datetime) -> Procurement:
    """Planning → engagement: the public preliminary market engagement notice (reg 17)."""
    lock(procurement)
    _require_manager(actor, procurement, "engagement.publish")
    require_stage(procurement, ("planning",), "publish an engagement notice")
    check_engagement_notice(procurement, closes_on=closes_on, now=now)
    move(procurement, "engagement")
    procurement.engagement_closes_on = closes_on
    procurement.engagement_published_at = now
    db.session.flush()
    trail.record("engagement.notice_published", actor=actor, subject=procurement, procurement_id=procurement.id,
                 audience="public", summary=f"Preliminary market engagement notice published for "
                                            f"{procurement.reference} “{procurement.title}”",
                 payload=engagement_notice(procurement))
    return procurement


def check_engagement_notice(procurement: Procurement, *, closes_on: date | None, now: datetime) -> None:
    """Refuse (RuleViolation) an engagement notice that cannot be published as it stands: asked before the
    check-your-answers page, and again when it is confirmed. Reads only."""
    reasons = {}
    if closes_on is None:
        reasons["closes_on"] = "Enter the date engagement closes"
    elif closes_on <= now.date():
        reasons["closes_on"] = "The closing date must be in the future"
    if not _clean(procurement.subject_md):
        reasons[""] = "Describe the subject-matter in the procurement details before publishing the notice"
    if reasons:
        raise RuleViolation(reasons)


def engagement_notice(procurement: Procurement) -> dict[str, Any]:
    """The reg 17 content, exactly as published (also the audit payload)."""
    return {
        "authority": procurement.owner.name,
        "title": procurement.title,
        "unique_identifier": procurement.reference,
        "subject_matter": procurement.subject_md,
        "engagement_closes_on": procurement.engagement_closes_on.isoformat()
        if procurement.engagement_closes_on
        else None,
        "events": [
            {
                "title": e.title,
                "starts_at": e.when.isoformat(),
                "place": e.where,
                **({"forum_meeting_id": e.meeting_id, "cancelled": e.is_cancelled} if e.meeting_id else {}),
            }
            for e in procurement.events
        ],
        "forum": {"id": procurement.forum.id, "title": procurement.forum.title} if procurement.forum else None,
        "need_statements": [{"id": n.id, "title": n.title} for n in procurement.need_statements],
    }


def tender_problems(procurement: Procurement, now: datetime) -> dict[str, str]:
    """What stops the tender notice going out, with nothing changed (also shown on the publish page)."""
    reasons: dict[str, str] = {}
    version = procurement.latest_version
    if version is None:
        reasons["spec"] = "Write the specification first: it has no saved version"
    else:
        result = check_specification(version.body_md, version.outcomes)
        if not result.ok:
            reasons["spec"] = "The specification check found errors: " + "; ".join(e.message for e in result.errors)
    if procurement.estimated_value_pence is None:
        reasons["value"] = "Set the estimated value (including VAT) in the details"
    if procurement.contract_type is None:
        reasons["contract_type"] = "Set the contract type in the details"
    if procurement.duration_months is None:
        reasons["duration"] = "Set the contract duration in the details"
    kinds = {c.kind for c in procurement.criteria}
    if kinds != {"quality", "price"} or sum(c.weight for c in procurement.criteria) != 100:
        reasons["criteria"] = "Set award criteria (quality and price) with weights adding up to 100"
    # Rules 2-4: contacts disclosed, prior involvement mitigated, interests declared and assessed.
    from tenders.services import codesign, conflicts, ledger
    for topic in (ledger, codesign, conflicts):
        reasons.update(topic.publish_problems(procurement, now))
    return reasons


def publish_tender(procurement: Procurement, actor: User, *, clarification_deadline: datetime | None,
                   response_deadline: datetime | None, now: datetime,
                   no_engagement_reason: str | None = None) -> Procurement:
    """Engagement (or planning, with a recorded reason) → tender; freezes the specification."""
    lock(procurement)
    _require_manager(actor, procurement, "tender.publish")
    require_stage(procurement, DRAFTING_STAGES, "publish the tender")
    check_tender_publication(procurement, actor, clarification_deadline=clarification_deadline,
                             response_deadline=response_deadline, no_engagement_reason=no_engagement_reason, now=now)
    version = procurement.latest_version
    # The check refuses a tender notice without both deadlines or a saved specification.
    if clarification_deadline is None or response_deadline is None or version is None:
        raise RuleViolation({"": "The tender notice needs both deadlines and a saved specification"})
    reason_text = _clean(no_engagement_reason)
    if procurement.stage == "planning":
        procurement.no_engagement_reason = reason_text
    move(procurement, "tender")
    procurement.clarification_deadline = clarification_deadline
    procurement.response_deadline = response_deadline
    procurement.tender_published_at = now
    version.published_at = now
    db.session.flush()
    regime = regime_of(procurement, now)
    trail.record("tender.published", actor=actor, subject=procurement, procurement_id=procurement.id,
                 audience="public", summary=f"Tender notice published for {procurement.reference} "
                                            f"“{procurement.title}”; responses due {uk_when(response_deadline)}",
                 payload={"spec_version": version.number, "clarification_deadline": clarification_deadline.isoformat(),
                          "response_deadline": response_deadline.isoformat(), "regime": regime.code,
                          "framework": regime.regime.framework, "legal_start": regime.start.on.isoformat(),
                          "estimated_value_pence": procurement.estimated_value_pence,
                          "no_engagement_reason": procurement.no_engagement_reason})
    return procurement


def check_tender_publication(procurement: Procurement, actor: User, *, clarification_deadline: datetime | None,
                             response_deadline: datetime | None, now: datetime,
                             no_engagement_reason: str | None = None) -> tuple[datetime, datetime]:
    """Refuse (RuleViolation) a tender notice that cannot be published as it stands: asked before the
    check-your-answers page, and again when it is confirmed. Reads only; returns the two deadlines checked."""
    reasons: dict[str, str] = {}
    reason_text = _clean(no_engagement_reason)
    under_psr = regime_of(procurement, now).regime.is_psr
    # The engagement-notice rule follows PA23 ss.16-17 and PR 2024 reg 17; a procurement under the Provider
    # Selection Regime is outside PA23 (PR 2024 reg 43), so it does not apply, but the PSR process must be chosen.
    if procurement.stage == Stage.PLANNING and not reason_text and not under_psr:
        reasons["no_engagement_reason"] = ("No engagement notice was published: record why before publishing "
                                           "the tender")
    if under_psr and not procurement.psr_process:
        reasons["psr_process"] = ("Choose which Provider Selection Regime process applies (on the regime page) "
                                  "before publishing")
    if clarification_deadline is None:
        reasons["clarification_deadline"] = "Enter the clarification deadline"
    elif clarification_deadline <= now:
        reasons["clarification_deadline"] = "The clarification deadline must be in the future"
    if response_deadline is None:
        reasons["response_deadline"] = "Enter the response deadline"
    elif response_deadline <= now:
        reasons["response_deadline"] = "The response deadline must be in the future"
    elif clarification_deadline is not None and response_deadline <= clarification_deadline:
        reasons["response_deadline"] = "The response deadline must be after the clarification deadline"
    # Keys that are not form fields (spec, value, criteria...) show in the error summary.
    reasons.update(tender_problems(procurement, now))
    from tenders.services.conflicts import publisher_problems  # rule 4: the publisher has declared too
    reasons.update(publisher_problems(procurement, actor))
    if reasons or clarification_deadline is None or response_deadline is None:  # a missing one is among them
        raise RuleViolation(reasons)
    return clarification_deadline, response_deadline


def close_procurement(procurement: Procurement, actor: User, *, outcome: str, reason: str,
                      now: datetime) -> Procurement:
    """Cancelled, or unsuccessful (no suitable response): either way with a public reason."""
    lock(procurement)
    _require_manager(actor, procurement, f"procurement.{outcome}")
    if outcome not in (Stage.CANCELLED, Stage.UNSUCCESSFUL):
        raise RuleViolation({"outcome": "Choose cancelled or unsuccessful"})
    if not _clean(reason):
        raise RuleViolation({"reason": "Give the reason: it is published"})
    previous = move(procurement, outcome)
    procurement.closed_reason = _clean(reason)
    procurement.closed_at = now
    db.session.flush()
    # After a tender notice, deciding not to award is published as the procurement termination notice (PA23 s.55).
    notice = "Procurement termination notice: " if procurement.tender_published_at is not None else ""
    actions: dict[str, str] = {Stage.CANCELLED: "procurement.cancelled", Stage.UNSUCCESSFUL: "procurement.unsuccessful"}
    action = actions[outcome]
    trail.record(action, actor=actor, subject=procurement, procurement_id=procurement.id,
                 audience="public",
                 summary=f"{notice}{procurement.reference} {outcome}: {procurement.closed_reason}",
                 payload={"from_stage": previous, "reason": procurement.closed_reason})
    return procurement


def add_document(procurement: Procurement, actor: User, *, title: str, filename: str, content_type: str, data: bytes,
                 now: datetime) -> ProcurementDocument:
    """Attach a tender document. Only before the tender: after that, documents are part of what bidders rely on."""
    _require_manager(actor, procurement, "procurement.add_document")
    require_stage(procurement, DRAFTING_STAGES, "add tender documents")
    document = stored_document(procurement, actor, title=title, filename=filename, content_type=content_type,
                               data=data, now=now)
    trail.record("procurement.document_added", actor=actor, subject=document, procurement_id=procurement.id,
                 audience="public" if procurement.stage != "planning" else "auditors",
                 summary=f"Document “{document.title}” ({document.filename}) added to {procurement.reference}",
                 payload={"title": document.title, "filename": document.filename, "sha256": document.sha256,
                          "size_bytes": document.size_bytes})
    return document


def stored_document(procurement: Procurement, actor: User, *, title: str, filename: str, content_type: str,
                    data: bytes, now: datetime) -> ProcurementDocument:
    """A checked, stored tender document (the caller has checked who and when, and records the event)."""
    reasons = {}
    if not _clean(title):
        reasons["title"] = "Enter a title for the document"
    if not filename or not data:
        reasons["document"] = "Choose a file to upload"
    if reasons:
        raise RuleViolation(reasons)
    document = ProcurementDocument(procurement_id=procurement.id, title=_clean(title)[:200],
                                   filename=safe_filename(filename),
                                   content_type=(content_type or "application/octet-stream")[:100],
                                   file=storage.store(data, now=now), sha256=hashlib.sha256(data).hexdigest(),
                                   size_bytes=len(data), uploaded_by_id=actor.id, uploaded_at=now)
    db.session.add(document)
    db.session.flush()
    db.session.expire(procurement, ["documents"])
    return document
