"""Evaluation, award, standstill and contract (PA23 ss.50–51; PSR reg 12 for health care services).

Quality criteria are scored by evaluators independently, then moderated; price
criteria are scored by formula: lowest price ÷ this price × the criterion's
weight (so the lowest price gets the full weight).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select

import trail
from accounts.models import User
from core.errors import RuleViolation
from core.extensions import db
from core.markdown import render_markdown
from tenders import policy, workingdays
from tenders.models import (
    Award,
    AwardCriterion,
    ConsensusScore,
    Contract,
    EvaluatorAssignment,
    Procurement,
    ResponseStatus,
    Score,
    Stage,
    TenderResponse,
)
from tenders.services import conflicts
from tenders.services.common import lock, move, refuse, require_stage
from tenders.services.responses import responses_for
from tenders.signals import contract_entered
from tenders.thresholds import regime_of
from trail.outbox import queue_email

# PSR processes with no standstill: SI 2023/1348 reg 12 applies to direct award C, most suitable provider and
# the competitive process only.
PSR_WITHOUT_STANDSTILL = frozenset({"direct_award_a", "direct_award_b"})
PRICE_FORMULA = "Price score = lowest price ÷ this bid's price × the price criterion's weight"


def _require_manager(actor: User, procurement: Procurement, attempted: str) -> None:
    if not policy.can_manage(actor, procurement):
        raise refuse(actor, procurement, attempted, "not a commissioner of the owning organisation",
                     "Only commissioners of the organisation that owns this procurement can do that.")


def _bidders(procurement: Procurement) -> frozenset[int]:
    """The organisations with a current response: the conflicts gate's "any bidder"."""
    return frozenset(response.provider_org_id for response in responses_for(procurement))


def assignment_for(procurement: Procurement, user: User) -> EvaluatorAssignment | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(EvaluatorAssignment).where(
        EvaluatorAssignment.procurement_id == procurement.id, EvaluatorAssignment.user_id == user.id))


def assignments(procurement: Procurement) -> list[EvaluatorAssignment]:
    return list(db.session.scalars(select(EvaluatorAssignment).where(
        EvaluatorAssignment.procurement_id == procurement.id).order_by(EvaluatorAssignment.id)))


def assign_evaluator(procurement: Procurement, actor: User, evaluator: User, *, is_moderator: bool,
                     now: datetime) -> EvaluatorAssignment:
    """Evaluators are commissioners of the owning organisation; one of them moderates."""
    _require_manager(actor, procurement, "evaluation.assign")
    require_stage(procurement, ("tender", "evaluation"), "assign evaluators")
    if not policy.is_owner_commissioner(evaluator, procurement):
        raise RuleViolation({"evaluator": f"{evaluator.full_name} is not a commissioner of {procurement.owner.name}"})
    if assignment_for(procurement, evaluator) is not None:
        raise RuleViolation({"evaluator": f"{evaluator.full_name} is already an evaluator"})
    assignment = EvaluatorAssignment(procurement_id=procurement.id, user_id=evaluator.id, is_moderator=is_moderator,
                                     assigned_at=now)
    db.session.add(assignment)
    db.session.flush()
    trail.record("evaluation.evaluator_assigned", actor=actor, subject=assignment, procurement_id=procurement.id,
                 summary=f"{evaluator.full_name} assigned as {'moderator and ' if is_moderator else ''}evaluator "
                         f"on {procurement.reference}",
                 payload={"user_id": evaluator.id, "moderator": is_moderator})
    return assignment


def quality_criteria(procurement: Procurement) -> list[AwardCriterion]:
    return [c for c in procurement.criteria if c.kind == "quality"]


