"""Returns against contract outcomes: submitted by the provider, then verified, queried or disputed.

Nothing is overwritten: an answer to a query, or a correction, is a new
return superseding the earlier one; a dispute ends in a recorded resolution
(upheld, amended or withdrawn), and an amendment is again a new return. The
verifier is never the person who submitted. Every step writes its audit event
with the figures, so the payments can be recomputed from the trail alone.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

import trail
from accounts.models import User
from core.errors import RuleViolation
from core.extensions import db
from core.markdown import render_markdown
from core.safeguarding import check_child_data
from forum.attachments import Upload
from forum.models import INTENSITIES
from outcomes import evidence, notices, policy
from outcomes.models import (
    AGE_BANDS,
    ContractOutcome,
    DecisionKind,
    Measure,
    OutcomeReturn,
    OutcomeTerms,
    Resolution,
    ReturnDecision,
    ReturnStatus,
    ReturnStratum,
)
from outcomes.periods import ended_by, reporting_periods
from outcomes.services.common import (
    MAX_COUNT,
    MAX_TEXT,
    MAX_VALUE,
    clean,
    decimal_text,
    deny,
    locked,
)
from tenders.models import Contract, Procurement

MAX_FILES = 5
# A live return may be followed by a new one only from these states: an answer to a query, a correction of a
# verified return, or a fresh return after a dispute was upheld. A return waiting for verification, or disputed,
# must be decided first.
SUPERSEDABLE = (ReturnStatus.QUERIED, ReturnStatus.VERIFIED, ReturnStatus.REJECTED)


@dataclass(frozen=True)
class StratumInput:
    intensity: str
    age_band: str
    cohort: int
    achieved: int


@dataclass(frozen=True)
class Figures:
    """What a return reports: counts and aggregates only."""

    cohort: int | None = None
    achieved: int | None = None
    value: Decimal | None = None
    distance_travelled: Decimal | None = None
    strata: tuple[StratumInput, ...] = ()


def live_return(outcome: ContractOutcome, period: str) -> OutcomeReturn | None:
    """The return that stands for an outcome and period: the one not superseded."""
    return db.session.scalar(select(OutcomeReturn).where(
        OutcomeReturn.outcome_id == outcome.id, OutcomeReturn.period == period,
        OutcomeReturn.status != ReturnStatus.SUPERSEDED).order_by(OutcomeReturn.id.desc()).limit(1))


def returns_for(contract: Contract) -> list[OutcomeReturn]:
    return list(db.session.scalars(select(OutcomeReturn).where(OutcomeReturn.contract_id == contract.id)
                                   .order_by(OutcomeReturn.period_end, OutcomeReturn.outcome_id, OutcomeReturn.id)))


def figures_payload(ret: OutcomeReturn) -> dict[str, Any]:
    """A return's figures as the trail keeps them (the recomputation reads these)."""
    return {"return_id": ret.id, "outcome_id": ret.outcome_id, "period": ret.period,
            "supersedes_id": ret.supersedes_id, "cohort": ret.cohort, "achieved": ret.achieved,
            "value": decimal_text(ret.value), "distance_travelled": decimal_text(ret.distance_travelled),
            "strata": [{"intensity": s.intensity, "age_band": s.age_band, "cohort": s.cohort, "achieved": s.achieved}
                       for s in ret.strata]}


