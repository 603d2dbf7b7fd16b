"""Publication: who is named, and that no hidden count can be worked out from a published table."""
from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarking.method import Payment, indicator_results
from benchmarking.publication import peer_label, publish_costs, publish_indicator
from core.disclosure import Figure, Hidden, suppress_grouped
from tests.unit.benchmarking.builders import stratum

CEILING = 30  # a reader's guess at how large a protecting figure may be; larger guesses only widen the ranges


def _recoverable(figures: list[Figure], lines: list[list[int]]) -> list[int]:
    """Indexes of hidden figures that take one value only, in every assignment consistent with what is published."""
    hidden = [i for i, f in enumerate(figures) if f.is_hidden]
    spans = [range(5) if figures[i].hidden is Hidden.SMALL else range(5, CEILING + 1) for i in hidden]
    seen: dict[int, set[int]] = {i: set() for i in hidden}
    for values in itertools.product(*spans):
        guess = {i: f.value for i, f in enumerate(figures)} | dict(zip(hidden, values))
        if all(sum(guess[i] for i in line[:-1]) == guess[line[-1]] for line in lines):
            for i, v in zip(hidden, values):
                seen[i].add(v)
    for i in hidden:
        assert figures[i].value in seen[i], "the true value must stay possible"
    return [i for i in hidden if len(seen[i]) == 1]


def _grouped_figures(table) -> tuple[list[Figure], list[list[int]]]:
    """The published table as a flat list of figures and the lines a reader can add along."""
    figures: list[Figure] = []
    index = {}

    def add(key, figure):
        index[key] = len(figures)
        figures.append(figure)

    width = len(table.column_totals)
    for g, rows in enumerate(table.cells):
        for r, row in enumerate(rows):
            for c, f in enumerate(row):
                add(("cell", g, r, c), f)
            add(("row", g, r), table.row_totals[g][r])
        for c, f in enumerate(table.group_totals[g]):
            add(("group", g, c), f)
        add(("grouprow", g), table.group_row_totals[g])
    for c, f in enumerate(table.column_totals):
        add(("col", c), f)
    add(("total",), table.total)
    lines = []
    for g, rows in enumerate(table.cells):
        for r in range(len(rows)):
            lines.append([index[("cell", g, r, c)] for c in range(width)] + [index[("row", g, r)]])
        lines.append([index[("group", g, c)] for c in range(width)] + [index[("grouprow", g)]])
        for c in range(width):
            lines.append([index[("cell", g, r, c)] for r in range(len(rows))] + [index[("group", g, c)]])
        lines.append([index[("row", g, r)] for r in range(len(rows))] + [index[("grouprow", g)]])
    for c in range(width):
        lines.append([index[("group", g, c)] for g in range(len(table.cells))] + [index[("col", c)]])
    lines.append([index[("grouprow", g)] for g in range(len(table.cells))] + [index[("total",)]])
    lines.append([index[("col", c)] for c in range(width)] + [index[("total",)]])
    return figures, lines


grouped = st.integers(1, 2).flatmap(lambda width: st.lists(
    st.lists(st.lists(st.integers(0, 12), min_size=width, max_size=width), min_size=1, max_size=2),
    min_size=1, max_size=2))


@settings(max_examples=120, deadline=None)
@given(grouped)
def test_no_hidden_count_in_a_grouped_table_can_be_worked_out_by_subtraction(groups):
    table = suppress_grouped(groups)
    figures, lines = _grouped_figures(table)
    if sum(f.is_hidden for f in figures) > 5:
        return  # the brute force grows as 26^hidden; the rule is the same for larger tables
    assert _recoverable(figures, lines) == [], f"{groups}"
    assert all(f.is_hidden or f.value >= 5 for f in figures)


providers = st.lists(st.tuples(st.integers(0, 14), st.integers(0, 14), st.sampled_from(["in-house", "independent"])),
                     min_size=1, max_size=4)