def _checked_scores(procurement: Procurement,
                    scores: dict[int, tuple[int | None, str]]) -> dict[int, tuple[int, str]]:
    """Every quality criterion's score and reason, or the refusal naming each one missing or out of range."""
    reasons = {}
    checked: dict[int, tuple[int, str]] = {}
    for criterion in quality_criteria(procurement):
        score, rationale = scores.get(criterion.id, (None, ""))
        if score is None or not 0 <= score <= procurement.score_max:
            reasons[f"score-{criterion.id}"] = (f"“{criterion.name}”: give a score from 0 to {procurement.score_max}")
        else:
            checked[criterion.id] = (score, rationale)
        if not (rationale or "").strip():
            reasons[f"rationale-{criterion.id}"] = f"“{criterion.name}”: give the reason for the score"
    if reasons:
        raise RuleViolation(reasons)
    return checked


def record_scores(procurement: Procurement, actor: User, response: TenderResponse,
                  scores: dict[int, tuple[int | None, str]], *, now: datetime) -> list[Score]:
    """One evaluator's independent scores for one response; changeable until they submit."""
    assignment = assignment_for(procurement, actor)
    if assignment is None or not policy.is_owner_commissioner(actor, procurement):
        raise refuse(actor, procurement, "evaluation.score", "not an assigned evaluator",
                     "Only the evaluators assigned to this procurement can score it.")
    require_stage(procurement, ("evaluation",), "score responses")
    if response.procurement_id != procurement.id or response.status != ResponseStatus.SUBMITTED:
        raise RuleViolation({"": "That response is not part of this evaluation"})
    conflicts.require_unconflicted(procurement, actor, "score", "score this response", "evaluation.score",
                                   frozenset({response.provider_org_id}))
    if assignment.scores_submitted_at is not None:
        raise RuleViolation({"": "You have submitted your scores: they can no longer change"})
    checked = _checked_scores(procurement, scores)
    saved = []
    for criterion in quality_criteria(procurement):
        value, rationale = checked[criterion.id]
        row = db.session.scalar(select(Score).where(Score.response_id == response.id,
                                                    Score.criterion_id == criterion.id,
                                                    Score.evaluator_id == actor.id))
        if row is None:
            row = Score(procurement_id=procurement.id, response_id=response.id, criterion_id=criterion.id,
                        evaluator_id=actor.id, score=value, rationale=rationale.strip(), recorded_at=now)
            db.session.add(row)
        else:
            row.score, row.rationale, row.recorded_at = value, rationale.strip(), now
        saved.append(row)
    db.session.flush()
    trail.record("evaluation.scored", actor=actor, subject=response, procurement_id=procurement.id,
                 summary=f"{actor.full_name} scored response {response.id} on {procurement.reference}",
                 payload={"response_id": response.id,
                          "scores": {str(c.id): scores[c.id][0] for c in quality_criteria(procurement)}})
    return saved


def _my_scores(procurement: Procurement, user: User) -> list[Score]:
    return list(db.session.scalars(select(Score).where(Score.procurement_id == procurement.id,
                                                       Score.evaluator_id == user.id)))


def submit_scores(procurement: Procurement, actor: User, *, now: datetime) -> EvaluatorAssignment:
    """Lock an evaluator's scores; only then may they see the others'."""
    assignment = assignment_for(procurement, actor)
    if assignment is None:
        raise refuse(actor, procurement, "evaluation.submit", "not an assigned evaluator",
                     "Only the evaluators assigned to this procurement can submit scores.")
    require_stage(procurement, ("evaluation",), "submit scores")
    conflicts.require_unconflicted(procurement, actor, "score", "submit scores", "evaluation.submit",
                                   _bidders(procurement))
    if assignment.scores_submitted_at is not None:
        raise RuleViolation({"": "You have already submitted your scores"})
    needed = len(responses_for(procurement)) * len(quality_criteria(procurement))
    if len(_my_scores(procurement, actor)) < needed:
        raise RuleViolation({"": "Score every response on every quality criterion before submitting"})
    assignment.scores_submitted_at = now
    db.session.flush()
    trail.record("evaluation.scores_submitted", actor=actor, subject=assignment, procurement_id=procurement.id,
                 summary=f"{actor.full_name} submitted their scores for {procurement.reference}",
                 payload={"scores": needed})
    return assignment