def _check_figures(measure: str, f: Figures) -> dict[str, str]:
    reasons: dict[str, str] = {}
    if f.cohort is not None and not 0 <= f.cohort <= MAX_COUNT:
        reasons["cohort"] = f"The cohort must be a whole number from 0 to {MAX_COUNT:,}"
    if f.achieved is not None and not 0 <= f.achieved <= MAX_COUNT:
        reasons["achieved"] = f"The number achieved must be a whole number from 0 to {MAX_COUNT:,}"
    for name, value in (("value", f.value), ("distance_travelled", f.distance_travelled)):
        if value is not None and abs(value) >= MAX_VALUE:
            reasons[name] = "The figure must be less than 1,000,000"
    if measure == Measure.PROPORTION:
        if f.cohort is None or f.cohort == 0:
            reasons.setdefault("cohort", "Enter the cohort: how many children or young people the outcome covers")
        if f.achieved is None:
            reasons.setdefault("achieved", "Enter how many of the cohort achieved the outcome")
        elif f.cohort is not None and f.achieved > f.cohort:
            reasons.setdefault("achieved", "The number achieved cannot be more than the cohort")
        if not f.strata:
            reasons["strata"] = "Break the cohort down by need intensity and age band at intake"
    elif measure == Measure.COUNT:
        if f.achieved is None:
            reasons.setdefault("achieved", "Enter the count")
    elif measure == Measure.SCALE:
        if f.value is None:
            reasons["value"] = "Enter the score measured"
    elif measure == Measure.MILESTONE and f.value not in (Decimal(0), Decimal(1)):
        reasons["value"] = "Say whether the milestone was met"
    if f.strata and "strata" not in reasons:
        seen = set()
        for s in f.strata:
            if s.intensity not in INTENSITIES or s.age_band not in AGE_BANDS:
                reasons["strata"] = (f"Each row needs a need intensity ({', '.join(INTENSITIES)}) and an age band "
                                     f"({', '.join(AGE_BANDS)})")
                break
            if not 0 <= s.achieved <= s.cohort <= MAX_COUNT:
                reasons["strata"] = "In each row the number achieved must be from 0 to the row's cohort"
                break
            if (s.intensity, s.age_band) in seen:
                reasons["strata"] = f"The row for {s.intensity}, {s.age_band} appears twice: give each once"
                break
            seen.add((s.intensity, s.age_band))
        else:
            if f.cohort is not None and sum(s.cohort for s in f.strata) != f.cohort:
                reasons["strata"] = (f"The rows add up to a cohort of {sum(s.cohort for s in f.strata)}, "
                                     f"not {f.cohort}")
            elif f.achieved is not None and sum(s.achieved for s in f.strata) != f.achieved:
                reasons["strata"] = (f"The rows add up to {sum(s.achieved for s in f.strata)} achieved, "
                                     f"not {f.achieved}")
    return reasons


def _new_return(outcome: ContractOutcome, contract: Contract, period: Any, f: Figures, narrative_md: str,
                by: User, status: str, supersedes: OutcomeReturn | None, now: datetime) -> OutcomeReturn:
    if supersedes is not None:
        supersedes.status = ReturnStatus.SUPERSEDED
        db.session.flush()
    ret = OutcomeReturn(outcome_id=outcome.id, contract_id=contract.id, period=period.label,
                        period_start=period.start, period_end=period.end, status=status,
                        supersedes_id=supersedes.id if supersedes else None, cohort=f.cohort, achieved=f.achieved,
                        value=f.value, distance_travelled=f.distance_travelled, narrative_md=narrative_md,
                        narrative_html=render_markdown(narrative_md), submitted_by_id=by.id, submitted_at=now)
    db.session.add(ret)
    db.session.flush()
    for s in f.strata:
        db.session.add(ReturnStratum(return_id=ret.id, intensity=s.intensity, age_band=s.age_band, cohort=s.cohort,
                                     achieved=s.achieved))
    db.session.flush()
    db.session.refresh(ret)
    return ret


def _decide(ret: OutcomeReturn, actor: User, kind: str, now: datetime, reason: str = "",
            resolution: str | None = None) -> ReturnDecision:
    decision = ReturnDecision(return_id=ret.id, contract_id=ret.contract_id, kind=kind, resolution=resolution,
                              reason=reason, actor_id=actor.id, decided_at=now)
    db.session.add(decision)
    db.session.flush()
    return decision


