"""Small-number suppression: the one rule for every published figure that counts people.

A count under five can point at a child. Everything public (contract
outcomes, the sufficiency map, benchmarks) passes its tables through here, so
the rule lives in one place:

- *Primary* suppression hides every count under the threshold; it shows as
  "fewer than 5".
- *Secondary* suppression hides further cells so that no hidden count can be
  worked out by subtracting the published ones from a published total. A
  table is a set of lines (each row with its total, each column with its
  total, and the margins with the grand total); in every line the hidden
  cells must leave each one of them uncertain. A line with one hidden cell
  gives it away; so does a line whose hidden small counts can only add up
  one way (two hidden cells of a line known to hold 8, each under 5, are
  both 4). The smallest published cell of such a line is hidden too, shown
  as "suppressed", and the check runs again until every line is safe.
- A rate is hidden whenever its numerator or denominator is.

Suppression works on the figures as published: the full figures stay
available to auditors, who see them through their own routes.
"""
from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

THRESHOLD = 5
K = TypeVar("K", bound=Hashable)


class Hidden(StrEnum):
    """Why a figure is not shown."""

    SMALL = "small"          # under the threshold itself
    PROTECTS = "protects"    # hidden so that a small figure can't be worked out


@dataclass(frozen=True)
class Figure:
    """One published number: its value when shown, or why it isn't."""

    value: int
    hidden: Hidden | None = None
    threshold: int = THRESHOLD

    @property
    def shown(self) -> int | None:
        """The number a reader may see, or None."""
        return None if self.hidden else self.value

    @property
    def label(self) -> str:
        """The text for a table cell."""
        if self.hidden is Hidden.SMALL:
            return f"fewer than {self.threshold}"
        if self.hidden is Hidden.PROTECTS:
            return "suppressed"
        return f"{self.value:,}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden is not None


@dataclass(frozen=True)
class Table:
    """A suppressed table with its row totals, column totals and grand total."""

    cells: tuple[tuple[Figure, ...], ...]
    row_totals: tuple[Figure, ...]
    column_totals: tuple[Figure, ...]
    total: Figure


def is_small(value: int, threshold: int = THRESHOLD) -> bool:
    """Under the threshold: zero included, since "none" about a handful of children can tell as much."""
    return value < threshold


Position = tuple[int, int]
Line = list[Position]


def _tightened(grid: list[list[int]], lines: list[Line], hidden: dict[Position, Hidden], threshold: int
               ) -> dict[Position, tuple[float, float]]:
    """What a reader can work out about each hidden figure from everything published.

    A reader knows each hidden small figure lies in [0, threshold - 1] and each
    protecting one is at least the threshold, and that every line adds up. Each
    line narrows its members' ranges given the others'; narrowing repeats until
    nothing changes, so what one line reveals is carried into the next (bound
    propagation, the usual audit of a suppression pattern).
    """
    bounds: dict[Position, tuple[float, float]] = {}
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            kind = hidden.get((r, c))
            if kind is None:
                bounds[(r, c)] = (value, value)
            else:
                bounds[(r, c)] = (0, threshold - 1) if kind is Hidden.SMALL else (threshold, math.inf)
    changed = True
    while changed:
        changed = False
        for line in lines:
            # Cells add up to the line's last member, the total: coefficient +1 for a cell, -1 for the total.
            signs = [1] * (len(line) - 1) + [-1]
            terms = [sorted((sign * bounds[p][0], sign * bounds[p][1])) for sign, p in zip(signs, line)]
            low_sum, high_sum = sum(t[0] for t in terms), sum(t[1] for t in terms)
            for sign, p, (term_low, term_high) in zip(signs, line, terms):
                if p not in hidden:
                    continue
                # sign * x = -(sum of the others), the others lying between these two sums.
                others_low = low_sum - term_low if math.isfinite(term_low) else _sum_without(terms, p, line, 0)
                others_high = high_sum - term_high if math.isfinite(term_high) else _sum_without(terms, p, line, 1)
                ends = sorted((-others_high * sign, -others_low * sign))
                low, high = bounds[p]
                new_low = max(low, math.ceil(ends[0]) if math.isfinite(ends[0]) else low)
                new_high = min(high, math.floor(ends[1]) if math.isfinite(ends[1]) else high)
                if (new_low, new_high) != (low, high):
                    bounds[p] = (new_low, new_high)
                    changed = True
    return {p: bounds[p] for p in hidden}


