"""Building procurements at any stage through the real services, for unit and functional tests."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from accounts.models import Organisation, User
from tenders.models import Procurement
from tenders.services import conflicts, evaluation, procurements, responses, specification
from tenders.services.procurements import Details
from tenders.services.specification import OutcomeInput

T0 = datetime(2026, 3, 2, 9, 0)  # a Monday
CLARIFY_BY = T0 + timedelta(days=10)
DEADLINE = T0 + timedelta(days=20)
AFTER = DEADLINE + timedelta(hours=1)

GOOD_OUTCOMES = [
    OutcomeInput("stability", "Children stay in one home for as long as they need it",
                 "Unplanned endings of placements in the year", "Number of moves in the 12 months before placement",
                 "At least 69% remain in their first placement", "12 months", "Placement records and reviews", 20),
    OutcomeInput("education", "Children attend school and progress from their own starting point",
                 "Attendance and progress against the EHC plan", "Attendance in the term before placement",
                 "Attendance above 90% by the second term", "2 terms", "School attendance returns", 10),
]


@dataclass
class World:
    org: Organisation
    c1: User
    c2: User
    other_commissioner: User
    p1: User
    p2: User
    unverified: User
    in_house: User
    auditor: User
    admin: User


def make_world(org_factory, user_factory) -> World:
    org = org_factory("commissioning_unit", name="Northshire Children's Commissioning", verified=True)
    return World(
        org=org,
        c1=user_factory("commissioner", organisation=org, full_name="Casey One"),
        c2=user_factory("commissioner", organisation=org, full_name="Chris Two"),
        other_commissioner=user_factory("commissioner", full_name="Olly Other"),
        p1=user_factory("provider", organisation=org_factory("provider", name="Alpha Homes", verified=True)),
        p2=user_factory("provider", organisation=org_factory("provider", name="Beta Care", verified=True)),
        unverified=user_factory("provider", organisation=org_factory("provider", name="Gamma New")),
        in_house=user_factory("provider", organisation=org_factory("provider", name="Northshire In-House Homes",
                                                                 provider_type="in_house", verified=True)),
        auditor=user_factory("auditor"),
        admin=user_factory("admin"),
    )


def draft(world: World, *, value_pence: int = 120_000_000, now: datetime = T0 - timedelta(days=30)) -> Procurement:
    p = procurements.create_procurement(world.c1, title="Residential care for children with complex needs",
                                        category="childrens_homes", region="North West",
                                        subject_md="Residential homes for up to 12 children aged 11 to 17.", now=now)
    procurements.update_details(p, world.c1, Details(
        title=p.title, category="childrens_homes", region="North West", subject_md=p.subject_md,
        estimated_value_pence=value_pence, contract_type="block", duration_months=36, extension_months=24,
        review_clauses_md="Annual price review capped at CPI."), now=now)
    specification.save_version(p, world.c1, body_md="Providers will help each child settle and thrive.",
                               outcomes=list(GOOD_OUTCOMES), now=now)
    procurements.set_criteria(p, world.c1, [("quality", "Outcomes and approach", 50),
                                            ("quality", "Partnership working", 20), ("price", "Price", 30)],
                              score_max=5, now=now)
    return p


def in_engagement(world: World) -> Procurement:
    p = draft(world)
    procurements.publish_engagement_notice(p, world.c1, closes_on=(T0 - timedelta(days=5)).date(),
                                           now=T0 - timedelta(days=20))
    return p


NONE_IDENTIFIED = "Every commissioner acting on this procurement declared no interest; none was identified."


def declare_none(p: Procurement, *people: User, now: datetime = T0) -> None:
    """Each person declares no interest at the procurement's current stage."""
    for person in people:
        conflicts.declare(p, person, has_interest=False, description="", now=now)


def clear_conflicts(world: World, p: Procurement, *, publisher: User | None = None, now: datetime = T0) -> None:
    """What rule 4 asks before the tender notice: everyone who acted (and the publisher) has a current
    declaration, and the conflicts assessment covers every interest declared (or says none were identified)."""
    publisher = publisher or world.c1
    people = conflicts.missing_declarations(p)
    if publisher not in people and not conflicts.has_current_declaration(p, publisher):
        people.append(publisher)
    declare_none(p, *people, now=now)
    if conflicts.latest_assessment(p) is None or conflicts.uncovered_interests(p):
        entries = [conflicts.EntryInput(declaration_id, who, what, mitigation or "Takes no part in the evaluation")
                   for declaration_id, (who, what, mitigation) in conflicts.prefill(p).items()]
        conflicts.record_assessment(p, world.c1, entries=entries, none_identified="" if entries else NONE_IDENTIFIED,
                                    now=now)


