"""Properties of payment by results: the balance always holds, and the trail alone reproduces every statement."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from core.errors import DomainError
from outcomes.payment import FORMULA_VERSION, Price, Return, Terms, calculate
from outcomes.recompute import recompute
from outcomes.services import returns, statements
from outcomes.services.common import outcomes_for
from outcomes.services.returns import live_return
from tests.unit.outcomes.builders import LATER, contracted, proportion

PERIODS = ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")
STATUSES = ("submitted", "queried", "verified", "disputed", "rejected", "superseded")

terms_strategy = st.builds(
    lambda outcome_id, measure, direction, formula, a, b, risk, cap, tiers: Terms(
        outcome_id, measure, direction, formula, Decimal(a), Decimal(b), risk, cap,
        tuple((Decimal(t), p) for t, p in tiers)),
    st.integers(1, 3), st.sampled_from(["proportion", "count", "scale", "milestone"]),
    st.sampled_from(["higher", "lower"]), st.sampled_from(["all_or_nothing", "linear", "tiered"]),
    st.integers(0, 100), st.integers(0, 100), st.integers(0, 50), st.integers(0, 100),
    st.lists(st.tuples(st.integers(0, 100), st.integers(0, 100)), max_size=3))
returns_strategy = st.lists(st.builds(
    lambda i, outcome_id, period, status, cohort, achieved, value: Return(
        i, outcome_id, period, status, cohort, min(achieved, cohort), Decimal(value)),
    st.integers(1, 10_000), st.integers(1, 3), st.sampled_from(PERIODS), st.sampled_from(STATUSES),
    st.integers(0, 500), st.integers(0, 500), st.integers(-50, 150)), max_size=25, unique_by=lambda r: r.return_id)


@settings(max_examples=300, deadline=None)
@given(value=st.integers(0, 10 ** 11), outcomes=st.lists(terms_strategy, max_size=3, unique_by=lambda t: t.outcome_id),
       returns=returns_strategy, period=st.sampled_from(PERIODS),
       paid=st.dictionaries(st.tuples(st.sampled_from(PERIODS), st.integers(1, 3)), st.integers(0, 10 ** 9)))
def test_earned_plus_withheld_is_always_the_amount_at_risk(value, outcomes, returns, period, paid):
    assume(sum(t.at_risk_percent for t in outcomes) <= 100)  # the contract's own rule (outcomes.services.setup)
    statement = calculate(FORMULA_VERSION, Price(value, date(2026, 1, 1), date(2026, 12, 31), 3), outcomes, period,
                          returns, paid)
    assert statement.earned_pence + statement.withheld_pence == statement.at_risk_pence
    for line in statement.lines:
        assert line.earned_pence + line.withheld_pence == line.at_risk_pence
        assert 0 <= line.earned_pence <= line.at_risk_pence
    assert statement.base_pence >= 0
    # Nothing is paid on a return that is not verified.
    for line in statement.lines:
        if line.return_id is not None and line.period == period:
            status = next(r.status for r in returns if r.return_id == line.return_id)
            assert status == "verified" or line.earned_pence == 0


ACTIONS = st.lists(st.tuples(
    st.sampled_from(["submit", "verify", "query", "dispute", "upheld", "withdrawn", "amended", "calculate",
                     "approve"]),
    st.integers(0, 1), st.sampled_from(("2026-Q2", "2026-Q3")), st.integers(1, 30), st.integers(0, 30)),
    min_size=4, max_size=18)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow])
@given(actions=ACTIONS)
def test_recomputing_from_the_trail_equals_every_stored_statement(db, world, actions):
    contract = contracted(world)
    outcomes = outcomes_for(contract)
    for kind, which, period, cohort, achieved in actions:
        outcome = outcomes[which]
        standing = live_return(outcome, period)
        try:
            with db.session.begin_nested():
                if kind == "submit":
                    returns.submit_return(outcome, world.p1, period=period, narrative_md="",
                                          figures=proportion(cohort, min(achieved, cohort)), now=LATER)
                elif kind in ("verify", "query", "dispute") and standing is not None:
                    if kind == "verify":
                        returns.verify_return(standing, world.c1, now=LATER)
                    elif kind == "query":
                        returns.query_return(standing, world.c1, reason="Please check the cohort", now=LATER)
                    else:
                        returns.dispute_return(standing, world.c1, reason="Records disagree", now=LATER)
                elif kind in ("upheld", "withdrawn", "amended") and standing is not None:
                    returns.resolve_dispute(standing, world.c1, resolution=kind, reason="Agreed at review",
                                            amended=proportion(cohort, min(achieved, cohort)), now=LATER)
                elif kind == "calculate":
                    statements.calculate_statement(contract, world.c1, period=period, now=LATER)
                elif kind == "approve":
                    waiting = [s for s in statements.statements_for(contract) if s.status == "calculated"]
                    if waiting:
                        statements.approve_statement(waiting[-1], world.c2, now=LATER)
        except DomainError:
            pass
    for period in ("2026-Q2", "2026-Q3"):
        try:
            with db.session.begin_nested():
                statements.calculate_statement(contract, world.c1, period=period, now=LATER)
        except DomainError:
            pass
    checks = recompute(contract)
    assert checks and all(check.ok for check in checks), [c.differences for c in checks if not c.ok]
    for statement in statements.statements_for(contract, include_superseded=True):
        assert statement.earned_pence + statement.withheld_pence == statement.at_risk_pence
