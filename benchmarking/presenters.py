"""Published benchmark figures as charts, table rows and text: what the templates show, worked out here.

Each chart is followed on the page by its figures as a table (core.charts).
Providers appear alphabetically everywhere, including along the caterpillar
plot's axis: the platform never ranks them.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from benchmarking.intervals import Interval
from benchmarking.method import INNER_LEVEL, OUTER_LEVEL, funnel_limits
from benchmarking.models import BenchmarkReply
from benchmarking.publication import PublishedCost, PublishedIndicator, PublishedRow
from core.charts import Chart, line_chart, scatter_chart

HIDDEN = "not shown (small numbers)"


def ratio_text(value: float | None) -> str:
    return HIDDEN if value is None else f"{value:.2f}"


def interval_text(interval: Interval | None) -> str:
    return HIDDEN if interval is None else f"{interval.low:.2f} to {interval.high:.2f}"


def standing_text(row: PublishedRow) -> str:
    return HIDDEN if row.standing is None else str(row.standing).capitalize()


def expected_text(value: float | None) -> str:
    return HIDDEN if value is None else f"{value:.1f}"


def money_text(value: Decimal | None) -> str:
    return "no upper limit" if value is None else f"£{value:,.0f}"


@dataclass(frozen=True)
class TableRow:
    label: str
    href: str | None
    cells: tuple[str, ...]
    reply: str | None = None


TABLE_HEADERS = ("Provider", "Children (n)", "Achieved", "Did not achieve", "Expected to achieve",
                 "Observed / expected", "95% interval", "99.8% interval", "Against expected")


def table_rows(rows: Sequence[PublishedRow], replies: Mapping[int, BenchmarkReply], href) -> list[TableRow]:
    """One line per row, with a named provider's reply beside its figures."""
    out = []
    for row in rows:
        reply = replies.get(row.provider_org_id) if row.provider_org_id is not None else None
        out.append(TableRow(
            row.label, href(row.provider_org_id) if row.provider_org_id is not None else None,
            (row.cohort.label, row.achieved.label, row.not_achieved.label, expected_text(row.expected),
             ratio_text(row.ratio), interval_text(row.inner), interval_text(row.outer), standing_text(row)),
            reply.note if reply else None))
    return out


def _cohort_grid(low: int, high: int, steps: int = 24) -> list[int]:
    low, high = max(1, low), max(low + 1, high)
    grid = sorted({round(low + (high - low) * i / (steps - 1)) for i in range(steps)})
    return grid


def funnel_chart(table: PublishedIndicator, rows: Sequence[PublishedRow]) -> Chart:
    """Each named provider's O/E against its n, inside the 95% and 99.8% limits for the indicator's platform rate."""
    shown = [r for r in rows if r.ratio is not None]
    points = [(float(r.cohort.value), float(r.ratio)) for r in shown if r.ratio is not None]
    ns = [r.cohort.value for r in shown] or [10, 100]
    grid = _cohort_grid(min(ns) // 2, max(ns) * 5 // 4)
    lines: dict[str, list[tuple[float, float]]] = {}
    for level, name in ((INNER_LEVEL, "95%"), (OUTER_LEVEL, "99.8%")):
        limits = funnel_limits(table.platform_rate, grid, level)
        lines[f"{name} limit (lower)"] = [(float(n), low) for n, low, _ in limits]
        lines[f"{name} limit (upper)"] = [(float(n), high) for n, _, high in limits]
    lines["Expected (1.0)"] = [(float(grid[0]), 1.0), (float(grid[-1]), 1.0)]
    flagged = sum(r.standing is not None and r.standing.name != "WITHIN" for r in shown)
    return scatter_chart(
        f"Funnel plot: {table.indicator}, {table.period}", {"Named providers": points},
        alt=(f"Funnel plot of observed over expected against number of children for {len(points)} named providers "
             f"on {table.indicator} in {table.period}; {flagged} outside the 99.8% limits. The figures follow in "
             "the table."),
        headers=("Provider", "Children (n)", "Observed / expected", "Against expected"),
        rows=[(r.label, r.cohort.label, ratio_text(r.ratio), standing_text(r)) for r in rows],
        x_title="Children counted (n)", y_title="Observed / expected", lines=lines,
        caption=(f"The platform rate is {table.platform_rate:.0%}. Points beyond the outer (99.8%) lines are above or "
                 "below expected; a point near a line may fall either side, since each provider's limits use its own "
                 "intake mix."))


def caterpillar_chart(table: PublishedIndicator, rows: Sequence[PublishedRow]) -> Chart:
    """O/E with its 99.8% interval for each named provider, providers in alphabetical order along the axis."""
    shown = [r for r in rows if r.ratio is not None and r.outer is not None]
    points = [(float(i + 1), float(r.ratio)) for i, r in enumerate(shown) if r.ratio is not None]
    lines = {f"{i + 1}: 99.8% interval": [(float(i + 1), r.outer.low), (float(i + 1), r.outer.high)]
             for i, r in enumerate(shown) if r.outer is not None}
    lines["Expected (1.0)"] = [(0.5, 1.0), (len(shown) + 0.5, 1.0)]
    return scatter_chart(
        f"Observed / expected with intervals: {table.indicator}, {table.period}", {"Observed / expected": points},
        alt=(f"Caterpillar plot of observed over expected with 99.8% intervals for {len(points)} named providers, in "
             "alphabetical order (numbered as in the table). The figures follow in the table."),
        headers=("Provider (position on the axis)", "Observed / expected", "95% interval", "99.8% interval"),
        rows=[(f"{i + 1}. {r.label}", ratio_text(r.ratio), interval_text(r.inner), interval_text(r.outer))
              for i, r in enumerate(shown)],
        x_title="Provider (alphabetical)", y_title="Observed / expected", lines=lines,
        caption="Providers are numbered alphabetically, never by result.")


def trend_chart(indicator: str, periods: Sequence[str], series: Mapping[str, Sequence[float | None]]) -> Chart:
    values = {name: [None if v is None else round(v, 2) for v in points] for name, points in series.items()}
    return line_chart(
        f"Trend: {indicator}", list(periods), values,
        alt=(f"Observed over expected for {len(values)} named providers on {indicator} over {len(periods)} periods. A "
             "gap is a period where the provider was not named or its figures were too small to show. The figures "
             "follow in the table."),
        y_title="Observed / expected", x_heading="Period",
        notes=("“none” means the provider was not named in that period, or its figures were too small to show.",))


@dataclass(frozen=True)
class CostRow:
    label: str
    href: str | None
    cells: tuple[str, ...]


COST_HEADERS = ("Provider", "Successful outcomes", "Cost per successful outcome", "95% interval", "99.8% interval")


def cost_rows(costs: Sequence[PublishedCost], href) -> list[CostRow]:
    out = []
    for c in costs:
        if c.cost is None or c.cost.per_success is None:
            cells = (c.achieved.label, HIDDEN if c.cost is None else "no successes", "", "")
        else:
            inner, outer = c.cost.inner, c.cost.outer
            cells = (c.achieved.label, money_text(c.cost.per_success),
                     f"{money_text(inner[0])} to {money_text(inner[1])}" if inner else "",
                     f"{money_text(outer[0])} to {money_text(outer[1])}" if outer else "")
        out.append(CostRow(c.label, href(c.provider_org_id) if c.provider_org_id is not None else None, cells))
    return out
