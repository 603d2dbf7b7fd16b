"""What may be published of a benchmark: who is named, which counts are hidden, which ratios go with them.

Two rules, applied to each indicator's table for one period (the unit that is
published; no table pools periods, so no period's figures can be had by
subtracting the others from a total):

- A provider is named only when its n is at least 10 and its comparator group
  (every provider with results on the indicator in the period) has at least
  three providers. Every other provider is counted only in the "other
  providers" row of its type, and in its type's and the overall totals.
- Every count goes through the shared small-number suppression, as one table
  grouped by provider type (the in-house and independent subtotals are lines a
  reader could subtract along). A ratio, its intervals and its standing are
  shown only when the counts behind them are: O/E times E gives O back.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from benchmarking.intervals import Interval
from benchmarking.method import (
    MIN_COMPARATORS,
    MIN_NAMED_COHORT,
    PROVIDER_TYPES,
    Cost,
    IndicatorResult,
    Payment,
    ProviderResult,
    Ratio,
    Standing,
    cost_of,
    ratio_of,
)
from core.disclosure import Figure, suppress_grouped

TYPE_LABELS = {"in-house": "In-house providers", "independent": "Independent providers"}


@dataclass(frozen=True)
class PublishedRow:
    label: str
    provider_org_id: int | None      # only for a named provider
    provider_type: str
    cohort: Figure
    achieved: Figure
    not_achieved: Figure
    expected: float | None
    ratio: float | None
    inner: Interval | None
    outer: Interval | None
    standing: Standing | None
    providers: int = 1               # how many providers the row counts

    @property
    def shown(self) -> bool:
        return self.ratio is not None


@dataclass(frozen=True)
class PublishedIndicator:
    indicator: str
    period: str
    platform_rate: float
    comparators: int
    named: tuple[PublishedRow, ...]      # alphabetical
    others: tuple[PublishedRow, ...]     # "other in-house providers", "other independent providers"
    by_type: tuple[PublishedRow, ...]
    total: PublishedRow

    def row_for(self, provider_org_id: int) -> PublishedRow | None:
        return next((row for row in self.named if row.provider_org_id == provider_org_id), None)


def is_named(provider: ProviderResult, comparators: int) -> bool:
    """The naming rule: n >= 10 and at least three providers to compare with."""
    return provider.result.cohort >= MIN_NAMED_COHORT and comparators >= MIN_COMPARATORS


def _published(label: str, org_id: int | None, kind: str, result: Ratio, cohort: Figure, achieved: Figure,
               not_achieved: Figure, providers: int) -> PublishedRow:
    visible = not (cohort.is_hidden or achieved.is_hidden or not_achieved.is_hidden) and result.ratio is not None
    return PublishedRow(
        label=label, provider_org_id=org_id, provider_type=kind, cohort=cohort, achieved=achieved,
        not_achieved=not_achieved, expected=result.expected if visible else None,
        ratio=result.ratio if visible else None, inner=result.inner if visible else None,
        outer=result.outer if visible else None, standing=result.standing if visible else None, providers=providers)


def _combined(results: Sequence[Ratio]) -> Ratio:
    return ratio_of(sum(r.cohort for r in results), sum(r.observed for r in results),
                    sum(r.expected for r in results))


def publish_indicator(unit: IndicatorResult) -> PublishedIndicator:
    """The indicator's table as the public may see it."""
    comparators = len(unit.providers)
    kinds = [kind for kind in PROVIDER_TYPES if any(p.provider_type == kind for p in unit.providers)]
    # Each type's rows: its named providers, then one row for the rest of that type if any.
    layout: list[list[tuple[str, int | None, Ratio, int]]] = []
    for kind in kinds:
        mine = [p for p in unit.providers if p.provider_type == kind]
        named = [p for p in mine if is_named(p, comparators)]
        rest = [p.result for p in mine if not is_named(p, comparators)]
        rows: list[tuple[str, int | None, Ratio, int]] = [
            (p.provider_name, p.provider_org_id, p.result, 1) for p in named]
        if rest:
            rows.append((f"Other {kind} providers ({len(rest)})", None, _combined(rest), len(rest)))
        layout.append(rows)
    table = suppress_grouped([[[r.observed, r.cohort - r.observed] for _, _, r, _ in rows] for rows in layout])
    named_rows: list[PublishedRow] = []
    other_rows: list[PublishedRow] = []
    type_rows: list[PublishedRow] = []
    for g, (kind, rows) in enumerate(zip(kinds, layout)):
        for i, (label, org_id, result, count) in enumerate(rows):
            achieved, not_achieved = table.cells[g][i]
            row = _published(label, org_id, kind, result, table.row_totals[g][i], achieved, not_achieved, count)
            (named_rows if org_id is not None else other_rows).append(row)
        group = _combined([r for _, _, r, _ in rows])
        group_achieved, group_not_achieved = table.group_totals[g]
        type_rows.append(_published(TYPE_LABELS[kind], None, kind, group, table.group_row_totals[g],
                                    group_achieved, group_not_achieved, sum(c for *_, c in rows)))
    everyone = _combined([p.result for p in unit.providers])
    all_achieved, all_not_achieved = table.column_totals
    total = _published("All providers", None, "all", everyone, table.total, all_achieved, all_not_achieved,
                       comparators)
    return PublishedIndicator(unit.indicator, unit.period, unit.platform_rate, comparators,
                              tuple(sorted(named_rows, key=lambda r: r.label.casefold())), tuple(other_rows),
                              tuple(type_rows), total)