def visible_scores(procurement: Procurement, viewer: User) -> list[Score]:
    """An evaluator sees their own scores, and everyone's only after submitting their own."""
    assignment = assignment_for(procurement, viewer)
    if assignment is None:
        return []
    if assignment.scores_submitted_at is None:
        return _my_scores(procurement, viewer)
    return list(db.session.scalars(select(Score).where(Score.procurement_id == procurement.id)
                                   .order_by(Score.response_id, Score.criterion_id, Score.evaluator_id)))


def all_submitted(procurement: Procurement) -> bool:
    found = assignments(procurement)
    return bool(found) and all(a.scores_submitted_at is not None for a in found)


def record_consensus(procurement: Procurement, actor: User, response: TenderResponse, criterion: AwardCriterion, *,
                     score: int | None, rationale: str, now: datetime) -> ConsensusScore:
    """The moderator's consensus score, once every evaluator has submitted."""
    assignment = assignment_for(procurement, actor)
    if assignment is None or not assignment.is_moderator:
        raise refuse(actor, procurement, "evaluation.moderate", "not the moderator",
                     "Only the moderator can record consensus scores.")
    require_stage(procurement, ("evaluation",), "record consensus scores")
    if criterion.procurement_id != procurement.id or criterion.kind != "quality" or \
            response.procurement_id != procurement.id or response.status != ResponseStatus.SUBMITTED:
        raise RuleViolation({"": "That score does not belong to this evaluation"})
    conflicts.require_unconflicted(procurement, actor, "moderate", "record a consensus score for this response",
                                   "evaluation.moderate", frozenset({response.provider_org_id}))
    if not all_submitted(procurement):
        raise RuleViolation({"": "Every evaluator must submit their scores before the consensus is recorded"})
    reasons = {}
    if score is None or not 0 <= score <= procurement.score_max:
        reasons["score"] = f"Give a score from 0 to {procurement.score_max}"
    if not (rationale or "").strip():
        reasons["rationale"] = "Give the reason for the consensus score"
    if reasons or score is None:  # a missing score is always among the reasons
        raise RuleViolation(reasons)
    row = db.session.scalar(select(ConsensusScore).where(ConsensusScore.response_id == response.id,
                                                         ConsensusScore.criterion_id == criterion.id))
    if row is None:
        row = ConsensusScore(procurement_id=procurement.id, response_id=response.id, criterion_id=criterion.id,
                             moderator_id=actor.id, score=score, rationale=rationale.strip(), recorded_at=now)
        db.session.add(row)
    else:
        row.score, row.rationale, row.moderator_id, row.recorded_at = score, rationale.strip(), actor.id, now
    db.session.flush()
    trail.record("evaluation.consensus_recorded", actor=actor, subject=row, procurement_id=procurement.id,
                 summary=f"Consensus score for response {response.id} on “{criterion.name}”: {score}",
                 payload={"response_id": response.id, "criterion_id": criterion.id, "score": score,
                          "rationale": rationale.strip()})
    return row


@dataclass
class CriterionResult:
    criterion: AwardCriterion
    score: int | None  # consensus (quality) or None (price)
    points: float | None
    rationale: str


@dataclass
class Ranked:
    response: TenderResponse
    results: list[CriterionResult] = field(default_factory=list)
    total: float = 0.0
    rank: int = 0
    complete: bool = True


def ranking(procurement: Procurement) -> list[Ranked]:
    """Weighted totals (out of 100) and ranks from the consensus scores and the price formula."""
    responses = responses_for(procurement) if procurement.is_opened else []
    consensus = {(c.response_id, c.criterion_id): c for c in db.session.scalars(
        select(ConsensusScore).where(ConsensusScore.procurement_id == procurement.id))}
    prices = [r.opened_price_pence for r in responses if r.opened_price_pence]
    lowest = min(prices) if prices else None
    ranked = []
    for response in responses:
        entry = Ranked(response)
        for criterion in procurement.criteria:
            if criterion.kind == "price":
                price = response.opened_price_pence
                points = round(lowest / price * criterion.weight, 2) if lowest and price else None
                entry.results.append(CriterionResult(criterion, None, points, PRICE_FORMULA))
            else:
                agreed = consensus.get((response.id, criterion.id))
                points = round(agreed.score / procurement.score_max * criterion.weight, 2) if agreed else None
                entry.results.append(CriterionResult(criterion, agreed.score if agreed else None, points,
                                                     agreed.rationale if agreed else ""))
            if points is None:
                entry.complete = False
            else:
                entry.total += points
        entry.total = round(entry.total, 2)
        ranked.append(entry)
    ranked.sort(key=lambda e: (-e.total, e.response.id))
    for position, entry in enumerate(ranked, start=1):
        entry.rank = position
    return ranked


