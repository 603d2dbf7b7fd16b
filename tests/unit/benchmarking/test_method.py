"""Indirect standardisation: fair to intake mix, flags a planted effect, and few others."""
from __future__ import annotations

import random
from decimal import Decimal

import pytest

from benchmarking.method import (
    Payment,
    Standing,
    costs_by,
    expected_successes,
    funnel_limits,
    indicator_results,
    reference_rates,
    standardise,
)
from tests.unit.benchmarking.builders import simulate, stratum


def _standing(rows, provider):
    (unit,) = indicator_results(rows)
    return next(p.result for p in unit.providers if p.provider_org_id == provider)


def test_expected_is_the_platform_rate_in_each_stratum_applied_to_the_providers_own_mix():
    rows = [stratum(1, 10, 8, intensity="low"), stratum(1, 30, 9, intensity="high"),
            stratum(2, 30, 24, intensity="low"), stratum(2, 10, 3, intensity="high")]
    rates = reference_rates(rows)
    assert rates[("residential", "low", "11-15")] == pytest.approx(0.8)
    assert rates[("residential", "high", "11-15")] == pytest.approx(0.3)
    assert expected_successes(rows[:2], rates) == pytest.approx(10 * 0.8 + 30 * 0.3)
    assert standardise(rows[:2], rates).ratio == pytest.approx(1.0)


def test_a_harder_intake_with_the_same_performance_is_not_flagged():
    # Both providers succeed at exactly the stratum rates; one takes mostly high-need children.
    rows = [stratum(1, 180, 54, intensity="high"), stratum(1, 20, 16, intensity="low"),
            stratum(2, 20, 6, intensity="high"), stratum(2, 180, 144, intensity="low"),
            stratum(3, 100, 30, intensity="high"), stratum(3, 100, 80, intensity="low")]
    harder = _standing(rows, 1)
    easier = _standing(rows, 2)
    assert harder.observed / harder.cohort < 0.4 and easier.observed / easier.cohort > 0.7  # crude rates far apart
    assert harder.ratio == pytest.approx(1.0)             # ... but it does exactly what is expected of its mix
    assert harder.standing is Standing.WITHIN
    crude = [stratum(p, sum(r.cohort for r in rows if r.provider_org_id == p),
                     sum(r.achieved for r in rows if r.provider_org_id == p), intensity="any") for p in (1, 2, 3)]
    assert _standing(crude, 1).standing is Standing.BELOW  # without the adjustment it would have been flagged


def test_a_planted_provider_effect_is_recovered_and_others_stay_within_the_false_positive_rate():
    flagged_nulls = nulls = 0
    for seed in range(12):
        rng = random.Random(seed)
        rows = simulate(rng, 30, planted={7: 0.35, 19: 3.0}, cohort=200)
        (unit,) = indicator_results(rows)
        standing = {p.provider_org_id: p.result.standing for p in unit.providers}
        assert standing[7] is Standing.BELOW, f"seed {seed}"
        assert standing[19] is Standing.ABOVE, f"seed {seed}"
        others = [s for p, s in standing.items() if p not in (7, 19)]
        nulls += len(others)
        flagged_nulls += sum(s is not Standing.WITHIN for s in others)
    # 336 providers with no effect at a two-sided 99.8% level: about 0.7 expected by chance; 4 or more has
    # probability under 0.6%. (Pooling the planted providers into the reference pulls everyone slightly.)
    assert flagged_nulls <= 3, f"{flagged_nulls} of {nulls} flagged"


def test_providers_are_listed_alphabetically_never_by_result():
    rows = [stratum(1, 50, 45, name="Zephyr Care"), stratum(2, 50, 5, name="acorn homes"),
            stratum(3, 50, 25, name="Maple Trust")]
    (unit,) = indicator_results(rows)
    assert [p.provider_name for p in unit.providers] == ["acorn homes", "Maple Trust", "Zephyr Care"]


def test_each_period_and_indicator_is_standardised_on_its_own_rates():
    rows = [stratum(1, 20, 10, period="2026-Q2"), stratum(1, 20, 18, period="2026-Q3"),
            stratum(2, 20, 10, period="2026-Q2"), stratum(2, 20, 2, period="2026-Q3")]
    units = indicator_results(rows)
    assert [(u.period, u.platform_rate) for u in units] == [("2026-Q2", 0.5), ("2026-Q3", 0.5)]
    assert units[0].providers[0].result.ratio == pytest.approx(1.0)


def test_in_house_and_independent_are_grouped_with_the_same_figures():
    rows = [stratum(1, 40, 30, kind="in-house"), stratum(2, 40, 10, kind="independent"),
            stratum(3, 40, 20, kind="independent")]
    (unit,) = indicator_results(rows)
    assert unit.by_type["in-house"].observed == 30 and unit.by_type["independent"].cohort == 80
    assert unit.by_type["in-house"].ratio == pytest.approx(30 / 20)


def test_cost_per_successful_outcome_has_a_wider_interval_with_fewer_successes():
    payments = [Payment(10, 1, "2026-Q3", Decimal(120000), 40), Payment(20, 2, "2026-Q3", Decimal(30000), 10),
                Payment(30, 3, "2026-Q3", Decimal(5000), 0)]
    costs = costs_by(payments, lambda p: p.provider_org_id)
    assert costs[1].per_success == Decimal(3000)
    low, high = costs[1].inner
    assert low < Decimal(3000) < high
    def width(c):
        return (c.inner[1] - c.inner[0]) / c.per_success
    assert width(costs[2]) > width(costs[1])
    assert costs[3].per_success is None  # nothing succeeded: no cost per success to state


def test_funnel_limits_surround_one_and_narrow():
    limits = funnel_limits(0.5, [10, 100, 1000], 0.998)
    assert all(low < 1 < high for _, low, high in limits)
    assert limits[0][2] - limits[0][1] > limits[2][2] - limits[2][1]
