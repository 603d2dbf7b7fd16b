"""The benchmarking method: indirect standardisation, observed against expected, exact intervals, cost per success.

Pure functions over plain inputs, versioned: a run records `METHOD_VERSION`
and `parameters()`, and reproducing a run refuses a different version rather
than quietly computing something else.

Why indirect standardisation: a provider that takes the children with the
highest needs must not look worse for it. Each child in a return is counted in
a stratum fixed at intake (need intensity x age band x service category),
which the provider does not control. The platform-wide success rate in each
stratum, applied to the provider's own intake mix, gives the number of
successes expected of an average provider with that mix; observed over expected
(O/E) is then fair to the provider's mix. O/E above 1 means more children
achieved the outcome than expected.

The interval around O/E treats the expected figure as fixed: it is the exact
(Clopper-Pearson) interval for the provider's proportion O/n divided by its
expected proportion E/n. A provider is *above* or *below* expected only when
its 99.8% interval excludes 1 (the outer funnel limit), so among providers who
perform exactly as expected about 1 in 500 is flagged by chance; the 95%
interval is shown beside it as the inner limit.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from benchmarking.intervals import Interval, clopper_pearson, funnel_limit, garwood
from core.disclosure import THRESHOLD

K = TypeVar("K", bound=Hashable)

METHOD_VERSION = "1.0"
INNER_LEVEL = 0.95
OUTER_LEVEL = 0.998
CLASSIFY_LEVEL = OUTER_LEVEL
MIN_NAMED_COHORT = 10       # a provider is named only when its n is at least this ...
MIN_COMPARATORS = 3         # ... and its comparator group has at least this many providers
REPLY_WORKING_DAYS = 10     # the right of reply before publication
PROVIDER_TYPES = ("in-house", "independent")


def parameters() -> dict[str, object]:
    """Everything a run's figures depend on besides its inputs, as recorded in the trail."""
    return {
        "strata": ["category", "intensity", "age_band"],
        "interval": "Clopper-Pearson exact, O/n divided by E/n",
        "cost_interval": "Garwood exact Poisson on the successful outcomes",
        "levels": [INNER_LEVEL, OUTER_LEVEL],
        "classify_level": CLASSIFY_LEVEL,
        "min_named_cohort": MIN_NAMED_COHORT,
        "min_comparators": MIN_COMPARATORS,
        "reply_working_days": REPLY_WORKING_DAYS,
        "suppression_threshold": THRESHOLD,
    }


class Standing(StrEnum):
    """Where a provider falls against its expected result. Never a rank."""

    WITHIN = "within expected"
    ABOVE = "above expected"
    BELOW = "below expected"


@dataclass(frozen=True)
class StratumCount:
    """One return's children in one intake stratum: the benchmarking input, mirroring the outcomes result."""

    contract_id: int
    contract_reference: str
    provider_org_id: int
    provider_name: str
    provider_type: str
    council_org_id: int
    council_name: str
    region: str
    category: str
    indicator: str
    outcome_id: int
    period: str
    period_end: date
    intensity: str
    age_band: str
    cohort: int
    achieved: int


@dataclass(frozen=True)
class Payment:
    """What a contract was paid in a period and how many successful outcomes it had."""

    contract_id: int
    provider_org_id: int
    period: str
    paid: Decimal
    achieved: int
    provider_name: str = ""
    provider_type: str = "independent"


@dataclass(frozen=True)
class Ratio:
    """Observed against expected for one provider (or group) on one indicator in one period."""

    cohort: int
    observed: int
    expected: float
    ratio: float | None
    inner: Interval | None
    outer: Interval | None
    standing: Standing


def ratio_of(cohort: int, observed: int, expected: float) -> Ratio:
    """O/E with its exact intervals and its standing."""
    if cohort <= 0 or expected <= 0:
        # Nobody counted, or a mix in which nobody anywhere succeeded: nothing to compare against.
        return Ratio(cohort, observed, expected, None, None, None, Standing.WITHIN)
    scale = cohort / expected
    inner = clopper_pearson(observed, cohort, INNER_LEVEL).scaled(scale)
    outer = clopper_pearson(observed, cohort, OUTER_LEVEL).scaled(scale)
    classify = outer if CLASSIFY_LEVEL == OUTER_LEVEL else inner
    standing = (Standing.ABOVE if classify.low > 1.0 else Standing.BELOW if classify.high < 1.0
                else Standing.WITHIN)
    return Ratio(cohort, observed, expected, observed / expected, inner, outer, standing)


StratumKey = tuple[str, str, str]


def _stratum(row: StratumCount) -> StratumKey:
    return (row.category, row.intensity, row.age_band)


