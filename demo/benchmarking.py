"""Demo benchmarks: six residential contracts with a year of verified returns and approved payments, and a run.

Everything goes through the same services as the pages: each contract is
tendered, opened by two commissioners, evaluated, awarded and entered into
(the outcomes package then copies its outcomes); each provider returns its
quarterly figures by intake stratum, a second commissioner verifies them and
the payment statements are calculated and approved. A benchmark run made
three weeks ago has had its right of reply, with one provider's note, so its
figures are published; the demo shows every chart:

- Willow Therapeutic Care does worse than expected (below the funnel);
- Northern Oak takes the children with the highest needs and does as well as
  an average provider would with them: within expected, although its crude
  rate is the lowest;
- Bridgeway and Riverside have too few children to be named, and show only in the totals.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from accounts.models import User
from benchmarking import services as benchmarking
from core import clock
from core.extensions import db
from demo.tenders import (
    CRITERIA,
    _assess,
    _bid,
    _declare_none,
    _open_evaluate_and_award,
    _set_up,
)
from outcomes.periods import ended_by
from outcomes.services import returns, statements
from outcomes.services.common import outcomes_for, terms_for
from outcomes.services.returns import Figures, StratumInput
from tenders.models import Contract
from tenders.services import evaluation, procurements
from tenders.services.specification import OutcomeInput

STABLE_HOME = OutcomeInput(
    "stability", "Children stay in a home that is right for them",
    "Children still living in the same home 12 months after moving in",
    "The child's placement moves in the 12 months before", "At least 75% of children still in the same home",
    "12 months", "Placement records checked at each review", 20)

# The platform-wide pattern: success is less likely the higher a child's needs at intake.
RATES = {"low": 0.88, "medium": 0.76, "high": 0.6, "very_high": 0.45}


@dataclass(frozen=True)
class DemoProvider:
    email: str
    price_pounds: int
    intake: dict[str, int]       # children per quarter by intensity (age bands split them)
    effect: float = 1.0          # the provider's own performance against the pattern


DEMO_PROVIDERS = (
    DemoProvider("daniel.brooks@meadowbank.example", 3_900_000, {"low": 18, "medium": 24, "high": 18}),
    DemoProvider("fatima.rahman@harbourlights.example", 3_700_000, {"low": 24, "medium": 24, "high": 12}, 1.08),
    DemoProvider("chris.walsh@northernoak.example", 4_400_000, {"medium": 6, "high": 24, "very_high": 36}),
    DemoProvider("aisha.karim@willowcare.example", 3_600_000, {"low": 21, "medium": 27, "high": 18}, 0.55),
    DemoProvider("joanne.fisher@calderbrook-homes.example", 3_800_000, {"low": 15, "medium": 27, "high": 21}),
    # Two small services: too few children to be named, so they count only in the totals.
    DemoProvider("mark.lindqvist@bridgeway.example", 1_200_000, {"high": 3, "very_high": 4}),
    DemoProvider("jess.thornton@riverside.example", 1_100_000, {"high": 3, "very_high": 4}),
)
REPLY = ("Two of our homes changed registered manager in the spring, and we have since added a second "
         "therapist to each home. We expect the next quarters to show the difference.")


def _user(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


def _figures(provider: DemoProvider, quarter: int) -> Figures:
    strata = []
    for intensity, children in provider.intake.items():
        children += quarter % 2  # a little movement from quarter to quarter
        older = children // 3
        for band, n in (("11-15", children - older), ("16-17", older)):
            if n:
                achieved = min(n, round(n * min(1.0, RATES[intensity] * provider.effect)))
                strata.append(StratumInput(intensity, band, n, achieved))
    return Figures(cohort=sum(s.cohort for s in strata), achieved=sum(s.achieved for s in strata),
                   strata=tuple(strata))


def _contract(provider: User, lead: User, second: User, price_pounds: int, start: datetime) -> Contract:
    """One residential contract, tendered and awarded to `provider` through the tender services."""
    p = _set_up(lead, title=f"Residential placements: {provider.organisation.name}", category="childrens_homes",
                subject="Residential placements for children looked after, commissioned on placement stability.",
                value_pounds=price_pounds + 200_000, contract_type="block", months=60, extension=0,
                reviews="Annual review of placements and prices.",
                body="Each child's stability is reported quarterly by need intensity and age band at intake.",
                outcomes=[STABLE_HOME], criteria=CRITERIA, now=start)
    _declare_none(p, [lead], start + timedelta(days=1))
    _assess(p, lead, start + timedelta(days=1))
    procurements.publish_tender(p, lead, clarification_deadline=start + timedelta(days=15),
                                response_deadline=start + timedelta(days=25), now=start + timedelta(days=2),
                                no_engagement_reason="Call-off under the consortium's provider forum engagement.")
    _declare_none(p, [lead, second], start + timedelta(days=3))
    _bid(p, provider, price_pounds, "Small homes, a key worker for each child and a no-eviction policy.",
         start + timedelta(days=20))
    _open_evaluate_and_award(p, lead, second, {provider.organisation_id: 4}, opened=start + timedelta(days=26),
                             scored=start + timedelta(days=28), moderated=start + timedelta(days=29),
                             awarded=start + timedelta(days=30), reasons_md="The only compliant response.")
    return evaluation.enter_contract(p, lead, starts_on=(start + timedelta(days=50)).date(),
                              now=start + timedelta(days=48))


def load_benchmarking_demo(admin: User) -> None:
    now = clock.utcnow().replace(second=0, microsecond=0)
    priya, tom = _user("priya.shah@northmere.example"), _user("tom.hughes@northmere.example")
    owen = _user("owen.clarke@northmere.example")
    run_at = now - timedelta(days=21)
    start = now - timedelta(days=480)
    for provider in DEMO_PROVIDERS:
        user = _user(provider.email)
        contract = _contract(user, priya, tom, provider.price_pounds, start)
        terms = terms_for(contract)
        if terms is None:  # the contract's specification outcomes become its terms when it is entered into
            raise RuntimeError(f"The contract with {provider.email} has no outcome terms")
        [outcome] = outcomes_for(contract)
        ended = ended_by(terms.starts_on, terms.ends_on, terms.period_months, run_at.date())[-4:]
        for quarter, period in enumerate(ended):
            made = datetime.combine(period.end + timedelta(days=5), datetime.min.time()) + timedelta(hours=10)
            ret = returns.submit_return(outcome, user, period=period.label, figures=_figures(provider, quarter),
                                        narrative_md="Placement records checked at each child's review.", now=made)
            returns.verify_return(ret, tom, now=made + timedelta(days=2))
            statement = statements.calculate_statement(contract, owen, period=period.label,
                                                       now=made + timedelta(days=3))
            statements.approve_statement(statement, priya, now=made + timedelta(days=4))
    clock.set_now(run_at)
    try:
        run = benchmarking.start_run(admin)
        clock.set_now(run_at + timedelta(days=3))
        benchmarking.save_reply(run, _user("aisha.karim@willowcare.example"), REPLY)
    finally:
        clock.set_now(None)
