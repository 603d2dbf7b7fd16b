"""Versioned, outcome-focused specifications (outcome-focused commissioning; changes during the tender follow the
quiet-period rules)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

import trail
from accounts.models import User
from core.errors import RuleViolation
from core.extensions import db
from core.markdown import render_markdown
from core.readable_diff import ReadableDiff, readable_diff
from core.timezones import uk_when
from tenders import policy
from tenders.models import (
    OUTCOME_DOMAINS,
    SPEC_EDIT_STAGES,
    Procurement,
    ResponseStatus,
    SpecOutcome,
    SpecVersion,
    TenderResponse,
)
from tenders.models.codesign import CodesignProposal
from tenders.services.common import lock, notify_participants, refuse, require_stage, response_deadline
from tenders.speccheck import CheckResult, check_specification


@dataclass
class OutcomeInput:
    domain: str
    description: str
    indicator: str
    baseline_method: str
    target: str
    timescale: str
    evidence_source: str
    payment_share: int = 0


def save_version(procurement: Procurement, actor: User, *, body_md: str, outcomes: list[OutcomeInput],
                 note: str = "", now: datetime,
                 credit: CodesignProposal | None = None) -> tuple[SpecVersion, CheckResult]:
    """Save a new version (old ones are kept as they were) and record what the spec check found.

    `credit` is the co-design proposal a decision adopted: the section it changed is credited to it in the
    version's clause provenance (the rest keeps its provenance or is drafted by `actor`).
    """
    if not policy.can_edit_specification(actor, procurement):
        if policy.can_manage(actor, procurement):
            require_stage(procurement, SPEC_EDIT_STAGES, "change the specification")
        raise refuse(actor, procurement, "specification.save", "not a commissioner of the owning organisation",
                     "Only commissioners of the owning organisation can change the specification.")
    reasons = {}
    for number, outcome in enumerate(outcomes, start=1):
        if outcome.domain not in OUTCOME_DOMAINS:
            reasons[f"outcome-{number}-domain"] = f"Outcome {number}: choose a domain from the list"
        if not 0 <= outcome.payment_share <= 100:
            reasons[f"outcome-{number}-share"] = f"Outcome {number}: payment at risk must be between 0 and 100%"
        if not outcome.description.strip():
            reasons[f"outcome-{number}-description"] = f"Outcome {number}: describe the outcome"
    if reasons:
        raise RuleViolation(reasons)
    result = check_specification(body_md, outcomes)
    number = (procurement.latest_version.number if procurement.latest_version else 0) + 1
    version = SpecVersion(
        procurement_id=procurement.id, number=number, body_md=body_md or "", body_html=render_markdown(body_md or ""),
        note=(note or "").strip()[:300], created_by_id=actor.id, created_at=now,
        check_errors=json.dumps([f.as_dict() for f in result.errors]),
        check_warnings=json.dumps([f.as_dict() for f in result.warnings]),
    )
    db.session.add(version)
    db.session.flush()
    for position, outcome in enumerate(outcomes, start=1):
        db.session.add(SpecOutcome(
            version_id=version.id, position=position, domain=outcome.domain,
            description=outcome.description.strip(), indicator=outcome.indicator.strip(),
            baseline_method=outcome.baseline_method.strip(), target=outcome.target.strip(),
            timescale=outcome.timescale.strip(), evidence_source=outcome.evidence_source.strip(),
            payment_share=outcome.payment_share))
    db.session.flush()
    db.session.expire(procurement, ["versions"])
    from tenders.services.codesign import (
        provenance,  # clause provenance of each section (rule 3); co-design's decisions import this module
    )
    provenance.record_provenance(version, actor, now=now, credit=credit)
    trail.record("specification.saved", actor=actor, subject=version, procurement_id=procurement.id,
                 summary=f"Specification version {number} of {procurement.reference} saved "
                         f"({len(result.errors)} errors, {len(result.warnings)} warnings)",
                 payload={"version": number, "outcomes": len(outcomes),
                          "errors": [f.message for f in result.errors],
                          "warnings": [{"sentence": f.sentence, "reason": f.message} for f in result.warnings]})
    return version, result


def version_text(version: SpecVersion) -> list[str]:
    """A plain-text rendering of one version, line by line: what the diff compares."""
    lines = (version.body_md or "").splitlines()
    if version.outcomes:
        lines += ["", "## Outcomes"]
    for outcome in version.outcomes:
        lines += [
            "",
            f"Outcome {outcome.position}: {outcome.domain_label}",
            f"  Description: {outcome.description}",
            f"  Indicator: {outcome.indicator}",
            f"  Baseline: {outcome.baseline_method}",
            f"  Target: {outcome.target}",
            f"  Timescale: {outcome.timescale}",
            f"  Evidence: {outcome.evidence_source}",
            f"  Payment at risk: {outcome.payment_share}%",
        ]
    return lines


def diff_versions(old: SpecVersion, new: SpecVersion) -> ReadableDiff:
    """Any two versions compared for people to read: by section, changed lines paired, words marked."""
    if old.procurement_id != new.procurement_id:
        raise RuleViolation({"": "Both versions must belong to the same procurement"})
    return readable_diff("\n".join(version_text(old)), "\n".join(version_text(new)), f"Version {old.number}",
                         f"Version {new.number}")


def publish_spec_change(procurement: Procurement, actor: User, *, new_response_deadline: datetime | None,
                        now: datetime) -> SpecVersion:
    """Publish a changed specification during the tender (rule 5).

    Everyone taking part is told; the deadline may be extended; responses
    already in are marked as needing re-confirmation against the new version.
    """
    lock(procurement)
    if not policy.can_manage(actor, procurement):
        raise refuse(actor, procurement, "specification.change", "not a commissioner of the owning organisation",
                     "Only commissioners of the owning organisation can change the specification.")
    require_stage(procurement, ("tender",), "publish a changed specification")
    old_deadline = response_deadline(procurement)
    if now >= old_deadline:
        raise RuleViolation({"": "The response deadline has passed: the specification can no longer change"})
    latest, published = procurement.latest_version, procurement.published_version
    if latest is None or latest.published_at is not None:
        raise RuleViolation({"": "Save a new version of the specification first: there is no unpublished change"})
    result = check_specification(latest.body_md, latest.outcomes)
    if not result.ok:
        raise RuleViolation({"": "The specification check found errors: "
                                 + "; ".join(e.message for e in result.errors)})
    if new_response_deadline is not None and new_response_deadline <= old_deadline:
        raise RuleViolation({"new_response_deadline": "A new deadline must be later than the current one "
                                                      f"({uk_when(old_deadline)})"})
    latest.published_at = now
    if new_response_deadline is not None:
        procurement.response_deadline = new_response_deadline
    deadline = new_response_deadline or old_deadline
    responses = list(db.session.scalars(select(TenderResponse).where(
        TenderResponse.procurement_id == procurement.id, TenderResponse.status == ResponseStatus.SUBMITTED)))
    for response in responses:
        response.needs_reconfirmation = True
        response.reconfirmed_at = None
    db.session.flush()
    deadline_text = (f"The response deadline is extended to {uk_when(deadline)}."
                     if new_response_deadline else
                     f"The response deadline is unchanged: {uk_when(deadline)}.")
    # How many responses were marked, or how many participants told, is not recorded: before the opening
    # nobody may learn whether anyone responded.
    notify_participants(
        procurement, "the specification has changed",
        f"Version {latest.number} of the specification replaces version {published.number if published else '-'}. "
        f"{deadline_text} If you have already responded, please check your response and re-confirm it.")
    trail.record(
        "specification.changed",
        actor=actor,
        subject=latest,
        procurement_id=procurement.id,
        audience="public",
        summary=f"Specification of {procurement.reference} changed during the tender (version {latest.number}). "
        + deadline_text,
        payload={
            "version": latest.number,
            "previous_version": published.number if published else None,
            "old_deadline": old_deadline.isoformat(),
            "new_deadline": deadline.isoformat(),
        },
    )
    return latest
