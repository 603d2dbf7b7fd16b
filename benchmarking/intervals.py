"""Exact intervals for counts: Clopper-Pearson for proportions, Garwood for Poisson counts, funnel limits.

No statistics library with distribution quantiles is among the project's
dependencies, and these three need only two special functions: the
regularised incomplete beta function (the binomial tail) and the regularised
incomplete gamma function (the Poisson tail). Both are computed by the
standard series and continued-fraction expansions (Lentz's method, as in
Press et al., Numerical Recipes, 3rd ed., sections 6.2 and 6.4); a quantile is
found by bisection on the tail, which is monotone, to well below any digit
that is published. The tests check them against closed forms and published
values.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

_EPS = 1e-15
_TINY = 1e-300
_ITERATIONS = 500


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction for the incomplete beta function (modified Lentz)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, _ITERATIONS + 1):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            return h
    raise ArithmeticError(f"incomplete beta did not converge for a={a}, b={b}, x={x}")


def incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b), for a, b > 0 and 0 <= x <= 1."""
    if a <= 0 or b <= 0:
        raise ValueError("a and b must be positive")
    if not 0.0 <= x <= 1.0:
        raise ValueError("x must lie between 0 and 1")
    if x in (0.0, 1.0):
        return x
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    front = math.exp(log_front)
    # The fraction converges fast on this side of the mean; use the symmetry I_x(a,b) = 1 - I_{1-x}(b,a) on the other.
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


def incomplete_gamma(a: float, x: float) -> float:
    """The regularised lower incomplete gamma function P(a, x), for a > 0 and x >= 0."""
    if a <= 0 or x < 0:
        raise ValueError("a must be positive and x not negative")
    if x == 0:
        return 0.0
    log_front = -x + a * math.log(x) - math.lgamma(a)
    if x < a + 1.0:
        term = total = 1.0 / a
        ap = a
        for _ in range(_ITERATIONS * 10):
            ap += 1.0
            term *= x / ap
            total += term
            if abs(term) < abs(total) * _EPS:
                return total * math.exp(log_front)
        raise ArithmeticError(f"incomplete gamma series did not converge for a={a}, x={x}")
    b = x + 1.0 - a
    c, d = 1.0 / _TINY, 1.0 / b
    h = d
    for i in range(1, _ITERATIONS + 1):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = b + an / c
        c = c if abs(c) > _TINY else _TINY
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            return 1.0 - math.exp(log_front) * h
    raise ArithmeticError(f"incomplete gamma fraction did not converge for a={a}, x={x}")


def binomial_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    if p <= 0.0:
        return 1.0
    if p >= 1.0:
        return 0.0
    return incomplete_beta(n - k, k + 1, 1.0 - p)


def poisson_cdf(k: int, mean: float) -> float:
    """P(X <= k) for X ~ Poisson(mean)."""
    if k < 0:
        return 0.0
    if mean <= 0:
        return 1.0
    return 1.0 - incomplete_gamma(k + 1, mean)


def _solve(f, low: float, high: float, target: float, *, decreasing: bool) -> float:
    """The x in [low, high] where the monotone f crosses target, by bisection to machine precision."""
    for _ in range(200):
        mid = (low + high) / 2.0
        value = f(mid)
        if (value > target) == decreasing:
            low = mid
        else:
            high = mid
        if high - low <= 1e-13 * max(1.0, abs(high)):
            break
    return (low + high) / 2.0


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high

    def scaled(self, factor: float) -> Interval:
        return Interval(self.low * factor, self.high * factor)


def clopper_pearson(successes: int, trials: int, level: float) -> Interval:
    """The exact (Clopper-Pearson) interval for a proportion: the p whose binomial tails leave (1-level)/2 each side.

    It is the interval from the beta quantiles Beta((1-level)/2; x, n-x+1) and
    Beta((1+level)/2; x+1, n-x); solving the binomial tail for p is the same
    equation, written the way it is computed here.
    """
    if trials <= 0 or not 0 <= successes <= trials:
        raise ValueError("need 0 <= successes <= trials and trials > 0")
    tail = (1.0 - level) / 2.0
    # Lower: P(X >= x | p) = tail, i.e. 1 - F(x-1; p) = tail (F falls as p rises).
    low = 0.0 if successes == 0 else _solve(lambda p: 1.0 - binomial_cdf(successes - 1, trials, p), 0.0, 1.0, tail,
                                            decreasing=False)
    high = 1.0 if successes == trials else _solve(lambda p: binomial_cdf(successes, trials, p), 0.0, 1.0, tail,
                                                  decreasing=True)
    return Interval(low, high)


def garwood(count: int, level: float) -> Interval:
    """The exact (Garwood) interval for a Poisson mean from one observed count."""
    if count < 0:
        raise ValueError("a count cannot be negative")
    tail = (1.0 - level) / 2.0
    ceiling = count + 20.0 * math.sqrt(count + 1.0) + 20.0
    low = 0.0 if count == 0 else _solve(lambda m: 1.0 - poisson_cdf(count - 1, m), 0.0, ceiling, tail,
                                        decreasing=False)
    high = _solve(lambda m: poisson_cdf(count, m), 0.0, ceiling, tail, decreasing=True)
    return Interval(low, high)


def funnel_limit(trials: int, target: float, probability: float) -> float:
    """The funnel-plot limit for a proportion with `trials` cases when the true rate is `target`.

    Exact binomial, interpolated between the discrete steps so the funnel is a
    smooth line (Spiegelhalter, Statistics in Medicine 2005;24:1185, appendix
    A.1.1): r is the smallest count with P(X <= r) >= probability, and the
    limit is (r - a) / n with a = (P(X <= r) - probability) / P(X = r).
    """
    if trials <= 0:
        raise ValueError("trials must be positive")
    if target <= 0.0 or target >= 1.0:
        return target

    low, high = 0, trials
    while low < high:  # the smallest r with F(r) >= probability
        mid = (low + high) // 2
        if binomial_cdf(mid, trials, target) >= probability:
            high = mid
        else:
            low = mid + 1
    at, below = binomial_cdf(low, trials, target), binomial_cdf(low - 1, trials, target)
    step = at - below
    a = (at - probability) / step if step > 0 else 0.0
    return max(0.0, min(1.0, (low - a) / trials))


def two_sided_z(level: float) -> float:
    """The normal quantile for a two-sided level (1.96 at 95%, 3.09 at 99.8%)."""
    return NormalDist().inv_cdf(0.5 + level / 2.0)
