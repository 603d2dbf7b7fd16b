"""Contracts with outcomes, and returns against them, built through the real services."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from core.clock import utcnow
from outcomes.models import ContractOutcome
from outcomes.services import returns, setup
from outcomes.services.common import outcomes_for
from outcomes.services.returns import Figures, StratumInput
from tenders.models import Contract
from tenders.services import evaluation
from tests.unit.tenders.builders import World, awarded, standstill_end

# After the contract's first two quarters have ended (it starts in March 2026).
LATER = datetime(2026, 10, 20, 10, 0)


def contracted(world: World) -> Contract:
    """Awarded to Alpha Homes, standstill over, contract entered into: its outcomes are copied at that moment."""
    p = awarded(world)
    after = datetime.combine(standstill_end(p) + timedelta(days=1), datetime.min.time()) + timedelta(hours=9)
    return evaluation.enter_contract(p, world.c1, starts_on=None, now=after)


def stability(contract: Contract) -> ContractOutcome:
    """The proportion outcome (target 69%, 20% of the price at risk)."""
    return outcomes_for(contract)[0]


def proportion(cohort: int, achieved: int) -> Figures:
    """Figures with one stratum per intake band, adding up."""
    first = cohort // 2
    got = min(achieved, first)
    return Figures(cohort=cohort, achieved=achieved,
                   strata=(StratumInput("high", "11-15", first, got),
                           StratumInput("medium", "16-17", cohort - first, achieved - got)))


def submitted(world: World, outcome: ContractOutcome, period: str, cohort: int = 10, achieved: int = 7,
              now: datetime = LATER):
    return returns.submit_return(outcome, world.p1, period=period, figures=proportion(cohort, achieved),
                                 narrative_md="Placements held steady this quarter.", now=now)


def linear_terms(outcome: ContractOutcome, world: World, **changes):
    agreed = setup.AgreedTerms(measure="proportion", direction="higher", formula="linear", baseline=Decimal(50),
                               target=Decimal(70), at_risk_percent=20, cap_percent=100)
    agreed = setup.AgreedTerms(**{**agreed.__dict__, **changes})
    return setup.agree_terms(outcome, world.c1, agreed, now=LATER - timedelta(days=200))


def hostile_outcomes(people: dict, text: str) -> Contract:
    """A contract won by provider A whose every stored outcome text is `text`: a return's narrative, a query and a
    dispute with their reasons, a resolution, and a rating's rationale (the security tests' hostile world)."""
    import pyotp

    from accounts import services as account_services
    from outcomes.services import ratings, statements

    owner = people["owning_commissioner"]
    from sqlalchemy import select

    from accounts.models import User
    from core.extensions import db

    # The hostile world is built once per payload in the XSS sweep: the second commissioner is made only once.
    second = db.session.scalar(select(User).where(User.email == "second.commissioner@example.org")) or \
        account_services.register(full_name="Second Commissioner", email="second.commissioner@example.org",
                                  password="correct horse battery staple 9", organisation=owner.organisation)
    second.role = "commissioner"
    second.email_confirmed_at = utcnow()
    second.totp_secret, second.totp_enabled_at = pyotp.random_base32(), utcnow()
    world = World(org=owner.organisation, c1=owner, c2=second, other_commissioner=people["other_commissioner"],
                  p1=people["provider_a"], p2=people["provider_b"], unverified=people["provider_b"],
                  in_house=people["in_house_provider"], auditor=people["auditor"], admin=people["admin"])
    contract = contracted(world)
    first, later = outcomes_for(contract)[:2]
    queried = returns.submit_return(first, world.p1, period="2026-Q2", figures=proportion(10, 7), narrative_md=text,
                                    confirmed_not_child_data=True, now=LATER)
    returns.query_return(queried, owner, reason=text, now=LATER)
    answered = returns.submit_return(first, world.p1, period="2026-Q2", figures=proportion(12, 9),
                                     narrative_md=text, confirmed_not_child_data=True, now=LATER)
    returns.verify_return(answered, owner, now=LATER)
    disputed = returns.dispute_return(submitted(world, later, "2026-Q2"), owner, reason=text, now=LATER)
    returns.resolve_dispute(disputed, owner, resolution="upheld", reason=text, now=LATER)
    statement = statements.calculate_statement(contract, owner, period="2026-Q2", now=LATER)
    statements.approve_statement(statement, second, now=LATER)
    ratings.rate(first, owner, period="2026-Q2", rating="good", rationale=text, publish=True, now=LATER)
    return contract
