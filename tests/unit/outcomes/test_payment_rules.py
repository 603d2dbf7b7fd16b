"""Payment by results as a table: each row pins one rule of outcomes.payment."""
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from outcomes.payment import (
    FORMULA_VERSION,
    Price,
    Return,
    Terms,
    calculate,
    earned_share,
    period_price,
)
from outcomes.periods import periods

# A year's contract of £4,000,000 from 1 January: four quarters, 20% of each at risk on one outcome.
PRICE = Price(400_000_000, date(2026, 1, 1), date(2026, 12, 31), 3)
Q2_PRICE = 99_726_027  # 91 of 365 days
AT_RISK = 19_945_205  # 20% of the quarter's price, rounded half up
LINEAR = Terms(outcome_id=1, measure="proportion", direction="higher", formula="linear", baseline=Decimal(50),
               target=Decimal(70), at_risk_percent=20)


def terms(**changes) -> Terms:
    return replace(LINEAR, **changes)


def ret(achieved: int, status: str = "verified", *, return_id: int = 1, period: str = "2026-Q2",
        cohort: int = 20, outcome_id: int = 1) -> Return:
    return Return(return_id, outcome_id, period, status, cohort, achieved)


def q2(outcome: Terms, *returns: Return, paid=None):
    return calculate(FORMULA_VERSION, PRICE, [outcome], "2026-Q2", returns, paid)


def test_the_quarter_price_is_the_contract_value_shared_by_days():
    q = {p.label: p for p in periods(PRICE.starts_on, PRICE.ends_on, 3)}
    assert period_price(PRICE, q["2026-Q2"]) == Q2_PRICE
    assert sum(period_price(PRICE, p) for p in q.values()) == PRICE.value_pence


