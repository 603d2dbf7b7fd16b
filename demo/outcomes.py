"""Demo outcomes on the running block contract: three quarters of returns, payments and ratings.

Loaded through the services, as a user would make them: Northmere's
commissioners set the payment terms the contract states, Meadowbank (the
provider) makes a return for each outcome each quarter, Priya verifies,
queries and disputes, and Tom (who verifies nothing) approves each
quarter's statement. One return is queried and answered with a new return,
one is disputed and resolved with amended figures, and the last quarter's
performance is rated on the UK9 scale. Counts are of children in the block;
no child is described.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from accounts.models import User
from core.extensions import db
from outcomes.periods import ended_by
from outcomes.services import ratings, returns, setup, statements
from outcomes.services.common import outcomes_for, terms_for
from outcomes.services.returns import Figures, StratumInput
from tenders.models import Contract, Procurement

BLOCK_TITLE = "Block contract for residential placements"


def _user(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


def _strata(rows: list[tuple[str, str, int, int]]) -> tuple[StratumInput, ...]:
    return tuple(StratumInput(*row) for row in rows)


def _proportion(rows: list[tuple[str, str, int, int]]) -> Figures:
    strata = _strata(rows)
    return Figures(cohort=sum(s.cohort for s in strata), achieved=sum(s.achieved for s in strata), strata=strata)


def _scale(cohort: int, score: str) -> Figures:
    return Figures(cohort=cohort, value=Decimal(score), distance_travelled=Decimal(score))


# Stability: children still in their first home here (target 69%); education: attendance at or above 90%.
# One entry per quarter, oldest first: the second quarter's stability return is queried, the third's education
# return disputed.
STABILITY = [
    [("high", "11-15", 5, 4), ("very_high", "11-15", 3, 2), ("medium", "16-17", 4, 3)],
    [("high", "11-15", 6, 5), ("very_high", "11-15", 4, 3), ("medium", "16-17", 5, 4)],
    [("high", "11-15", 7, 5), ("very_high", "11-15", 4, 3), ("medium", "16-17", 5, 4)],
]
STABILITY_FIRST_Q2 = [("high", "11-15", 5, 4), ("very_high", "11-15", 3, 3), ("medium", "16-17", 5, 4)]
EDUCATION = [
    [("high", "11-15", 5, 3), ("medium", "16-17", 4, 3)],
    [("high", "11-15", 7, 5), ("medium", "16-17", 6, 5)],
    [("high", "11-15", 8, 6), ("very_high", "11-15", 3, 2), ("medium", "16-17", 5, 4)],
]
EDUCATION_AGREED_Q3 = [("high", "11-15", 8, 7), ("very_high", "11-15", 3, 2), ("medium", "16-17", 5, 5)]
WELLBEING = [(12, "1.6"), (15, "2.8"), (16, "4.1")]


def load_outcomes_demo(now: datetime) -> None:
    procurement = db.session.scalars(select(Procurement).where(Procurement.title == BLOCK_TITLE)).one()
    contract = db.session.scalars(select(Contract).where(Contract.procurement_id == procurement.id)).one()
    priya, tom = _user("priya.shah@northmere.example"), _user("tom.hughes@northmere.example")
    provider = _user("daniel.brooks@meadowbank.example")
    terms = terms_for(contract)
    if terms is None:  # the contract's specification outcomes become its terms when it is entered into
        raise RuntimeError(f"The contract for {BLOCK_TITLE} has no outcome terms")
    stability, wellbeing, education = outcomes_for(contract)
    agreed_at = datetime.combine(contract.starts_on, datetime.min.time()) + timedelta(hours=10)
    setup.agree_terms(stability, priya, setup.AgreedTerms(
        measure="proportion", direction="higher", formula="linear", baseline=Decimal(50), target=Decimal(69),
        at_risk_percent=15, cap_percent=100), period_months=3, now=agreed_at)
    setup.agree_terms(wellbeing, priya, setup.AgreedTerms(
        measure="scale", direction="higher", formula="tiered", baseline=Decimal(0), target=Decimal(4),
        at_risk_percent=10, cap_percent=100, tiers=((Decimal(2), 50), (Decimal(4), 100))), now=agreed_at)
    setup.agree_terms(education, priya, setup.AgreedTerms(
        measure="proportion", direction="higher", formula="all_or_nothing", baseline=Decimal(0),
        target=Decimal(75), at_risk_percent=10, cap_percent=100), now=agreed_at)
    quarters = ended_by(terms.starts_on, terms.ends_on, terms.period_months, now.date())[:3]
    for key, quarter in enumerate(quarters):
        sent = datetime.combine(quarter.end, datetime.min.time()) + timedelta(days=12, hours=10)
        checked = sent + timedelta(days=3)
        first = _proportion(STABILITY_FIRST_Q2 if key == 1 else STABILITY[key])
        stable = returns.submit_return(
            stability, provider, period=quarter.label, figures=first, now=sent,
            narrative_md="Placements held across the three homes; one planned move to a foster family was agreed "
                         "at the looked-after review.")
        if key == 1:
            returns.query_return(stable, priya, now=checked, reason=(
                "The cohort leaves out the two children placed in the last week of the quarter: please include "
                "every child placed during the quarter, as the specification counts them."))
            stable = returns.submit_return(
                stability, provider, period=quarter.label, figures=_proportion(STABILITY[key]),
                now=checked + timedelta(days=2),
                narrative_md="Resubmitted with the two children placed in the last week of June included.")
        returns.verify_return(stable, priya, now=checked + timedelta(days=3))
        cohort, score = WELLBEING[key]
        well = returns.submit_return(wellbeing, provider, period=quarter.label, figures=_scale(cohort, score),
                                     now=sent, narrative_md="Mean improvement in the SDQ score from each child's "
                                                            "first-month score, from the returns to the virtual "
                                                            "school.")
        returns.verify_return(well, priya, now=checked)
        school = returns.submit_return(education, provider, period=quarter.label,
                                       figures=_proportion(EDUCATION[key]), now=sent,
                                       narrative_md="Attendance from the schools' termly returns.")
        if key == 2:
            returns.dispute_return(school, priya, now=checked, reason=(
                "The attendance figures do not match the virtual school's records for September."))
            returns.resolve_dispute(
                school, priya, resolution="amended", amended=_proportion(EDUCATION_AGREED_Q3),
                now=checked + timedelta(days=5),
                reason="Reconciled with the virtual school at the partnership review: two late registers had "
                       "been missed.")
        else:
            returns.verify_return(school, priya, now=checked)
        calculated = statements.calculate_statement(contract, priya, period=quarter.label,
                                                    now=checked + timedelta(days=8))
        statements.approve_statement(calculated, tom, now=checked + timedelta(days=9))
    last = quarters[-1]
    rated = datetime.combine(last.end, datetime.min.time()) + timedelta(days=30, hours=11)
    ratings.rate(stability, priya, period=last.label, rating="good", publish=True, now=rated,
                 rationale="Stability above the 69% target for the second quarter running.")
    ratings.rate(education, priya, period=last.label, rating="approaching_target", publish=True, now=rated,
                 rationale="Attendance at or above 90% for 88% of children once the registers were reconciled; "
                           "the dispute shows the returns process needs tightening.")
    ratings.rate(wellbeing, priya, period=last.label, rating="good", publish=True, now=rated,
                 rationale="Mean SDQ improvement passed the 4-point target.")