def submit_return(outcome: ContractOutcome, actor: User, *, period: str, figures: Figures, narrative_md: str,
                  files: Sequence[Upload] = (), confirmed_not_child_data: bool = False,
                  now: datetime) -> OutcomeReturn:
    """The provider's return for one outcome and one ended period (or its answer to a query, or a correction)."""
    contract = db.session.get_one(Contract, outcome.contract_id)
    procurement = locked(contract)
    if not policy.can_submit(actor, contract):
        raise deny(actor, contract, "outcomes.return_submit", "not the contract's provider",
                   "Only the provider that holds this contract can submit returns on it.")
    terms = db.session.get_one(OutcomeTerms, outcome.terms_id)
    chosen = next((p for p in reporting_periods(terms.starts_on, terms.ends_on, contract.ended_on,
                                                terms.period_months, now.date())
                   if p.label == period), None)
    reasons: dict[str, str] = {}
    if chosen is None:
        reasons["period"] = "Choose a period of the contract that has ended"
    standing = live_return(outcome, period) if chosen else None
    if standing is not None and standing.status not in SUPERSEDABLE:
        reasons[""] = (f"The {period} return is {standing.status_label.lower()}: it must be decided before "
                       "another is made")
    narrative_md = narrative_md or ""
    if len(narrative_md) > MAX_TEXT:
        reasons["narrative"] = f"The narrative must be {MAX_TEXT:,} characters or fewer"
    if len(files) > MAX_FILES:
        reasons["evidence"] = f"Attach at most {MAX_FILES} files to one return"
    reasons.update(_check_figures(outcome.measure, figures))
    if reasons:
        raise RuleViolation(reasons)
    checked = [evidence.checked(upload) for upload in files]
    confirmed = check_child_data("narrative", [narrative_md] + [u.filename for u in files], confirmed_not_child_data)
    ret = _new_return(outcome, contract, chosen, figures, narrative_md, actor, ReturnStatus.SUBMITTED, standing, now)
    stored = [evidence.store(ret.id, c, by_id=actor.id, now=now) for c in checked]
    db.session.add_all(stored)
    db.session.flush()
    _decide(ret, actor, DecisionKind.SUBMITTED, now)
    kind = "resubmitted" if standing is not None else "submitted"
    action = "outcomes.return_resubmitted" if standing is not None else "outcomes.return_submitted"
    trail.record(action, actor=actor, subject=ret, procurement_id=procurement.id,
                 audience="participants",
                 summary=f"{period} return {kind} for outcome {outcome.position} on {procurement.reference}",
                 payload=figures_payload(ret) | {
                     "narrative": narrative_md, "child_data_confirmed": confirmed,
                     "evidence": [{"filename": s.filename, "sha256": s.sha256, "size_bytes": s.size_bytes}
                                  for s in stored]})
    notices.return_submitted(procurement, ret, actor)
    return ret


def _require_decider(ret: OutcomeReturn, actor: User, attempted: str, allowed: tuple[str, ...],
                     doing: str) -> tuple[Contract, Procurement]:
    contract = db.session.get_one(Contract, ret.contract_id)
    procurement = locked(contract)
    if not policy.can_decide(actor, procurement):
        raise deny(actor, contract, attempted, "not a commissioner of the owning organisation",
                   "Only commissioners of the organisation that owns this contract can decide its returns.")
    db.session.refresh(ret)
    if ret.status not in allowed:
        raise RuleViolation({"": f"This return is {ret.status_label.lower()}: it cannot be {doing}"})
    return contract, procurement


def _need_reason(reason: str | None, what: str) -> str:
    text = clean(reason)
    if not text:
        raise RuleViolation({"reason": f"Give the reason for the {what}: the provider sees it"})
    if len(text) > MAX_TEXT:
        raise RuleViolation({"reason": f"The reason must be {MAX_TEXT:,} characters or fewer"})
    return text


def verify_return(ret: OutcomeReturn, actor: User, *, now: datetime) -> OutcomeReturn:
    """A commissioner verifies the figures; never the person who submitted them."""
    contract, procurement = _require_decider(ret, actor, "outcomes.return_verify", (ReturnStatus.SUBMITTED,),
                                             "verified")
    if ret.submitted_by_id == actor.id:
        raise deny(actor, contract, "outcomes.return_verify", "verifier submitted the return",
                   "You submitted this return: someone else must verify it.")
    ret.status = ReturnStatus.VERIFIED
    ret.verified_by_id, ret.verified_at = actor.id, now
    _decide(ret, actor, DecisionKind.VERIFIED, now)
    trail.record("outcomes.return_verified", actor=actor, subject=ret, procurement_id=procurement.id,
                 audience="participants",
                 summary=f"{ret.period} return for outcome {ret.outcome.position} on {procurement.reference} verified",
                 payload={"return_id": ret.id, "outcome_id": ret.outcome_id, "period": ret.period,
                          "submitted_by_id": ret.submitted_by_id})
    notices.return_decided(procurement, contract, ret, "verified")
    return ret