# (name, outcome terms, returns, expected earned pence)
ROWS = [
    ("zero: no return at all", LINEAR, [], 0),
    ("zero: at the baseline", LINEAR, [ret(10)], 0),  # 50%
    ("zero: below the baseline earns nothing, never a negative", LINEAR, [ret(2)], 0),
    ("partial: half way from baseline to target", LINEAR, [ret(12)], AT_RISK // 2 + 1),  # 60%: 9,972,602.5 rounds up
    ("full: exactly at the target", LINEAR, [ret(14)], AT_RISK),
    ("full: beyond the target earns no more than the amount at risk", LINEAR, [ret(20)], AT_RISK),
    ("cap: beyond the target earns only the capped share", terms(cap_percent=80), [ret(20)], 15_956_164),
    ("cap: below the cap the formula decides", terms(cap_percent=80), [ret(12)], AT_RISK // 2 + 1),
    ("all or nothing: one short of the target", terms(formula="all_or_nothing"), [ret(13)], 0),
    ("all or nothing: at the target", terms(formula="all_or_nothing"), [ret(14)], AT_RISK),
    ("tiered: below the first tier", terms(formula="tiered", tiers=((Decimal(55), 25), (Decimal(65), 75))),
     [ret(10)], 0),
    ("tiered: the highest tier reached", terms(formula="tiered", tiers=((Decimal(55), 25), (Decimal(65), 75))),
     [ret(13)], 14_958_904),
    ("lower is better: at the target", terms(direction="lower", baseline=Decimal(40), target=Decimal(20)),
     [ret(4)], AT_RISK),
    ("lower is better: half way down", terms(direction="lower", baseline=Decimal(40), target=Decimal(20)),
     [ret(6)], AT_RISK // 2 + 1),
    ("disputed excluded", LINEAR, [ret(14, "disputed")], 0),
    ("queried excluded", LINEAR, [ret(14, "queried")], 0),
    ("waiting for verification excluded", LINEAR, [ret(14, "submitted")], 0),
    ("dispute upheld excluded", LINEAR, [ret(14, "rejected")], 0),
    ("superseded: the later return counts", LINEAR, [ret(14, "superseded"), ret(12, return_id=2)], AT_RISK // 2 + 1),
    ("superseded: a superseded return never counts on its own", LINEAR, [ret(14, "superseded")], 0),
    ("another period's return does not count", LINEAR, [ret(14, period="2026-Q1")], 0),
    ("count measure", terms(measure="count", baseline=Decimal(0), target=Decimal(8)), [ret(4)], AT_RISK // 2 + 1),
    ("milestone met", terms(measure="milestone", formula="all_or_nothing", baseline=Decimal(0), target=Decimal(1)),
     [Return(1, 1, "2026-Q2", "verified", None, None, Decimal(1))], AT_RISK),
    ("proportion with an empty cohort earns nothing", LINEAR, [ret(0, cohort=0)], 0),
]


@pytest.mark.parametrize("name,outcome,returns,earned", ROWS, ids=[row[0] for row in ROWS])
def test_payment_table(name, outcome, returns, earned):
    statement = q2(outcome, *returns)
    assert statement.at_risk_pence == AT_RISK
    assert statement.earned_pence == earned
    assert statement.earned_pence + statement.withheld_pence == statement.at_risk_pence
    assert statement.base_pence + statement.at_risk_pence == Q2_PRICE
    assert statement.adjustment_pence == 0


def test_adjustment_pays_a_correction_to_an_approved_period_in_the_next_statement():
    """Q1 was paid at the baseline (nothing); a verified correction reaches the target: Q2 adds what Q1 now earns."""
    q1_at_risk = 19_726_027  # 20% of 90 days' price
    corrected = [ret(10, "superseded", period="2026-Q1"), ret(14, return_id=2, period="2026-Q1"),
                 ret(14, return_id=3)]
    statement = q2(LINEAR, *corrected, paid={("2026-Q1", 1): 0})
    assert statement.earned_pence == AT_RISK
    assert statement.adjustment_pence == q1_at_risk
    adjustment = [line for line in statement.lines if line.period == "2026-Q1"]
    assert [(a.adjustment_pence, a.at_risk_pence, a.earned_pence) for a in adjustment] == [(q1_at_risk, 0, 0)]
    assert statement.total_pence == statement.base_pence + AT_RISK + q1_at_risk


def test_adjustment_recovers_an_overpayment_and_is_nothing_when_the_period_is_unchanged():
    q1_at_risk = 19_726_027
    lowered = q2(LINEAR, ret(10, period="2026-Q1"), paid={("2026-Q1", 1): q1_at_risk})
    assert lowered.adjustment_pence == -q1_at_risk
    unchanged = q2(LINEAR, ret(14, period="2026-Q1"), paid={("2026-Q1", 1): q1_at_risk})
    assert unchanged.adjustment_pence == 0 and len(unchanged.lines) == 1


def test_the_formula_is_versioned_and_an_unknown_version_is_refused():
    with pytest.raises(ValueError, match="unknown formula version"):
        calculate("1999.1", PRICE, [LINEAR], "2026-Q2", [])
    assert q2(LINEAR).formula_version == FORMULA_VERSION


def test_a_period_outside_the_contract_is_refused():
    with pytest.raises(ValueError, match="not a period"):
        calculate(FORMULA_VERSION, PRICE, [LINEAR], "2027-Q1", [])


def test_clipped_periods_carry_the_calendar_label():
    found = periods(date(2026, 3, 8), date(2026, 9, 30), 3)
    assert [(p.label, p.start, p.end) for p in found] == [
        ("2026-Q1", date(2026, 3, 8), date(2026, 3, 31)), ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30))]
    assert [p.label for p in periods(date(2026, 1, 1), date(2026, 12, 31), 6)] == ["2026-H1", "2026-H2"]
    assert [p.label for p in periods(date(2026, 11, 1), date(2027, 1, 31), 1)] == ["2026-11", "2026-12", "2027-01"]


def test_linear_share_is_exact_between_baseline_and_target():
    assert earned_share(LINEAR, Decimal(65)) == Decimal("0.75")