def _sum_without(terms: list[list[float]], skip: Position, line: Line, end: int) -> float:
    return sum(term[end] for term, p in zip(terms, line) if p != skip)


def _suppress_grid(grid: list[list[int]], lines: list[Line], threshold: int,
                   fixed: frozenset[Position] = frozenset()) -> dict[Position, Hidden]:
    """Primary suppression, then secondary until no hidden figure can be worked out.

    `fixed` figures are published elsewhere with primary suppression only: they
    take part in every line, but are never hidden to protect another.
    """
    hidden: dict[Position, Hidden] = {
        (r, c): Hidden.SMALL
        for r, row in enumerate(grid) for c, value in enumerate(row) if is_small(value, threshold)
    }
    while True:
        ranges = _tightened(grid, lines, hidden, threshold)
        pinned = [p for p, (low, high) in sorted(ranges.items()) if low == high]
        if not pinned:
            return hidden
        # Hide the smallest published figure on a line through the first figure given away: it hides the
        # least, and ties go to the first position so that the same table always comes out the same.
        candidates = [q for line in lines if pinned[0] in line for q in line if q not in hidden and q not in fixed]
        if not candidates:
            candidates = [(r, c) for r, row in enumerate(grid) for c in range(len(row))
                          if (r, c) not in hidden and (r, c) not in fixed]
        if not candidates:
            return hidden
        extra = min(candidates, key=lambda q: (grid[q[0]][q[1]], q))
        hidden[extra] = Hidden.PROTECTS


def suppress_table(rows: Sequence[Sequence[int]], *, threshold: int = THRESHOLD) -> Table:
    """Suppress a table of counts published with its row, column and grand totals."""
    if any(value < 0 for row in rows for value in row):
        raise ValueError("Counts cannot be negative.")
    width = len(rows[0]) if rows else 0
    if any(len(row) != width for row in rows):
        raise ValueError("Every row needs the same number of cells.")
    height = len(rows)
    # The grid with its margins: row totals in the last column, column totals in the last row.
    grid = [list(row) + [sum(row)] for row in rows]
    grid.append([sum(row[c] for row in rows) for c in range(width)] + [sum(map(sum, rows))])
    lines = [[(r, c) for c in range(width + 1)] for r in range(height + 1)]
    lines += [[(r, c) for r in range(height + 1)] for c in range(width + 1)]
    hidden = _suppress_grid(grid, lines, threshold)

    def figure(r: int, c: int) -> Figure:
        return Figure(grid[r][c], hidden.get((r, c)), threshold)

    return Table(
        cells=tuple(tuple(figure(r, c) for c in range(width)) for r in range(height)),
        row_totals=tuple(figure(r, width) for r in range(height)),
        column_totals=tuple(figure(height, c) for c in range(width)),
        total=figure(height, width),
    )


def suppress_counts(counts: Mapping[K, int], *, threshold: int = THRESHOLD) -> tuple[dict[K, Figure], Figure]:
    """Suppress one list of counts published with its total."""
    keys = list(counts)
    if any(value < 0 for value in counts.values()):
        raise ValueError("Counts cannot be negative.")
    grid = [[counts[k] for k in keys] + [sum(counts.values())]]
    hidden = _suppress_grid(grid, [[(0, c) for c in range(len(keys) + 1)]], threshold)
    figures = [Figure(value, hidden.get((0, c)), threshold) for c, value in enumerate(grid[0])]
    return dict(zip(keys, figures)), figures[-1]


def suppress_count(value: int, *, threshold: int = THRESHOLD) -> Figure:
    """One count published on its own, with no total beside it."""
    return Figure(value, Hidden.SMALL if is_small(value, threshold) else None, threshold)


def rate(numerator: Figure, denominator: Figure) -> float | None:
    """A proportion to publish, or None when either figure behind it is hidden (or there is no one to count)."""
    if numerator.is_hidden or denominator.is_hidden or denominator.value == 0:
        return None
    return numerator.value / denominator.value


