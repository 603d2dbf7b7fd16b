"""Procurements at every stage, built through the real tenders services (never by inserting rows).

Times are fixed and passed to the services as `now`, so deadlines, standstill
and release dates are the same on every run.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from accounts.models import Organisation, User
from tenders.models import Procurement
from tenders.services import clarifications, conflicts, evaluation, procurements, responses, specification
from tenders.services.procurements import Details
from tenders.services.specification import OutcomeInput

T0 = datetime(2026, 3, 2, 9, 0)  # a Monday: the tender notice goes out
ENGAGED = T0 - timedelta(days=20)
CLARIFY_BY = T0 + timedelta(days=10)
DEADLINE = T0 + timedelta(days=20)
OPENED = DEADLINE + timedelta(hours=1)
AWARDED = OPENED + timedelta(days=2)
CONTRACTED = AWARDED + timedelta(days=20)
MODIFIED = CONTRACTED + timedelta(days=60)

# Words only a sealed response or an evaluator's notes contain: they must never reach open data.
SEALED_MARKER = "SEALED-METHOD-STATEMENT-7f3a"
SCORE_MARKER = "EVALUATOR-RATIONALE-91bc"
WINNING_PRICE = 110_000_000
LOSING_PRICE = 123_456_700

OUTCOMES = [
    OutcomeInput("stability", "Children stay in one home for as long as they need it",
                 "Unplanned endings of placements in the year", "Number of moves in the 12 months before placement",
                 "At least 69% remain in their first placement", "12 months", "Placement records and reviews", 20),
    OutcomeInput("education", "Children attend school and progress from their own starting point",
                 "Attendance and progress against the EHC plan", "Attendance in the term before placement",
                 "Attendance above 90% by the second term", "2 terms", "School attendance returns", 10),
]


@dataclass
class People:
    buyer: Organisation
    c1: User
    c2: User
    p1: User
    p2: User


def make_people(org_factory, user_factory) -> People:
    buyer = org_factory("commissioning_unit", name="Westshire Children's Commissioning", verified=True)
    return People(
        buyer=buyer,
        c1=user_factory("commissioner", organisation=buyer, full_name="Ada Commissioner"),
        c2=user_factory("commissioner", organisation=buyer, full_name="Ben Commissioner"),
        p1=user_factory("provider", organisation=org_factory("provider", name="Willow Homes Ltd", verified=True)),
        p2=user_factory("provider", organisation=org_factory("provider", name="Rowan Care CIC", verified=True)),
    )


def draft(people: People, title: str = "Residential care for children with complex needs") -> Procurement:
    return draft_by(people.c1, title)


def draft_by(commissioner: User, title: str = "Residential care for children with complex needs") -> Procurement:
    """A complete draft (details, specification, criteria) owned by the commissioner's organisation."""
    now = ENGAGED - timedelta(days=10)
    p = procurements.create_procurement(commissioner, title=title, category="childrens_homes", region="West Midlands",
                                        subject_md="Residential homes for up to 12 children aged 11 to 17.", now=now)
    procurements.update_details(p, commissioner, Details(
        title=title, category="childrens_homes", region="West Midlands", subject_md=p.subject_md,
        estimated_value_pence=120_000_000, contract_type="block", duration_months=36, extension_months=24,
        review_clauses_md="Annual price review capped at CPI."), now=now)
    specification.save_version(p, commissioner, body_md="Providers help each child settle and thrive.",
                               outcomes=list(OUTCOMES), note="First draft", now=now)
    procurements.set_criteria(p, commissioner, [("quality", "Outcomes and approach", 50),
                                                ("quality", "Partnership working", 20), ("price", "Price", 30)],
                              score_max=5, now=now)
    return p


def engaged(people: People, **kwargs) -> Procurement:
    return engaged_by(people.c1, **kwargs)


def engaged_by(commissioner: User, **kwargs) -> Procurement:
    """Published: the preliminary market engagement notice is out, with one event."""
    p = draft_by(commissioner, **kwargs)
    procurements.add_engagement_event(p, commissioner, title="Market engagement event",
                                      starts_at=ENGAGED + timedelta(days=5), place="Westshire County Hall",
                                      now=ENGAGED - timedelta(days=1))
    procurements.publish_engagement_notice(p, commissioner, closes_on=(T0 - timedelta(days=5)).date(), now=ENGAGED)
    return p


def tendered(people: People, **kwargs) -> Procurement:
    p = engaged(people, **kwargs)
    _declare_none(p, people.c1, now=T0)  # rule 4: declarations and the conflicts assessment first
    conflicts.record_assessment(p, people.c1, entries=[], none_identified="No interests declared.", now=T0)
    procurements.publish_tender(p, people.c1, clarification_deadline=CLARIFY_BY, response_deadline=DEADLINE, now=T0)
    _declare_none(p, people.c1, people.c2, now=T0)
    return p


def _declare_none(p: Procurement, *people: User, now: datetime) -> None:
    """Each person confirms no interest at the procurement's current stage (commissioners who have acted)."""
    for person in people:
        if person.organisation_id == p.owner_org_id and not conflicts.has_current_declaration(p, person):
            conflicts.declare(p, person, has_interest=False, description="", now=now)


def bid(p: Procurement, user: User, price: int, now: datetime = T0 + timedelta(days=3)) -> None:
    responses.submit_response(p, user, method_statement=f"{SEALED_MARKER} from {user.organisation.name}",
                              commitments={o.id: f"{SEALED_MARKER} commitment" for o in p.published_version.outcomes},
                              criterion_answers={c.id: f"{SEALED_MARKER} answer" for c in p.criteria
                                                 if c.kind == "quality"},
                              price_pence=price, documents=[], now=now)


