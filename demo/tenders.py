"""Demo procurements at every stage, from a draft to a contract, loaded through the services.

The outcomes are drawn from the case studies in seed report 003 ("In it
together"): placement stability measured against each child's starting point
(69% staying in their original placement, 24% moving only once), progress
judged from the child's own baseline, partnership reviews, transitions to
adulthood planned with the young person. Councils, providers and people are
the fictional ones of core/demo.py; no child is described.

Times are set relative to now, through the services' `now` argument, so each
procurement is genuinely at its stage: its deadlines really have (or have not)
passed, and the standstill is computed from the bank-holiday table.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import select

from accounts.models import User
from core import clock
from core.extensions import db
from demo.tenders_codesign import load_codesign_demo
from demo.tenders_ledger import load_ledger_demo
from demo.tenders_opening import load_opening_demo
from demo.tenders_spinoffs import load_spinoffs_demo
from forum.models import Forum, Meeting, NeedStatement
from tenders.models import Procurement
from tenders.services import (
    clarifications,
    conflicts,
    evaluation,
    links,
    procurements,
    responses,
    specification,
)
from tenders.services.common import published_version
from tenders.services.procurements import Details
from tenders.services.specification import OutcomeInput

STABILITY = OutcomeInput(
    "stability", "Children stay in a home that meets their needs for as long as they need it, without unplanned moves",
    "Proportion of children remaining in their original placement; number of unplanned endings",
    "Number of placement moves in the 12 months before this placement, from the care plan",
    "At least 69% remain in their original placement and no more than 24% move once", "12 months from placement",
    "Placement records, looked-after reviews and monthly operational management group returns", 15)
EDUCATION = OutcomeInput(
    "education", "Each child attends education and makes progress against their own starting point",
    "School attendance; progress against EHC plan outcomes", "Attendance and attainment in the term before placement",
    "Attendance at or above 90% by the second term; progress on every EHC plan outcome at the annual review",
    "Two terms, then each annual review", "School attendance returns and EHC plan annual reviews", 10)
WELLBEING = OutcomeInput(
    "health_wellbeing", "Children's emotional wellbeing improves and behaviour that led to earlier breakdowns reduces",
    "Strengths and Difficulties Questionnaire score; incidents needing physical intervention",
    "SDQ score and incident rate in the first month of placement",
    "SDQ score improves by at least 4 points; incidents fall by half", "9 months",
    "SDQ returns to the virtual school; the home's incident log reviewed quarterly", 10)
RELATIONSHIPS = OutcomeInput(
    "relationships", "Children keep and build the relationships that matter to them, and shape their own care plan",
    "Planned family time taking place; child's views recorded at each review",
    "Family time arrangements and the child's participation at the placement planning meeting",
    "90% of planned family time takes place; the child's views recorded at every review", "6 months",
    "Independent reviewing officer reports", 0)
ADULTHOOD = OutcomeInput(
    "adulthood", "Young people move on to adult life in a planned way, with skills for independence",
    "Pathway plan goals met; move to settled accommodation; in education, employment or training",
    "Independence skills assessment on arrival",
    "80% of pathway plan goals met; every young person in settled accommodation at 18", "By the 18th birthday",
    "Pathway plans and leaving-care team records", 15)
SAFETY = OutcomeInput(
    "safety", "Children are safe and feel safe where they live",
    "Missing-from-care episodes; child's own rating of feeling safe",
    "Missing episodes in the 6 months before placement", "Missing episodes fall by at least half",
    "6 months", "Police returns and the home's records; the child's review feedback", 0)


def _user(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


Titled = TypeVar("Titled", Forum, Meeting, NeedStatement)


def _one(model: type[Titled], title: str) -> Titled:
    """A row the forum demo (loaded first, by demo.load) created."""
    return db.session.scalars(select(model).where(model.title == title)).one()


def _set_up(commissioner: User, *, title: str, category: str, subject: str, value_pounds: int, contract_type: str,
            months: int, extension: int, reviews: str, body: str, outcomes: list[OutcomeInput],
            criteria: list[tuple[str, str, int]], now: datetime) -> Procurement:
    p = procurements.create_procurement(commissioner, title=title, category=category,
                                        region=commissioner.organisation.region or "", subject_md=subject, now=now)
    procurements.update_details(p, commissioner, Details(
        title=title, category=category, region=p.region, subject_md=subject, estimated_value_pence=value_pounds * 100,
        contract_type=contract_type, duration_months=months, extension_months=extension,
        review_clauses_md=reviews), now=now)
    specification.save_version(p, commissioner, body_md=body, outcomes=outcomes, note="First draft", now=now)
    procurements.set_criteria(p, commissioner, criteria, score_max=5, now=now)
    return p


CRITERIA = [("quality", "Approach to achieving the outcomes", 45), ("quality", "Partnership working and review", 15),
            ("quality", "Social value in the local area", 10), ("price", "Price", 30)]


def _bid(p: Procurement, provider: User, price_pounds: int, statement: str, now: datetime) -> None:
    responses.submit_response(
        p, provider, method_statement=statement,
        commitments={o.id: f"We will report against “{o.indicator}” and commit to: {o.target}."
                     for o in published_version(p).outcomes},
        criterion_answers={c.id: f"On “{c.name}”: {statement}" for c in p.criteria if c.kind == "quality"},
        price_pence=price_pounds * 100, documents=[], now=now)


def _score_all(p: Procurement, evaluators: list[User], marks: dict[int, int], now: datetime) -> None:
    quality = evaluation.quality_criteria(p)
    for person in evaluators:
        for response in responses.responses_for(p):
            evaluation.record_scores(p, person, response, {c.id: (marks[response.provider_org_id],
                                                                  "Evidence weighed against the outcome descriptors")
                                                           for c in quality}, now=now)
        evaluation.submit_scores(p, person, now=now)


def _moderate(p: Procurement, moderator: User, marks: dict[int, int], now: datetime) -> None:
    for response in responses.responses_for(p):
        for criterion in evaluation.quality_criteria(p):
            evaluation.record_consensus(p, moderator, response, criterion, score=marks[response.provider_org_id],
                                        rationale="Consensus reached at the moderation meeting", now=now)


def _open_evaluate_and_award(p: Procurement, lead: User, second: User, marks: dict[int, int], *, opened: datetime,
                             scored: datetime, moderated: datetime, awarded: datetime, reasons_md: str) -> None:
    """After the deadline: the two-person opening, declarations at the new stage, independent scores,
    moderation led by `lead`, and the award to the highest-ranked response."""
    responses.open_box(p, lead, now=opened)
    responses.open_box(p, second, now=opened)
    _declare_none(p, [lead, second], opened)
    evaluation.assign_evaluator(p, lead, lead, is_moderator=True, now=opened)
    evaluation.assign_evaluator(p, lead, second, is_moderator=False, now=opened)
    _score_all(p, [lead, second], marks, scored)
    _moderate(p, lead, marks, moderated)
    winner = evaluation.ranking(p)[0].response
    evaluation.decide_award(p, lead, winner, standstill_applies=True, now=awarded, reasons_md=reasons_md)


def _declare_none(p: Procurement, people: list[User], now: datetime) -> None:
    """Each person confirms, at the procurement's current stage, that they have no interest (rule 4)."""
    for person in people:
        conflicts.declare(p, person, has_interest=False, description="", now=now)