def in_tender(world: World, *, declared: bool = True) -> Procurement:
    """Published by c1 after the declarations and assessment rule 4 asks for; with `declared`, c1 and c2
    then confirm their declarations at the tender stage (so either can open the box)."""
    p = in_engagement(world)
    clear_conflicts(world, p)
    procurements.publish_tender(p, world.c1, clarification_deadline=CLARIFY_BY, response_deadline=DEADLINE, now=T0)
    if declared:
        declare_none(p, world.c1, world.c2, now=T0)
    return p


def quality_answers(p: Procurement, text: str = "Our answer, with evidence") -> dict[int, str]:
    """An answer on every quality award criterion, as the response form asks."""
    return {c.id: text for c in p.criteria if c.kind == "quality"}


def submit(world: World, p: Procurement, user: User, price: int, now: datetime = T0 + timedelta(days=1)):
    outcomes = p.published_version.outcomes
    return responses.submit_response(p, user, method_statement=f"How {user.organisation.name} will do it",
                                     criterion_answers=quality_answers(p),
                                      commitments={o.id: f"We commit to {o.target}" for o in outcomes},
                                      price_pence=price, documents=[], now=now)


def opened(world: World, *, declared: bool = True) -> Procurement:
    """Opened by c1 and c2; with `declared`, both then declare at the evaluation stage (to score, moderate)."""
    p = in_tender(world)
    submit(world, p, world.p1, 110_000_000)
    submit(world, p, world.p2, 100_000_000)
    responses.open_box(p, world.c1, now=AFTER)
    responses.open_box(p, world.c2, now=AFTER)
    if declared:
        declare_none(p, world.c1, world.c2, now=AFTER)
    return p


def evaluated(world: World) -> Procurement:
    """Opened, both commissioners scored and submitted, c1 moderated. p1 wins on quality."""
    p = opened(world)
    evaluation.assign_evaluator(p, world.c1, world.c1, is_moderator=True, now=AFTER)
    evaluation.assign_evaluator(p, world.c1, world.c2, is_moderator=False, now=AFTER)
    quality = evaluation.quality_criteria(p)
    rs = responses.responses_for(p)
    marks = {rs[0].id: 5, rs[1].id: 2}
    for evaluator in (world.c1, world.c2):
        for r in rs:
            evaluation.record_scores(p, evaluator, r, {c.id: (marks[r.id], "Clear evidence") for c in quality},
                                     now=AFTER)
        evaluation.submit_scores(p, evaluator, now=AFTER)
    for r in rs:
        for c in quality:
            evaluation.record_consensus(p, world.c1, r, c, score=marks[r.id], rationale="Agreed", now=AFTER)
    return p


def awarded(world: World, now: datetime = AFTER):
    p = evaluated(world)
    top = evaluation.ranking(p)[0].response
    evaluation.decide_award(p, world.c1, top, reasons_md="Highest overall score.", standstill_applies=True, now=now)
    return p


def standstill_end(p: Procurement) -> date:
    return evaluation.award_for(p).standstill_ends_on


# ---------------------------------------------------------------- forums to link (forum package services)


def forum_of(owner: User, *, title: str = "Residential care forum – Northshire", co_owner_ids: tuple[int, ...] = ()):
    from forum import services as forum_services

    return forum_services.create_forum(owner, forum_services.ForumDetails(
        title=title, remit_md="Residential care for children with high level needs.", region="North West",
        categories=["childrens_homes"], co_owner_ids=list(co_owner_ids)))


def need_in(forum, author: User, *, title: str = "Local homes for young people at risk of exploitation"):
    from forum import services as forum_services

    return forum_services.publish_need(forum, author, forum_services.NeedDetails(
        title=title, cohort_size=18, age_bands=["11-15", "16-17"], items=[("safety", "very_high", "continuous")],
        current_provision_md="Most live out of area.", gaps_md="Too few two-bed homes.",
        outcomes_md="Fewer missing episodes.", budget_min=3_000_000, budget_max=4_000_000,
        timescale="From April 2027"))


def meeting_in(forum, owner: User, *, days: int = 10, mode: str = "in_person",
               title: str = "Market engagement session"):
    """A real future meeting: the forum services schedule against the real clock."""
    from core.clock import utcnow
    from forum import services as forum_services

    start = (utcnow() + timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)
    return forum_services.schedule_meeting(forum, owner, forum_services.MeetingDetails(
        title=title, starts_at=start, ends_at=start + timedelta(hours=2), mode=mode,
        location="Northshire Town Hall, Room 2" if mode == "in_person" else "",
        online_link="https://meet.example.org/northshire" if mode == "online" else "",
        agenda_md="1. The need\n2. Questions", capacity=20))