def decide_award(procurement: Procurement, actor: User, response: TenderResponse, *, reasons_md: str,
                 standstill_applies: bool, now: datetime) -> Award:
    """Evaluation → award: the decision with reasons and the public contract award notice (UK6, PA23 s.50);
    standstill starts."""
    lock(procurement)
    _require_manager(actor, procurement, "award.decide")
    require_stage(procurement, ("evaluation",), "award the contract")
    # A person with a declared interest in any bidder, or excluded by the assessment, takes no part in the award.
    conflicts.require_unconflicted(procurement, actor, "award", "award this contract", "award.decide",
                                   _bidders(procurement))
    ranked = ranking(procurement)
    reasons = {}
    if not ranked or not all(entry.complete for entry in ranked):
        reasons[""] = "Record a consensus score for every response on every quality criterion first"
    elif response.id not in {e.response.id for e in ranked if e.total == ranked[0].total}:
        reasons["response"] = "The award must go to the highest-scoring response"
    if not (reasons_md or "").strip():
        reasons["reasons"] = "Give the reasons for the decision: bidders and the public will see them"
    regime = regime_of(procurement, now).regime
    if not standstill_applies and not may_skip_standstill(procurement, regime.code):
        reasons["standstill"] = ("Only light-touch contracts (and PSR direct awards A and B) can be awarded "
                                 "without a standstill period")
    standstill_ends_on = None
    if standstill_applies and not reasons:
        standstill_ends_on = workingdays.standstill(now, standstill_rule(regime.code)).ends_on
    if reasons:
        raise RuleViolation(reasons)
    award = Award(procurement_id=procurement.id, response_id=response.id, decided_by_id=actor.id,
                  reasons_md=reasons_md.strip(), reasons_html=render_markdown(reasons_md.strip()),
                  notice_published_at=now, standstill_applies=standstill_applies,
                  standstill_ends_on=standstill_ends_on)
    db.session.add(award)
    move(procurement, "award")
    db.session.flush()
    for entry in ranked:
        for person in entry.response.provider.members:
            if person.email_confirmed_at and not person.is_suspended:
                queue_email(person.email, f"{procurement.reference}: award decision",
                            f"The contract “{procurement.title}” is to be awarded to {response.provider.name}. "
                            "Your assessment summary, with your scores and the winner's, is on the procurement page.")
    trail.record("award.notice_published", actor=actor, subject=award, procurement_id=procurement.id,
                 audience="public",
                 summary=f"Contract award notice (UK6): {procurement.reference} to {response.provider.name}"
                         + (f"; standstill ends {standstill_ends_on:%-d %B %Y}" if standstill_ends_on else
                            "; no standstill"),
                 payload={"response_id": response.id, "provider": response.provider.name,
                          "total": ranked[0].total, "standstill_ends_on":
                          standstill_ends_on.isoformat() if standstill_ends_on else None,
                          "ranking": [{"response_id": e.response.id, "total": e.total, "rank": e.rank}
                                      for e in ranked]})
    return award


def standstill_rule(regime_code: str) -> str:
    """Which count applies: PSR reg 12 (from the day after the notice) or PA23 s.51 (beginning with it)."""
    return "psr" if regime_code == "psr" else "pa23"


def may_skip_standstill(procurement: Procurement, regime_code: str) -> bool:
    """PA23 s.51(3): a light-touch contract is exempt from the mandatory standstill; under the PSR, reg 12
    does not apply to direct award processes A and B. Keeping the standstill anyway is the platform's default
    (platform policy)."""
    return regime_code == "light_touch" or (
        regime_code == "psr" and procurement.psr_process in PSR_WITHOUT_STANDSTILL)