def _assess(p: Procurement, commissioner: User, now: datetime, mitigation: str = "",
            excluded: tuple[User, ...] = ()) -> None:
    """The conflicts assessment over every interest declared so far (or that none was identified)."""
    entries = [conflicts.EntryInput(declaration_id, who, what, mitigation or earlier)
               for declaration_id, (who, what, earlier) in conflicts.prefill(p).items()]
    conflicts.record_assessment(p, commissioner, entries=entries, now=now,
                                excluded_user_ids=[person.id for person in excluded],
                                none_identified="" if entries else (
        "Every commissioner acting on this procurement declared no interest, and the register of interests shows "
        "none with the providers in this market."))


def load_tenders_demo(admin: User) -> None:
    """One procurement at each stage (plus a cancelled one), each through the same services as the pages."""
    now = clock.utcnow().replace(second=0, microsecond=0)
    priya, tom = _user("priya.shah@northmere.example"), _user("tom.hughes@northmere.example")
    owen = _user("owen.clarke@northmere.example")
    amara, gareth = _user("amara.okafor@calderbrook.example"), _user("gareth.evans@glanafon.example")
    helen = _user("helen.ward@consortium.example")
    meadowbank, fellside = _user("daniel.brooks@meadowbank.example"), _user("graham.pike@fellside.example")
    northern_oak, bridgeway = _user("chris.walsh@northernoak.example"), _user("mark.lindqvist@bridgeway.example")
    harbour, in_house = _user("fatima.rahman@harbourlights.example"), _user("joanne.fisher@calderbrook-homes.example")
    riverside = _user("jess.thornton@riverside.example")
    residential_forum = _one(Forum, "Residential care for children with high level needs – Pennine and Dales")
    exploitation_need = _one(NeedStatement, "Local homes for young people at risk of exploitation")

    # 1. Planning (draft): the spec check flags input-prescriptive wording still in the draft.
    _set_up(amara, title="Post-16 transition support for young people with SEND", category="send_education",
            subject="Support for up to 30 young people aged 16 to 25 with education, health and care plans as they "
                    "move into adult life.", value_pounds=450_000, contract_type="framework", months=24, extension=12,
            reviews="Annual review of volumes and prices; break point at 12 months.",
            body="Young people should leave with the skills and relationships they need for adult life.\n\n"
                 "The provider shall provide 2 key workers for each young person and deliver 10 sessions of travel "
                 "training.", outcomes=[ADULTHOOD, EDUCATION], criteria=CRITERIA, now=now - timedelta(days=3))

    # 2. Preliminary market engagement, with events.
    p = _set_up(gareth, title="Foster care with therapeutic support", category="fostering",
                subject="Foster placements with therapeutic support for children whose earlier placements broke "
                        "down, in and near Glanafon.", value_pounds=2_400_000, contract_type="framework", months=48,
                extension=24, reviews="Prices reviewed each April against the agreed index.",
                body="We want carers and therapists working as one team around each child, with progress measured "
                     "against the child's own starting point.", outcomes=[STABILITY, WELLBEING, RELATIONSHIPS],
                criteria=CRITERIA, now=now - timedelta(days=20))
    procurements.add_engagement_event(p, gareth, title="Provider market engagement event",
                                      starts_at=(now + timedelta(days=10)).replace(hour=10, minute=0),
                                      place="Glanafon County Hall, Council Chamber", now=now - timedelta(days=15))
    procurements.add_engagement_event(p, gareth, title="Online question and answer session",
                                      starts_at=(now + timedelta(days=17)).replace(hour=14, minute=0),
                                      place="Online (joining link sent on registration)", now=now - timedelta(days=15))
    procurements.publish_engagement_notice(p, gareth, closes_on=(now + timedelta(days=30)).date(),
                                           now=now - timedelta(days=14))
    # Rule 3: the draft co-designed with providers, with provenance, a mitigation note and the engagement report.
    load_codesign_demo(p, gareth, [northern_oak, bridgeway, in_house], now=now - timedelta(days=2))

    # 2b. The consortium's own engagement, in its forum: one engagement event IS the forum's online meeting.
    p = _set_up(helen, title="Local homes for young people at risk of exploitation", category="childrens_homes",
                subject="Two-bed children's homes in the consortium area for up to 18 young people aged 11 to 17 at "
                        "risk of criminal and sexual exploitation, with a local step-down from secure welfare.",
                value_pounds=3_800_000, contract_type="block", months=60, extension=24,
                reviews="Break point at 36 months to reassess the need; annual price review against the agreed index.",
                body="Young people should live close to school and the people who matter to them, in homes able to "
                     "keep them safe, with progress measured from each young person's own starting point.",
                outcomes=[SAFETY, STABILITY, EDUCATION], criteria=CRITERIA, now=now - timedelta(days=12))
    links.set_links(p, helen, forum=residential_forum, needs=[exploitation_need], now=now - timedelta(days=11))
    links.add_meeting_event(p, helen, _one(Meeting, "Online Q&A: draft outcomes framework"),
                            now=now - timedelta(days=11))
    procurements.add_engagement_event(p, helen, title="Site visits to two candidate properties",
                                      starts_at=(now + timedelta(days=24)).replace(hour=11, minute=0),
                                      place="Meet at Calderbrook Civic Centre reception", now=now - timedelta(days=11))
    procurements.publish_engagement_notice(p, helen, closes_on=(now + timedelta(days=35)).date(),
                                           now=now - timedelta(days=10))
    # Rule 2: one private contact disclosed to all (with a redaction), one still waiting (its provider quoted the
    # reference without picking the procurement): it blocks the tender; one naming no procurement, marked not about
    # any live procurement.
    load_ledger_demo(p, helen, [harbour, fellside], now=now)

    # 3. Tender open: clarifications answered; two sealed responses waiting for the deadline.
    p = _set_up(
        priya,
        title="Residential care for children with very challenging behaviour",
        category="childrens_homes",
        subject="Residential homes for up to 8 children aged 11 to 17 whose behaviour has led earlier "
        "placements to break down.",
        value_pounds=3_200_000,
        contract_type="block",
        months=36,
        extension=24,
        reviews="Monthly operational meetings; quarterly senior review; a break point at 24 "
        "months to reassess needs; change control for any variation.",
        body="Placements should be matched to each child's needs, not to vacancies. Providers and the council "
        "meet monthly and review each child's progress from their own starting point.",
        outcomes=[STABILITY, WELLBEING, SAFETY, EDUCATION],
        criteria=CRITERIA,
        now=now - timedelta(days=60),
    )
    # Northmere is a consortium member council, so it co-owns the consortium's forum and may link it.
    links.set_links(p, priya, forum=residential_forum, needs=[exploitation_need], now=now - timedelta(days=59))
    procurements.publish_engagement_notice(p, priya, closes_on=(now - timedelta(days=25)).date(),
                                           now=now - timedelta(days=50))
    # Rule 4: Tom declares a real interest, naming the provider; the assessment records how it is mitigated and
    # excludes him, so the service refuses him the opening, the responses, scoring, moderation and the award.
    # Priya and Owen, with no interest, are the two who can open the responses after the deadline.
    _declare_none(p, [priya], now - timedelta(days=11))
    conflicts.declare(p, tom, has_interest=True, now=now - timedelta(days=11),
                      organisation_id=fellside.organisation_id,
                      description="My sister-in-law is the registered manager of one of Fellside Care's homes.")
    _assess(p, priya, now - timedelta(days=11), excluded=(tom,),
            mitigation="Tom takes no part in opening, evaluating, moderating or awarding and does not see the "
                       "responses; he answers clarifications only through the published clarification route, "
                       "answered to all.")
    procurements.publish_tender(p, priya, clarification_deadline=now + timedelta(days=5),
                                response_deadline=now + timedelta(days=21), now=now - timedelta(days=10))
    # At the tender stage everyone declares again; Tom's interest stands, so the assessment is renewed.
    _declare_none(p, [priya, owen], now - timedelta(days=10))
    conflicts.declare(p, tom, has_interest=True, now=now - timedelta(days=10),
                      organisation_id=fellside.organisation_id,
                      description="My sister-in-law is the registered manager of one of Fellside Care's homes.")
    _assess(p, priya, now - timedelta(days=10), excluded=(tom,))
    q = clarifications.ask_clarification(p, meadowbank, question="Is a 'no rejection' clause intended, and how "
                                                                 "will matching work?", now=now - timedelta(days=8))
    clarifications.answer_clarification(q, tom, answer_md="Yes. Referrals are matched jointly at a weekly "
                                                         "placement panel that the provider attends.",
                                        now=now - timedelta(days=7))
    q = clarifications.ask_clarification(p, fellside, question="Can we propose our own measure of wellbeing?",
                                         now=now - timedelta(days=6))
    clarifications.answer_clarification(q, priya, answer_md="You may add measures, but report the SDQ as specified.",
                                        now=now - timedelta(days=5))
    _bid(p, meadowbank, 3_050_000, "Small homes with a consistent team; matching led by our therapeutic lead.",
         now - timedelta(days=2))
    _bid(p, fellside, 2_900_000, "Therapeutic care model with a dedicated education worker in each home.",
         now - timedelta(days=1))

    # 3b. Tender closed, responses sealed: Priya has asked to open them; Tom (or a newcomer as Tom) confirms.
    load_opening_demo(_set_up, _declare_none, _assess, _bid, requester=priya, confirmer=tom,
                      bidders=[harbour, _user("aisha.karim@willowcare.example")], now=now,
                      title="Therapeutic foster care for children stepping down from residential care",
                      category="fostering", subject="Foster placements with therapeutic support for up to 10 "
                      "children aged 8 to 15 moving from residential care into a family.", value_pounds=1_100_000,
                      contract_type="framework", months=36, extension=12,
                      reviews="Annual review of volumes and prices.",
                      body="Children should move into a family with the support they need to stay there.",
                      outcomes=[STABILITY, WELLBEING, RELATIONSHIPS], criteria=CRITERIA)

    # 4. Evaluation: opened by two Northmere commissioners; one evaluator has submitted.
    p = _set_up(priya, title="Supported accommodation for 16 and 17 year olds", category="supported_accommodation",
                subject="Ofsted-registered supported accommodation for up to 20 young people leaving care.",
                value_pounds=1_600_000, contract_type="block", months=36, extension=12,
                reviews="Annual price review; volumes reviewed at 18 months.",
                body="Young people should leave with a home, a plan and people they can rely on.",
                outcomes=[ADULTHOOD, SAFETY, RELATIONSHIPS], criteria=CRITERIA, now=now - timedelta(days=90))
    procurements.publish_engagement_notice(p, priya, closes_on=(now - timedelta(days=60)).date(),
                                           now=now - timedelta(days=80))
    _declare_none(p, [priya], now - timedelta(days=51))
    _assess(p, priya, now - timedelta(days=51))
    procurements.publish_tender(p, priya, clarification_deadline=now - timedelta(days=20),
                                response_deadline=now - timedelta(days=10), now=now - timedelta(days=50))
    _declare_none(p, [priya, tom], now - timedelta(days=50))
    _bid(p, bridgeway, 1_500_000, "Staffed flats with a move-on plan agreed in the first month.",
         now - timedelta(days=15))
    _bid(p, riverside, 1_450_000, "A peer-mentoring model with training flats and a tenancy-ready course.",
         now - timedelta(days=12))
    responses.open_box(p, priya, now=now - timedelta(days=9))
    responses.open_box(p, tom, now=now - timedelta(days=9))
    _declare_none(p, [priya, tom], now - timedelta(days=9))
    evaluation.assign_evaluator(p, priya, priya, is_moderator=True, now=now - timedelta(days=9))
    evaluation.assign_evaluator(p, priya, tom, is_moderator=False, now=now - timedelta(days=9))
    _score_all(p, [tom], {bridgeway.organisation_id: 4, riverside.organisation_id: 3}, now - timedelta(days=5))

    # 5. Award: standstill running.
    p = _set_up(priya, title="Outcomes-based residential special school placements", category="send_education",
                subject="Residential special school places for children with autism and complex needs, commissioned "
                        "on the outcomes in each child's EHC plan.", value_pounds=5_400_000,
                contract_type="framework", months=48, extension=24,
                reviews="Individual placement reviews each term; framework prices reviewed annually.",
                body="Placements are made on the outcomes a provider can show for each child, judged against the "
                     "child's starting point in the EHC plan.", outcomes=[EDUCATION, WELLBEING, ADULTHOOD],
                criteria=CRITERIA, now=now - timedelta(days=120))
    procurements.publish_engagement_notice(p, priya, closes_on=(now - timedelta(days=100)).date(),
                                           now=now - timedelta(days=115))
    _declare_none(p, [priya], now - timedelta(days=91))
    _assess(p, priya, now - timedelta(days=91))
    procurements.publish_tender(p, priya, clarification_deadline=now - timedelta(days=60),
                                response_deadline=now - timedelta(days=45), now=now - timedelta(days=90))
    _declare_none(p, [priya, tom], now - timedelta(days=89))
    _bid(p, northern_oak, 5_200_000, "Waking-day curriculum with functional behaviour assessment on entry.",
         now - timedelta(days=50))
    _bid(p, in_house, 5_350_000, "The council's own homes, with education from the local special school.",
         now - timedelta(days=48))
    _open_evaluate_and_award(
        p, priya, tom, {northern_oak.organisation_id: 4, in_house.organisation_id: 3},
        opened=now - timedelta(days=44), scored=now - timedelta(days=30), moderated=now - timedelta(days=25),
        awarded=now - timedelta(days=2),
        reasons_md="The highest-scoring response: the strongest evidence of progress from each child's starting "
                   "point, at a price within the budget.")

    # 6. Contract: awarded, standstill over, contract record created. Its timeline is set back so that three
    # quarters of the contract have ended by today: its outcome returns and payments are on the contract page.
    then = now - timedelta(days=230)
    p = _set_up(priya, title="Block contract for residential placements", category="childrens_homes",
                subject="A ten-place block of residential placements with built-in flexibility to spot-purchase "
                        "further places.", value_pounds=4_100_000, contract_type="block", months=60, extension=60,
                reviews="Break point at 36 months to reassess needs; change control for any variation; unit costs "
                        "reported monthly.",
                body="Specified targets linked to performance indicators, agreed at design and carried into the "
                     "contract, with placements reviewed continually by the council and the provider.",
                outcomes=[STABILITY, WELLBEING, EDUCATION], criteria=CRITERIA, now=then - timedelta(days=200))
    _declare_none(p, [priya], then - timedelta(days=181))
    _assess(p, priya, then - timedelta(days=181))
    procurements.publish_tender(p, priya, clarification_deadline=then - timedelta(days=150),
                                response_deadline=then - timedelta(days=140), now=then - timedelta(days=180),
                                no_engagement_reason="Re-procurement of an existing block contract after the "
                                                     "provider forum's engagement sessions earlier in the year.")
    _declare_none(p, [priya, tom], then - timedelta(days=179))
    _bid(p, meadowbank, 3_900_000, "Ten places across three homes, with a no-rejection commitment.",
         then - timedelta(days=145))
    _bid(p, harbour, 4_050_000, "Foster-to-residential step-down model with team parenting.",
         then - timedelta(days=142))
    _open_evaluate_and_award(
        p, priya, tom, {meadowbank.organisation_id: 5, harbour.organisation_id: 3},
        opened=then - timedelta(days=139), scored=then - timedelta(days=120), moderated=then - timedelta(days=115),
        awarded=then - timedelta(days=110),
        reasons_md="Highest overall score on outcomes and partnership, and the lowest price.")
    evaluation.enter_contract(p, priya, starts_on=(then - timedelta(days=90)).date(), now=then - timedelta(days=95))
    # Rule 8: spin-offs on each side of the 10% line.
    load_spinoffs_demo(p, priya, meadowbank, now=now)
    # Wales: Glanafon's contract, whose modification check has no duty to publish the modified contract.
    from demo.tenders_wales import load_wales_demo

    load_wales_demo(gareth, _user("eleri.jones@glanafon.example"), _user("sian.morgan@cartrefteulu.example"),
                    meadowbank, now=now)

    # 8. Home-to-school transport for children with SEND: not a light-touch service (CPV 60130000 is not in PR 2024
    # Schedule 1), so from £207,720 (sub-central, from 1 January 2026) it is an ordinary public contract.
    p = _set_up(amara, title="Home-to-school transport for children with SEND", category="transport",
                subject="Daily home-to-school transport, with trained passenger assistants, for up to 120 children "
                        "with education, health and care plans travelling to special schools in and near "
                        "Calderbrook.", value_pounds=1_850_000, contract_type="framework", months=36, extension=12,
                reviews="Routes and prices reviewed each summer term for the next school year.",
                body="Children should arrive at school settled and ready to learn, with the same driver and "
                     "passenger assistant wherever possible.", outcomes=[EDUCATION, SAFETY],
                criteria=CRITERIA, now=now - timedelta(days=8))
    procurements.publish_engagement_notice(p, amara, closes_on=(now + timedelta(days=21)).date(),
                                           now=now - timedelta(days=6))

    # 7. Cancelled, with its public reason.
    p = _set_up(helen, title="Short breaks for disabled children", category="short_breaks",
                subject="Overnight and day short breaks for disabled children and their families.",
                value_pounds=280_000, contract_type="spot", months=24, extension=12, reviews="Annual review.",
                body="Families should get breaks that fit their lives and children should enjoy them.",
                outcomes=[RELATIONSHIPS, WELLBEING], criteria=CRITERIA, now=now - timedelta(days=40))
    procurements.publish_engagement_notice(p, helen, closes_on=(now + timedelta(days=10)).date(),
                                           now=now - timedelta(days=35))
    procurements.close_procurement(p, helen, outcome="cancelled", now=now - timedelta(days=5),
                                   reason="Engagement showed the need is better met by extending the councils' "
                                          "existing short-breaks framework; no tender will follow.")