@dataclass(frozen=True)
class PublishedCost:
    label: str
    provider_org_id: int | None
    provider_type: str
    achieved: Figure
    cost: Cost | None           # None when the successes behind it are hidden


def publish_costs(payments: Sequence[Payment]) -> list[PublishedCost]:
    """Cost per successful outcome for one period: named providers, the rest by type, the types, everyone.

    The interval of a cost
    depends on nothing but its count of successes, so a cost is shown only
    when that count is; the counts are suppressed as one grouped table.
    """
    paid: dict[int, Decimal] = {}
    achieved: dict[int, int] = {}
    providers = {p.provider_org_id: (p.provider_name, p.provider_type) for p in payments}
    for payment in payments:
        paid[payment.provider_org_id] = paid.get(payment.provider_org_id, Decimal(0)) + payment.paid
        achieved[payment.provider_org_id] = achieved.get(payment.provider_org_id, 0) + payment.achieved
    comparators = len(paid)
    kinds = [kind for kind in PROVIDER_TYPES if any(providers[o][1] == kind for o in paid)]
    layout: list[list[tuple[str, int | None, Decimal, int]]] = []
    for kind in kinds:
        mine = sorted((o for o in paid if providers[o][1] == kind), key=lambda o: providers[o][0].casefold())
        named = [o for o in mine if achieved[o] >= MIN_NAMED_COHORT and comparators >= MIN_COMPARATORS]
        rest = [o for o in mine if o not in named]
        rows: list[tuple[str, int | None, Decimal, int]] = [(providers[o][0], o, paid[o], achieved[o]) for o in named]
        if rest:
            rows.append((f"Other {kind} providers ({len(rest)})", None, sum((paid[o] for o in rest), Decimal(0)),
                         sum(achieved[o] for o in rest)))
        layout.append(rows)
    if not layout:
        return []
    table = suppress_grouped([[[count] for *_, count in rows] for rows in layout])
    published: list[PublishedCost] = []
    for g, (kind, rows) in enumerate(zip(kinds, layout)):
        for i, (label, org_id, money, count) in enumerate(rows):
            figure = table.cells[g][i][0]
            published.append(PublishedCost(label, org_id, kind, figure, None if figure.is_hidden else
                                           cost_of(money, count)))
        figure = table.group_totals[g][0]
        money = sum((m for _, _, m, _ in rows), Decimal(0))
        published.append(PublishedCost(TYPE_LABELS[kind], None, kind, figure, None if figure.is_hidden else
                                       cost_of(money, sum(c for *_, c in rows))))
    figure = table.column_totals[0]
    published.append(PublishedCost("All providers", None, "all", figure, None if figure.is_hidden else
                                   cost_of(sum(paid.values(), Decimal(0)), sum(achieved.values()))))
    return published


def peer_label(run_id: int, provider_org_id: int) -> str:
    """A stable pseudonym for a peer in one run's preview, ordered by nothing about its result."""
    digest = hashlib.sha256(f"{run_id}:{provider_org_id}".encode()).hexdigest()[:6].upper()
    return f"Peer {digest}"