def with_bids(people: People, **kwargs) -> Procurement:
    p = tendered(people, **kwargs)
    q = clarifications.ask_clarification(p, people.p2, question="May we propose our own wellbeing measure?",
                                         now=T0 + timedelta(days=1))
    clarifications.answer_clarification(q, people.c1, answer_md="Yes, alongside the SDQ.", now=T0 + timedelta(days=2))
    bid(p, people.p1, WINNING_PRICE)
    bid(p, people.p2, LOSING_PRICE)
    return p


def opened(people: People, **kwargs) -> Procurement:
    p = with_bids(people, **kwargs)
    responses.open_box(p, people.c1, now=OPENED)
    responses.open_box(p, people.c2, now=OPENED)
    _declare_none(p, people.c1, people.c2, now=OPENED)
    return p


def evaluated(people: People, **kwargs) -> Procurement:
    """Both commissioners score; Willow Homes (p1) wins on quality and price."""
    p = opened(people, **kwargs)
    evaluation.assign_evaluator(p, people.c1, people.c1, is_moderator=True, now=OPENED)
    evaluation.assign_evaluator(p, people.c1, people.c2, is_moderator=False, now=OPENED)
    quality = evaluation.quality_criteria(p)
    found = responses.responses_for(p)
    marks = {r.id: (5 if r.provider_org_id == people.p1.organisation_id else 2) for r in found}
    for evaluator in (people.c1, people.c2):
        for r in found:
            evaluation.record_scores(p, evaluator, r, {c.id: (marks[r.id], SCORE_MARKER) for c in quality},
                                     now=OPENED)
        evaluation.submit_scores(p, evaluator, now=OPENED)
    for r in found:
        for c in quality:
            evaluation.record_consensus(p, people.c1, r, c, score=marks[r.id], rationale=SCORE_MARKER, now=OPENED)
    return p


def awarded(people: People, **kwargs) -> Procurement:
    p = evaluated(people, **kwargs)
    top = evaluation.ranking(p)[0].response
    evaluation.decide_award(p, people.c1, top, reasons_md="Highest overall score on outcomes and price.",
                            standstill_applies=True, now=AWARDED)
    return p


def contracted(people: People, **kwargs) -> Procurement:
    p = awarded(people, **kwargs)
    evaluation.enter_contract(p, people.c1, starts_on=(CONTRACTED + timedelta(days=10)).date(), now=CONTRACTED)
    return p


def modified(people: People, **kwargs) -> Procurement:
    """A contract with one accepted spin-off worth 5% of its value: a below-threshold modification."""
    from tenders.services import spinoffs

    p = contracted(people, **kwargs)
    contract = evaluation.contract_for(p)
    provider = next(person for person in (people.p1, people.p2) if person.organisation_id == contract.provider_org_id)
    proposal = spinoffs.propose_spinoff(contract, provider, title="Weekend family time support",
                                        description_md="Staff take children to planned family time at weekends.",
                                        evidence_md="Missed contact unsettles weekends.",
                                        price_pence=contract.value_pence * 5 // 100, duration_months=12,
                                        now=MODIFIED - timedelta(days=10))
    spinoffs.accept(proposal, people.c1, answers=spinoffs.Answers(), now=MODIFIED,
                    reason="Builds on the contract's outcomes at 5% of its value.")
    return p


def noticed(people: People, **kwargs) -> Procurement:
    """A contract with its UK7 contract details notice, a UK9 performance notice and an early termination notice."""
    from tenders.services import notices

    p = contracted(people, **kwargs)
    notices.publish_contract_details(p, people.c1, now=CONTRACTED + timedelta(days=5))
    notices.publish_performance_notice(p, people.c1, assessment_md="KPI 1: 92% school attendance (good).",
                                       period_ends_on=(CONTRACTED + timedelta(days=90)).date(),
                                       now=CONTRACTED + timedelta(days=100))
    notices.publish_termination_notice(p, people.c1, terminated_on=(CONTRACTED + timedelta(days=195)).date(),
                                       reason="The home closed after an inspection.",
                                       now=CONTRACTED + timedelta(days=200))
    return p


def amended(people: People, **kwargs) -> Procurement:
    """A tender whose specification changed after publication, with the deadline extended."""
    p = tendered(people, **kwargs)
    specification.save_version(p, people.c1, body_md="Providers help each child settle, thrive and stay.",
                               outcomes=list(OUTCOMES), note="Clarified the stability outcome",
                               now=T0 + timedelta(days=4))
    specification.publish_spec_change(p, people.c1, new_response_deadline=DEADLINE + timedelta(days=7),
                                      now=T0 + timedelta(days=5))
    return p


def cancelled(people: People, **kwargs) -> Procurement:
    p = engaged(people, **kwargs)
    procurements.close_procurement(p, people.c1, outcome="cancelled", reason="The need will be met by an existing "
                                                                              "framework.", now=T0 - timedelta(days=2))
    return p


def unsuccessful(people: People, **kwargs) -> Procurement:
    p = opened(people, **kwargs)
    procurements.close_procurement(p, people.c1, outcome="unsuccessful", reason="No response met the minimum "
                                                                                 "quality standard.",
                                   now=OPENED + timedelta(days=1))
    return p


def cancelled_draft(people: People, **kwargs) -> Procurement:
    p = draft(people, **kwargs)
    procurements.close_procurement(p, people.c1, outcome="cancelled", reason="Not needed after all.",
                                   now=ENGAGED)
    return p


def award_cancelled(people: People, **kwargs) -> Procurement:
    """Awarded, then cancelled during the standstill."""
    p = awarded(people, **kwargs)
    procurements.close_procurement(p, people.c1, outcome="cancelled", reason="A challenge was upheld during the "
                                                                              "standstill period.",
                                   now=AWARDED + timedelta(days=3))
    return p
