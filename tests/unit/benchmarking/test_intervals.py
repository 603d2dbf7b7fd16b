"""The exact intervals and funnel limits, against closed forms and published values."""
from __future__ import annotations

import math

import pytest

from benchmarking.intervals import (
    binomial_cdf,
    clopper_pearson,
    funnel_limit,
    garwood,
    incomplete_beta,
    incomplete_gamma,
    poisson_cdf,
    two_sided_z,
)


@pytest.mark.parametrize("x,n,low,high", [
    (5, 10, 0.187086, 0.812914),      # the textbook Clopper-Pearson example
    (0, 10, 0.0, 0.308497),          # 1 - 0.025^(1/10)
    (10, 10, 0.691503, 1.0),         # 0.025^(1/10)
    (81, 263, 0.252737, 0.367622),   # Wikipedia, binomial proportion confidence interval
])
def test_clopper_pearson_95_matches_published_values(x, n, low, high):
    interval = clopper_pearson(x, n, 0.95)
    assert interval.low == pytest.approx(low, abs=1e-6)
    assert interval.high == pytest.approx(high, abs=1e-6)


@pytest.mark.parametrize("n", [1, 7, 40, 250])
def test_clopper_pearson_998_at_the_edges_matches_the_closed_form(n):
    assert clopper_pearson(0, n, 0.998).high == pytest.approx(1 - 0.001 ** (1 / n), abs=1e-9)
    assert clopper_pearson(n, n, 0.998).low == pytest.approx(0.001 ** (1 / n), abs=1e-9)


def test_the_interval_leaves_exactly_the_tail_each_side():
    interval = clopper_pearson(17, 60, 0.998)
    assert 1 - binomial_cdf(16, 60, interval.low) == pytest.approx(0.001, rel=1e-6)
    assert binomial_cdf(17, 60, interval.high) == pytest.approx(0.001, rel=1e-6)


@pytest.mark.parametrize("k,low,high", [
    (0, 0.0, 3.688879), (1, 0.025318, 5.571643), (5, 1.623486, 11.668332), (10, 4.795389, 18.390356),
])
def test_garwood_95_matches_the_published_table(k, low, high):
    interval = garwood(k, 0.95)
    assert interval.low == pytest.approx(low, abs=1e-5)
    assert interval.high == pytest.approx(high, abs=1e-5)


def test_garwood_upper_for_none_is_minus_log_of_the_tail():
    assert garwood(0, 0.998).high == pytest.approx(-math.log(0.001), rel=1e-9)


@pytest.mark.parametrize("n", [1, 5, 12, 30])
def test_the_binomial_tail_equals_the_sum_of_its_terms(n):
    for p in (0.03, 0.37, 0.5, 0.91):
        for k in range(n + 1):
            brute = sum(math.comb(n, i) * p ** i * (1 - p) ** (n - i) for i in range(k + 1))
            assert binomial_cdf(k, n, p) == pytest.approx(brute, abs=1e-12)


def test_the_poisson_tail_equals_the_sum_of_its_terms():
    for mean in (0.4, 3.0, 17.5):
        for k in range(30):
            brute = sum(math.exp(-mean) * mean ** i / math.factorial(i) for i in range(k + 1))
            assert poisson_cdf(k, mean) == pytest.approx(brute, abs=1e-12)


def test_incomplete_beta_and_gamma_closed_forms():
    assert incomplete_beta(1, 3.5, 0.2) == pytest.approx(1 - 0.8 ** 3.5)
    assert incomplete_beta(2.5, 1, 0.7) == pytest.approx(0.7 ** 2.5)
    assert incomplete_beta(3, 5, 0.4) == pytest.approx(1 - incomplete_beta(5, 3, 0.6))
    assert incomplete_gamma(1, 2.0) == pytest.approx(1 - math.exp(-2.0))


def test_funnel_limits_approach_the_normal_approximation_for_large_n():
    n, p = 2000, 0.4
    half = two_sided_z(0.95) * math.sqrt(p * (1 - p) / n)
    assert funnel_limit(n, p, 0.975) == pytest.approx(p + half, abs=2e-3)
    assert funnel_limit(n, p, 0.025) == pytest.approx(p - half, abs=2e-3)
    assert two_sided_z(0.998) == pytest.approx(3.090232, abs=1e-6)


def test_funnel_limits_narrow_as_n_grows():
    widths = [funnel_limit(n, 0.3, 0.999) - funnel_limit(n, 0.3, 0.001) for n in (10, 40, 160, 640)]
    assert widths == sorted(widths, reverse=True)
