"""Small-number suppression: what is hidden, and that nothing hidden can be worked out from what is shown."""
from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.disclosure import Hidden, rate, suppress_count, suppress_counts, suppress_table

PROTECT_CEILING = 30  # a reader's guess at how big a protecting figure might be; larger guesses only widen ranges


def test_counts_under_five_show_as_fewer_than_five():
    figures, total = suppress_counts({"a": 4, "b": 20, "c": 0, "d": 9})
    assert figures["a"].label == "fewer than 5"
    assert figures["c"].label == "fewer than 5"
    assert figures["b"].label == "20"
    assert total.label == "33"


def test_a_lone_small_count_beside_a_total_hides_the_next_smallest():
    figures, total = suppress_counts({"a": 3, "b": 40, "c": 7})
    assert figures["a"].hidden is Hidden.SMALL
    assert figures["c"].hidden is Hidden.PROTECTS
    assert figures["c"].label == "suppressed"
    assert figures["b"].shown == 40 and total.shown == 50


def test_two_small_counts_that_can_only_add_up_one_way_are_protected():
    # 4 + 4 = 8: both hidden counts are under 5, so a total of 8 for them pins each at 4.
    figures, _ = suppress_counts({"a": 4, "b": 4, "c": 30})
    assert figures["c"].hidden is Hidden.PROTECTS


def test_two_small_counts_with_room_between_them_need_no_more():
    figures, _ = suppress_counts({"a": 1, "b": 2, "c": 30})
    assert figures["c"].hidden is None


def test_a_total_that_would_give_a_small_count_away_is_hidden_too():
    # 0 and 5 with a total of 5: hiding the 5 still leaves 0 pinned by the total, so the total goes too.
    figures, total = suppress_counts({"a": 0, "b": 5})
    assert figures["a"].hidden is Hidden.SMALL and figures["b"].hidden is Hidden.PROTECTS
    assert total.hidden is Hidden.PROTECTS


def test_a_small_total_hides_its_line():
    figures, total = suppress_counts({"a": 1, "b": 2})
    assert total.hidden is Hidden.SMALL
    assert all(f.hidden is Hidden.SMALL for f in figures.values())


def test_figures_with_nothing_small_are_all_shown():
    table = suppress_table([[5, 6], [7, 8]])
    assert [[f.shown for f in row] for row in table.cells] == [[5, 6], [7, 8]]
    assert table.total.shown == 26


def test_a_count_published_alone_is_hidden_only_when_small():
    assert suppress_count(4).label == "fewer than 5"
    assert suppress_count(5).label == "5"
    assert suppress_count(1234).label == "1,234"


def test_a_rate_from_a_hidden_figure_is_hidden():
    achieved, cohort = suppress_count(3), suppress_count(12)
    assert rate(achieved, cohort) is None
    assert rate(suppress_count(6), cohort) == 0.5
    assert rate(suppress_count(0, threshold=0), suppress_count(0, threshold=0)) is None


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        suppress_table([[1, -1]])


def _ranges(table, rows: list[list[int]]) -> dict[tuple[int, int], set[int]]:
    """Every value each hidden cell could take, given everything published (brute force)."""
    height, width = len(rows), len(rows[0])
    hidden = [(r, c) for r in range(height) for c in range(width) if table.cells[r][c].is_hidden]

    def span(figure):
        if figure.hidden is Hidden.SMALL:
            return range(0, 5)
        return range(5, PROTECT_CEILING + 1)

    def consistent(candidate: dict[tuple[int, int], int]) -> bool:
        grid = [[candidate.get((r, c), rows[r][c]) for c in range(width)] for r in range(height)]
        margins = [(sum(grid[r]), table.row_totals[r]) for r in range(height)]
        margins += [(sum(grid[r][c] for r in range(height)), table.column_totals[c]) for c in range(width)]
        margins.append((sum(map(sum, grid)), table.total))
        for value, figure in margins:
            if figure.is_hidden:
                if value not in span(figure):
                    return False
            elif value != figure.value:
                return False
        return True

    seen: dict[tuple[int, int], set[int]] = {cell: set() for cell in hidden}
    for values in itertools.product(*(span(table.cells[r][c]) for r, c in hidden)):
        candidate = dict(zip(hidden, values))
        if consistent(candidate):
            for cell, value in candidate.items():
                seen[cell].add(value)
    return seen


tables = st.integers(1, 3).flatmap(
    lambda width: st.lists(st.lists(st.integers(0, 12), min_size=width, max_size=width), min_size=1, max_size=2))


@settings(max_examples=150, deadline=None)
@given(tables)
def test_no_hidden_cell_can_be_worked_out_from_the_published_figures(rows):
    table = suppress_table(rows)
    hidden = sum(f.is_hidden for row in table.cells for f in row)
    if hidden > 4:
        return  # the brute force below grows as 26^hidden; the rule is the same for larger tables
    for cell, values in _ranges(table, rows).items():
        assert len(values) > 1, f"hidden cell {cell} of {rows} can only be {values}"
        assert rows[cell[0]][cell[1]] in values


@settings(max_examples=200, deadline=None)
@given(tables)
def test_every_shown_figure_is_the_true_one_and_every_small_one_is_hidden(rows):
    table = suppress_table(rows)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            figure = table.cells[r][c]
            assert figure.value == value
            assert figure.is_hidden or value >= 5
    assert table.total.value == sum(map(sum, rows))
    assert math.isfinite(table.total.value)


def _span(figure, ceiling: int = PROTECT_CEILING) -> range:
    """What a reader knows of a hidden figure: under 5 when small, at least 5 (and, we guess, not huge) otherwise."""
    return range(0, 5) if figure.hidden is Hidden.SMALL else range(5, ceiling + 1)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=1, max_size=5))
def test_no_hidden_count_in_a_list_can_be_worked_out_from_its_total(values):
    figures, total = suppress_counts(dict(enumerate(values)))
    hidden = [k for k, f in figures.items() if f.is_hidden]
    spans = {k: _span(figures[k]) for k in hidden}
    known = sum(f.value for f in figures.values() if not f.is_hidden)
    seen: dict[int, set[int]] = {k: set() for k in hidden}
    for guess in itertools.product(*(spans[k] for k in hidden)):
        whole = known + sum(guess)
        if (whole in _span(total, PROTECT_CEILING * 5)) if total.is_hidden else whole == total.value:
            for k, value in zip(hidden, guess):
                seen[k].add(value)
    for k, possible in seen.items():
        assert len(possible) > 1, f"count {k} of {values} can only be {possible}"
