"""Performance ratings on the UK9 scale, per outcome (KPI) per period, with a rationale.

A contract worth more than £5m that is not light touch must have its
assessment published as a UK9 contract performance notice (PA23 s.52): its
ratings are published and the notice goes out through the tenders notice
service. For every other contract publishing a rating is the commissioner's
choice. A rating is never edited: rating the same KPI and period again
supersedes the earlier rating.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

import trail
from accounts.models import User
from core.errors import RuleViolation
from core.extensions import db
from outcomes import policy
from outcomes.models import (
    RATINGS,
    ContractOutcome,
    OutcomeTerms,
    PerformanceRating,
    Rating,
)
from outcomes.periods import reporting_periods
from outcomes.services.common import MAX_TEXT, clean, deny, locked
from tenders.models import Contract
from tenders.services import notices


def ratings_for(contract: Contract, *, published_only: bool = False) -> list[PerformanceRating]:
    superseded = select(PerformanceRating.supersedes_id).where(PerformanceRating.supersedes_id.is_not(None))
    query = select(PerformanceRating).where(PerformanceRating.contract_id == contract.id,
                                            PerformanceRating.id.not_in(superseded))
    if published_only:
        query = query.where(PerformanceRating.published.is_(True))
    return list(db.session.scalars(query.order_by(PerformanceRating.period_end, PerformanceRating.outcome_id)))


def rate(outcome: ContractOutcome, actor: User, *, period: str, rating: str, rationale: str, publish: bool,
         now: datetime) -> PerformanceRating:
    contract = db.session.get_one(Contract, outcome.contract_id)
    procurement = locked(contract)
    if not policy.can_decide(actor, procurement):
        raise deny(actor, contract, "outcomes.rate", "not a commissioner of the owning organisation",
                   "Only commissioners of the organisation that owns this contract can rate its performance.")
    terms = db.session.get_one(OutcomeTerms, outcome.terms_id)
    chosen = next((p for p in reporting_periods(terms.starts_on, terms.ends_on, contract.ended_on,
                                                terms.period_months, now.date())
                   if p.label == period), None)
    reasons = {}
    if chosen is None:
        reasons["period"] = "Choose a period of the contract that has ended"
    if rating not in set(Rating):
        reasons["rating"] = "Choose a rating"
    text = clean(rationale)
    # Where a UK9 notice is required the rationale is published in it under a heading, and the notice has a
    # limit of its own: checked here, before anything changes, so a rating never stands without its notice.
    label = RATINGS[Rating(rating)] if rating in set(Rating) else ""
    heading = f"**{outcome.indicator or outcome.description}** ({period}): {label}.\n\n"
    limit = min(MAX_TEXT, notices.MAX_TEXT - len(heading)) if terms.uk9_required else MAX_TEXT
    if not text:
        reasons["rationale"] = "Give the rationale for the rating"
    elif len(text) > limit:
        reasons["rationale"] = f"The rationale must be {limit:,} characters or fewer"
    if reasons or chosen is None:  # no period chosen is always among the reasons
        raise RuleViolation(reasons)
    published = publish or terms.uk9_required
    if terms.uk9_required:
        # The notice first: it checks its own rules before it changes anything, so a refusal leaves no rating.
        notices.publish_performance_notice(procurement, actor, period_ends_on=chosen.end, now=now,
                                           assessment_md=heading + text)
    earlier = next((r for r in ratings_for(contract) if r.outcome_id == outcome.id and r.period == period), None)
    row = PerformanceRating(contract_id=contract.id, outcome_id=outcome.id, period=period, period_end=chosen.end,
                            rating=rating, rationale=text, published=published, rated_by_id=actor.id, rated_at=now,
                            supersedes_id=earlier.id if earlier else None)
    db.session.add(row)
    db.session.flush()
    trail.record("outcomes.rating_recorded", actor=actor, subject=row, procurement_id=procurement.id,
                 audience="public" if published else "participants",
                 summary=f"Outcome {outcome.position} on {procurement.reference} rated {label} for {period}",
                 payload={"outcome_id": outcome.id, "period": period, "rating": rating, "rationale": text,
                          "published": published, "supersedes_id": row.supersedes_id})
    return row