def reference_rates(rows: Iterable[StratumCount]) -> dict[StratumKey, float]:
    """The platform-wide success rate in each intake stratum, over every provider's children."""
    achieved: dict[StratumKey, int] = defaultdict(int)
    cohort: dict[StratumKey, int] = defaultdict(int)
    for row in rows:
        achieved[_stratum(row)] += row.achieved
        cohort[_stratum(row)] += row.cohort
    return {key: achieved[key] / cohort[key] for key in cohort if cohort[key] > 0}


def expected_successes(rows: Iterable[StratumCount], rates: dict[StratumKey, float]) -> float:
    """The successes an average provider would have with these children: each stratum's rate times its cohort."""
    return sum(rates.get(_stratum(row), 0.0) * row.cohort for row in rows)


def standardise(rows: Sequence[StratumCount], rates: dict[StratumKey, float]) -> Ratio:
    """O/E for a set of rows (one provider, or a group of providers) against the given stratum rates."""
    return ratio_of(sum(r.cohort for r in rows), sum(r.achieved for r in rows), expected_successes(rows, rates))


@dataclass(frozen=True)
class ProviderResult:
    provider_org_id: int
    provider_name: str
    provider_type: str
    result: Ratio
    councils: tuple[tuple[int, str], ...]
    regions: tuple[str, ...]
    categories: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorResult:
    """Every provider's O/E on one indicator in one period: the unit that is published as one table."""

    indicator: str
    period: str
    platform_rate: float
    providers: tuple[ProviderResult, ...]   # alphabetical by name, never by result
    by_type: dict[str, Ratio]


def indicator_results(rows: Sequence[StratumCount]) -> list[IndicatorResult]:
    """O/E for every provider on every indicator in every period, each against that indicator's and period's rates."""
    units: dict[tuple[str, str], list[StratumCount]] = defaultdict(list)
    for row in rows:
        units[(row.indicator, row.period)].append(row)
    results = []
    for (indicator, period), unit in sorted(units.items()):
        rates = reference_rates(unit)
        per_provider: dict[int, list[StratumCount]] = defaultdict(list)
        for row in unit:
            per_provider[row.provider_org_id].append(row)
        providers = tuple(sorted((
            ProviderResult(
                provider_org_id=org_id, provider_name=mine[0].provider_name, provider_type=mine[0].provider_type,
                result=standardise(mine, rates),
                councils=tuple(sorted({(r.council_org_id, r.council_name) for r in mine}, key=lambda c: c[1])),
                regions=tuple(sorted({r.region for r in mine})), categories=tuple(sorted({r.category for r in mine})))
            for org_id, mine in per_provider.items()), key=lambda p: (p.provider_name.casefold(), p.provider_org_id)))
        by_type = {kind: standardise([r for r in unit if r.provider_type == kind], rates)
                   for kind in PROVIDER_TYPES if any(r.provider_type == kind for r in unit)}
        total_cohort = sum(r.cohort for r in unit)
        results.append(IndicatorResult(indicator, period, sum(r.achieved for r in unit) / total_cohort
                                       if total_cohort else 0.0, providers, by_type))
    return results


def funnel_limits(platform_rate: float, cohorts: Sequence[int], level: float) -> list[tuple[int, float, float]]:
    """The funnel's lower and upper O/E limits at each cohort size, for an indicator's platform rate."""
    if not 0.0 < platform_rate < 1.0:
        return []
    tail = (1.0 - level) / 2.0
    return [(n, funnel_limit(n, platform_rate, tail) / platform_rate,
             funnel_limit(n, platform_rate, 1.0 - tail) / platform_rate) for n in cohorts]


@dataclass(frozen=True)
class Cost:
    """Cost per successful outcome: what was paid over the successes it bought, with exact intervals."""

    paid: Decimal
    achieved: int
    per_success: Decimal | None
    inner: tuple[Decimal, Decimal | None] | None
    outer: tuple[Decimal, Decimal | None] | None


def _money(value: float | Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal(1))


def cost_of(paid: Decimal, achieved: int) -> Cost:
    """Paid / successes; the interval comes from the exact Poisson interval on the successes (few successes, wide)."""
    if achieved <= 0:
        return Cost(paid, achieved, None, None, None)

    def bounds(level: float) -> tuple[Decimal, Decimal | None]:
        interval = garwood(achieved, level)
        return _money(paid / Decimal(interval.high)), (_money(paid / Decimal(interval.low)) if interval.low > 0
                                                         else None)

    return Cost(paid, achieved, _money(paid / achieved), bounds(INNER_LEVEL), bounds(OUTER_LEVEL))


def costs_by(payments: Iterable[Payment], key: Callable[[Payment], K]) -> dict[K, Cost]:
    """Cost per successful outcome for each value of key(payment), over every period given."""
    paid: dict[K, Decimal] = defaultdict(Decimal)
    achieved: dict[K, int] = defaultdict(int)
    for payment in payments:
        paid[key(payment)] += payment.paid
        achieved[key(payment)] += payment.achieved
    return {k: cost_of(paid[k], achieved[k]) for k in paid}