def _decide_with_reason(ret: OutcomeReturn, actor: User, *, kind: DecisionKind, status: str, what: str, reason: str,
                        now: datetime) -> OutcomeReturn:
    """A query or a dispute: a return waiting for verification is held back, with the reason the provider sees."""
    contract, procurement = _require_decider(ret, actor, f"outcomes.return_{what}", (ReturnStatus.SUBMITTED,),
                                             kind)
    text = _need_reason(reason, what)
    ret.status = status
    _decide(ret, actor, kind, now, reason=text)
    action = {DecisionKind.QUERIED: "outcomes.return_queried", DecisionKind.DISPUTED: "outcomes.return_disputed"}[kind]
    trail.record(action, actor=actor, subject=ret, procurement_id=procurement.id,
                 audience="participants",
                 summary=f"{ret.period} return for outcome {ret.outcome.position} on {procurement.reference} {kind}",
                 payload={"return_id": ret.id, "reason": text})
    notices.return_decided(procurement, contract, ret, str(kind))
    return ret


def query_return(ret: OutcomeReturn, actor: User, *, reason: str, now: datetime) -> OutcomeReturn:
    """Ask the provider about the figures; it answers with a new return. A queried return earns nothing."""
    return _decide_with_reason(ret, actor, kind=DecisionKind.QUERIED, status=ReturnStatus.QUERIED, what="query",
                               reason=reason, now=now)


def dispute_return(ret: OutcomeReturn, actor: User, *, reason: str, now: datetime) -> OutcomeReturn:
    """Dispute the figures; nothing is paid on the return until the dispute is resolved."""
    return _decide_with_reason(ret, actor, kind=DecisionKind.DISPUTED, status=ReturnStatus.DISPUTED,
                               what="dispute", reason=reason, now=now)


def resolve_dispute(ret: OutcomeReturn, actor: User, *, resolution: str, reason: str,
                    amended: Figures | None = None, now: datetime) -> OutcomeReturn:
    """Upheld: the return stands refused. Withdrawn: it is verified as submitted. Amended: the agreed figures
    become a new, verified return superseding it. Returns the return that now stands."""
    contract, procurement = _require_decider(ret, actor, "outcomes.dispute_resolve", (ReturnStatus.DISPUTED,),
                                             "resolved")
    if resolution not in set(Resolution):
        raise RuleViolation({"resolution": "Choose how the dispute was resolved"})
    text = _need_reason(reason, "resolution")
    if resolution in (Resolution.WITHDRAWN, Resolution.AMENDED) and ret.submitted_by_id == actor.id:
        raise deny(actor, contract, "outcomes.dispute_resolve", "verifier submitted the return",
                   "You submitted this return: someone else must verify it.")
    standing = ret
    extra: dict[str, Any] = {}
    if resolution == Resolution.UPHELD:
        ret.status = ReturnStatus.REJECTED
    elif resolution == Resolution.WITHDRAWN:
        ret.status = ReturnStatus.VERIFIED
        ret.verified_by_id, ret.verified_at = actor.id, now
    else:
        if amended is None:
            raise RuleViolation({"": "Enter the amended figures"})
        problems = _check_figures(ret.outcome.measure, amended)
        if problems:
            raise RuleViolation(problems)
        terms = db.session.get_one(OutcomeTerms, ret.outcome.terms_id)
        period = next(p for p in ended_by(terms.starts_on, terms.ends_on, terms.period_months, now.date())
                      if p.label == ret.period)
        standing = _new_return(ret.outcome, contract, period, amended, ret.narrative_md, actor,
                               ReturnStatus.VERIFIED, ret, now)
        standing.verified_by_id, standing.verified_at = actor.id, now
        _decide(standing, actor, DecisionKind.VERIFIED, now, reason=text)
        extra = {"amended": figures_payload(standing)}
    _decide(ret, actor, DecisionKind.RESOLVED, now, reason=text, resolution=resolution)
    trail.record("outcomes.dispute_resolved", actor=actor, subject=ret, procurement_id=procurement.id,
                 audience="participants",
                 summary=f"Dispute on the {ret.period} return for outcome {ret.outcome.position} on "
                         f"{procurement.reference} resolved: {resolution}",
                 payload={"return_id": ret.id, "resolution": resolution, "reason": text} | extra)
    notices.return_decided(procurement, contract, ret, "settled", f": the dispute was {resolution}")
    return standing
