"""One run's figures as the pages and the API show them: per period, per indicator, filtered, over time.

Everything here is computed from the run's own recorded inputs, never from
live data, so a page shows exactly what the run (and the trail) says. A run's
figures never change, so they are computed once per process.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from benchmarking.method import (
    IndicatorResult,
    Payment,
    StratumCount,
    indicator_results,
)
from benchmarking.models import BenchmarkRun
from benchmarking.publication import (
    PublishedCost,
    PublishedIndicator,
    PublishedRow,
    publish_costs,
    publish_indicator,
)
from benchmarking.runs import decode_inputs, parse_inputs_json


@dataclass(frozen=True)
class Filters:
    category: str | None = None
    region: str | None = None
    period: str | None = None


@dataclass(frozen=True)
class Report:
    strata: tuple[StratumCount, ...]
    payments: tuple[Payment, ...]
    units: dict[tuple[str, str], IndicatorResult]
    published: dict[tuple[str, str], PublishedIndicator]
    periods: tuple[str, ...]
    indicators: tuple[str, ...]
    categories: tuple[str, ...]
    regions: tuple[str, ...]
    councils: dict[int, str] = field(default_factory=dict)

    @property
    def latest_period(self) -> str | None:
        return self.periods[-1] if self.periods else None

    def tables(self, filters: Filters) -> list[tuple[PublishedIndicator, list[PublishedRow]]]:
        """Each indicator's table in the period, with its named rows narrowed to the filters.

        A filter picks providers (those with contracts of that category, or in
        that region, on the indicator); it never recomputes a provider's figures
        on a subset, which would make a second table to subtract from the first.
        """
        period = filters.period or self.latest_period
        out = []
        for indicator in self.indicators:
            table = self.published.get((indicator, period or ""))
            if table is None:
                continue
            unit = self.units[(indicator, table.period)]
            matching = {p.provider_org_id for p in unit.providers
                        if (not filters.category or filters.category in p.categories)
                        and (not filters.region or filters.region in p.regions)}
            if filters.category and not any(filters.category in p.categories for p in unit.providers):
                continue
            out.append((table, [row for row in table.named if row.provider_org_id in matching]))
        return out

    def trend(self, indicator: str, provider_ids: set[int] | None = None) -> dict[str, list[float | None]]:
        """Each named provider's O/E in each period, where that period's published table shows it."""
        series: dict[str, list[float | None]] = defaultdict(lambda: [None] * len(self.periods))
        for i, period in enumerate(self.periods):
            table = self.published.get((indicator, period))
            for row in table.named if table else ():
                if row.ratio is not None and (provider_ids is None or row.provider_org_id in provider_ids):
                    series[row.label][i] = row.ratio
        return dict(sorted(series.items(), key=lambda item: item[0].casefold()))

    def costs(self, period: str | None) -> list[PublishedCost]:
        period = period or self.latest_period
        return publish_costs([p for p in self.payments if p.period == period])

    def provider_rows(self, provider_org_id: int) -> list[tuple[PublishedIndicator, PublishedRow]]:
        """Where the provider is named, in every period and indicator."""
        found = []
        for key in sorted(self.published, key=lambda k: (k[0], k[1])):
            row = self.published[key].row_for(provider_org_id)
            if row is not None:
                found.append((self.published[key], row))
        return found

    def providers_of_council(self, council_org_id: int) -> set[int]:
        return {s.provider_org_id for s in self.strata if s.council_org_id == council_org_id}

    def provider_names(self) -> dict[int, str]:
        return {s.provider_org_id: s.provider_name for s in self.strata}


@lru_cache(maxsize=8)
def _report(run_id: int, inputs_hash: str, inputs: str) -> Report:
    strata, payments = decode_inputs(parse_inputs_json(inputs))
    units = {(u.indicator, u.period): u for u in indicator_results(strata)}
    return Report(
        strata=tuple(strata), payments=tuple(payments), units=units,
        published={key: publish_indicator(unit) for key, unit in units.items()},
        periods=tuple(sorted({s.period for s in strata} | {p.period for p in payments})),
        indicators=tuple(sorted({s.indicator for s in strata})),
        categories=tuple(sorted({s.category for s in strata})), regions=tuple(sorted({s.region for s in strata})),
        councils={s.council_org_id: s.council_name for s in strata})


def report_of(run: BenchmarkRun) -> Report:
    return _report(run.id, run.inputs_hash, run.inputs)