@settings(max_examples=80, deadline=None)
@given(providers)
def test_no_published_benchmark_table_gives_away_a_hidden_count(spec):
    rows = [stratum(p + 1, achieved + failed, achieved, kind=kind) for p, (achieved, failed, kind) in enumerate(spec)
            if achieved + failed > 0]
    if not rows:
        return
    (unit,) = indicator_results(rows)
    published = publish_indicator(unit)
    # Rebuild the published grouped table, group by group, as a reader sees it.
    kinds = [row.provider_type for row in published.by_type]
    body = {kind: [r for r in published.named + published.others if r.provider_type == kind] for kind in kinds}

    class Seen:
        cells = tuple(tuple((r.achieved, r.not_achieved) for r in body[k]) for k in kinds)
        row_totals = tuple(tuple(r.cohort for r in body[k]) for k in kinds)
        group_totals = tuple((t.achieved, t.not_achieved) for t in published.by_type)
        group_row_totals = tuple(t.cohort for t in published.by_type)
        column_totals = (published.total.achieved, published.total.not_achieved)
        total = published.total.cohort

    figures, lines = _grouped_figures(Seen)
    if sum(f.is_hidden for f in figures) <= 5:
        assert _recoverable(figures, lines) == []
    for row in published.named + published.others + published.by_type + (published.total,):
        if row.ratio is not None:  # a ratio comes only with every count behind it shown
            assert not (row.achieved.is_hidden or row.not_achieved.is_hidden or row.cohort.is_hidden)


def test_a_provider_is_named_only_with_n_of_ten_and_three_comparators():
    rows = [stratum(1, 10, 6, name="Ash"), stratum(2, 9, 5, name="Birch"), stratum(3, 30, 20, name="Cedar")]
    published = publish_indicator(indicator_results(rows)[0])
    assert [r.label for r in published.named] == ["Ash", "Cedar"]
    assert [r.label for r in published.others] == ["Other independent providers (1)"]
    two = publish_indicator(indicator_results(rows[::2])[0])
    assert two.named == () and two.others[0].providers == 2  # two comparators: aggregates only


def test_a_small_count_shows_as_fewer_than_five_and_hides_the_ratio_with_it():
    rows = [stratum(1, 40, 3, name="Ash"), stratum(2, 40, 20, name="Birch"), stratum(3, 40, 22, name="Cedar"),
            stratum(4, 40, 25, name="Damson")]
    published = publish_indicator(indicator_results(rows)[0])
    ash = published.named[0]
    assert ash.achieved.label == "fewer than 5"
    assert ash.ratio is None and ash.standing is None and ash.expected is None
    assert sum(r.achieved.is_hidden for r in published.named) >= 2  # a second cell protects the first


def test_costs_are_named_by_the_same_rule_and_hidden_with_small_successes():
    names = {
        1: ("Ash", "independent"),
        2: ("Birch", "independent"),
        3: ("Cedar", "in-house"),
        4: ("Damson", "in-house"),
    }
    payments = [Payment(o * 10, o, "Q", Decimal(paid), achieved, *names[o])
                for o, paid, achieved in [(1, "50000", 25), (2, "40000", 20), (3, "9000", 3), (4, "60000", 30)]]
    published = {c.label: c for c in publish_costs(payments)}
    assert published["Ash"].cost.per_success == Decimal(2000)
    assert "Cedar" not in published
    assert published["Other in-house providers (1)"].cost is None
    assert published["Other in-house providers (1)"].achieved.label == "fewer than 5"
    # The in-house total less Damson would give Cedar's 3: Damson's count is hidden to protect it.
    assert published["Damson"].achieved.hidden is Hidden.PROTECTS and published["Damson"].cost is None
    assert published["In-house providers"].cost.per_success == Decimal(2091)


def test_peer_labels_are_stable_and_differ_by_provider():
    assert peer_label(4, 17) == peer_label(4, 17) != peer_label(4, 18)


@pytest.mark.parametrize("bad", [[], [[]]])
def test_a_grouped_table_needs_rows(bad):
    with pytest.raises(ValueError):
        suppress_grouped(bad)