@dataclass(frozen=True)
class GroupedTable:
    """A suppressed table whose rows fall into groups, published with each group's subtotals.

    Indexing follows the input: `cells[g][r][c]`, `row_totals[g][r]`,
    `group_totals[g][c]` (a group's column sums), `group_row_totals[g]`,
    `column_totals[c]` and the grand `total`.
    """

    cells: tuple[tuple[tuple[Figure, ...], ...], ...]
    row_totals: tuple[tuple[Figure, ...], ...]
    group_totals: tuple[tuple[Figure, ...], ...]
    group_row_totals: tuple[Figure, ...]
    column_totals: tuple[Figure, ...]
    total: Figure


def suppress_grouped(groups: Sequence[Sequence[Sequence[int]]], *, threshold: int = THRESHOLD) -> GroupedTable:
    """Suppress a table of counts in groups of rows, published with row totals, group subtotals and grand totals.

    A subtotal is one more line a reader can subtract along (group total less
    the group's other rows), so each group's rows with its subtotal is a line
    of its own, and the subtotals with the grand total another.
    """
    if not groups or any(not rows for rows in groups):
        raise ValueError("Every group needs at least one row.")
    width = len(groups[0][0])
    if any(len(row) != width for rows in groups for row in rows):
        raise ValueError("Every row needs the same number of cells.")
    if any(value < 0 for rows in groups for row in rows for value in row):
        raise ValueError("Counts cannot be negative.")
    grid: list[list[int]] = []
    starts: list[int] = []
    for rows in groups:
        starts.append(len(grid))
        grid.extend(list(row) + [sum(row)] for row in rows)
        grid.append([sum(row[c] for row in rows) for c in range(width)] + [sum(map(sum, rows))])
    subtotal_rows = [start + len(rows) for start, rows in zip(starts, groups)]
    grid.append([sum(grid[s][c] for s in subtotal_rows) for c in range(width + 1)])
    grand = len(grid) - 1
    lines: list[Line] = [[(r, c) for c in range(width + 1)] for r in range(len(grid))]
    for c in range(width + 1):
        for start, rows in zip(starts, groups):
            lines.append([(r, c) for r in range(start, start + len(rows) + 1)])
        lines.append([(s, c) for s in subtotal_rows] + [(grand, c)])
    hidden = _suppress_grid(grid, lines, threshold)

    def figure(r: int, c: int) -> Figure:
        return Figure(grid[r][c], hidden.get((r, c)), threshold)

    return GroupedTable(
        cells=tuple(
            tuple(tuple(figure(start + i, c) for c in range(width)) for i in range(len(rows)))
            for start, rows in zip(starts, groups)
        ),
        row_totals=tuple(
            tuple(figure(start + i, width) for i in range(len(rows))) for start, rows in zip(starts, groups)
        ),
        group_totals=tuple(tuple(figure(s, c) for c in range(width)) for s in subtotal_rows),
        group_row_totals=tuple(figure(s, width) for s in subtotal_rows),
        column_totals=tuple(figure(grand, c) for c in range(width)),
        total=figure(grand, width),
    )


def suppress_lines(values: Sequence[int], lines: Sequence[Sequence[int]], *, threshold: int = THRESHOLD,
                   fixed: Iterable[int] = ()) -> list[Figure]:
    """Suppress figures linked by any set of additive lines (each a list of indexes, its total last).

    For tables with more than two dimensions or nested margins (areas within
    regions, needs within categories): every sum a reader could set against
    another is one line, and the same rule as `suppress_table` applies to all.
    `fixed` are the indexes of figures already published elsewhere with
    primary suppression only (a need statement's own counts): a hidden one is
    protected by hiding others, and a shown one is never hidden here.
    """
    if any(value < 0 for value in values):
        raise ValueError("Counts cannot be negative.")
    grid = [list(values)]
    hidden = _suppress_grid(grid, [[(0, i) for i in line] for line in lines], threshold,
                            frozenset((0, i) for i in fixed))
    return [Figure(value, hidden.get((0, i)), threshold) for i, value in enumerate(values)]