def award_for(procurement: Procurement) -> Award | None:
    return db.session.scalar(select(Award).where(Award.procurement_id == procurement.id))


@dataclass
class AssessmentSummary:
    own: Ranked
    winner: Ranked
    award: Award


def assessment_summary(procurement: Procurement, viewer: User) -> AssessmentSummary | None:
    """A bidder's own scores and the winner's, with reasons; None for anyone who did not bid."""
    award = award_for(procurement)
    if award is None or not getattr(viewer, "is_authenticated", False):
        return None
    ranked = ranking(procurement)
    own = next((e for e in ranked if e.response.provider_org_id == viewer.organisation_id), None)
    winner = next((e for e in ranked if e.response.id == award.response_id), None)
    if own is None or winner is None:
        return None
    return AssessmentSummary(own, winner, award)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def standstill_over(award: Award, now: datetime) -> bool:
    """Standstill ends at midnight (UK time) at the end of its last working day."""
    if not award.standstill_applies:
        return True
    if award.standstill_ends_on is None:  # an award with a standstill period is made with its last day
        raise ValueError(f"Award {award.id} has a standstill period without its last day")
    return workingdays.standstill_over(award.standstill_ends_on, now)


def enter_contract(procurement: Procurement, actor: User | None, *, starts_on: date | None,
                   now: datetime) -> Contract:
    """Award → contract, once standstill is over; `actor` None when the system does it on schedule."""
    lock(procurement)
    if actor is not None:
        _require_manager(actor, procurement, "contract.enter")
    require_stage(procurement, ("award",), "enter into the contract")
    award = award_for(procurement)
    if award is None:  # the award stage is entered with its award
        raise RuleViolation({"": "There is no award decision to enter into a contract on"})
    if not standstill_over(award, now):
        raise RuleViolation({"": f"The standstill period runs until the end of "
                                 f"{award.standstill_ends_on:%-d %B %Y}: the contract cannot be entered into yet"})
    starts_on = starts_on or now.date()
    if starts_on < now.date():
        raise RuleViolation({"starts_on": "The contract cannot start in the past"})
    value = award.response.opened_price_pence
    if value is None:  # only a response with an opened price can be ranked first and awarded
        raise RuleViolation({"": "The awarded response has no opened price: the contract cannot be entered into"})
    ends_on = _add_months(starts_on, procurement.duration_months or 12) - timedelta(days=1)
    regime = regime_of(procurement, now, value_pence=value)
    contract = Contract(procurement_id=procurement.id, provider_org_id=award.response.provider_org_id,
                        value_pence=value, starts_on=starts_on, ends_on=ends_on,
                        review_clauses_md=procurement.review_clauses_md,
                        review_clauses_html=procurement.review_clauses_html, regime=regime.code, created_at=now)
    db.session.add(contract)
    move(procurement, "contract")
    db.session.flush()
    trail.record("contract.entered", actor=actor, subject=contract, procurement_id=procurement.id, audience="public",
                 summary=f"Contract for {procurement.reference} entered into with {award.response.provider.name}: "
                         f"£{value / 100:,.2f}, {starts_on:%-d %B %Y} to {ends_on:%-d %B %Y}",
                 payload={"provider": award.response.provider.name, "value_pence": value,
                          "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(), "regime": regime.code})
    contract_entered.send(contract, actor=actor, now=now)
    return contract


def contract_for(procurement: Procurement) -> Contract | None:
    return db.session.scalar(select(Contract).where(Contract.procurement_id == procurement.id))


def contracts_due(now: datetime) -> list[Procurement]:
    """Procurements whose standstill is over and that have no contract yet (for the scheduled command)."""
    found = db.session.scalars(select(Procurement).where(Procurement.stage == Stage.AWARD).order_by(Procurement.id))
    due = []
    for procurement in found:
        award = award_for(procurement)
        if award is not None and standstill_over(award, now):  # the award stage is entered with its award
            due.append(procurement)
    return due
