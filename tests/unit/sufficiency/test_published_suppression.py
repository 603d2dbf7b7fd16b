"""The published sufficiency figures: no hidden one can be recovered by subtracting published ones.

The cube links an area's rows, its totals, its region's and the country's
(demand and gap each; a reader also knows the gap is never above the demand);
the brute force below tries every value each hidden leaf could have and keeps
those that agree with every published figure, at every level. Each hidden
figure must still be able to take at least two values.
"""
from __future__ import annotations

import itertools

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sufficiency.gap import GapRow
from sufficiency.publication import COLUMNS, build_cube

REGIONS = {"A": "North", "B": "North", "C": "South"}
MAX_LEAF = 8

leaf = st.tuples(st.integers(0, MAX_LEAF), st.integers(0, MAX_LEAF), st.integers(0, MAX_LEAF))
cells = st.dictionaries(st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from(["behaviour", "safety"])),
                        leaf, min_size=1, max_size=3)


def _rows(found):
    rows = []
    for (area, category), (local, regional, gap) in sorted(found.items()):
        demand = local + regional + gap
        if demand:
            rows.append(GapRow(area, category, "high", "now", demand, local, 0, regional, gap, gap))
    return rows


def _leaves(rows):
    return {(("area", r.area), ("need", r.category, r.intensity), s): getattr(r, s) for r in rows for s in COLUMNS}


def _value(leaves, key):
    where, need, column = key
    total = 0
    for (lw, ln, ls), value in leaves.items():
        if ls != column:
            continue
        area = lw[1]
        if where[0] == "area" and where != lw:
            continue
        if where[0] == "region" and REGIONS[area] != where[1]:
            continue
        if need[0] == "category" and ln[1] != need[1]:
            continue
        if need[0] == "need" and need != ln:
            continue
        total += value
    return total


@settings(max_examples=25, deadline=None, derandomize=True)
@given(cells)
def test_no_hidden_figure_can_be_worked_out_from_the_published_ones(found):
    rows = _rows(found)
    if not rows:
        return
    cube = build_cube(rows, REGIONS)
    truth = _leaves(rows)
    assert not [k for k in cube.figures if k[2] == "gap" and k[0][0] != "area"]
    for key, figure in cube.figures.items():
        assert figure.value == _value(truth, key)
        assert figure.is_hidden or figure.value >= 5
    unknown = [k for k, v in truth.items() if cube.figures[k].is_hidden]
    if len(unknown) > 4:
        return  # the brute force grows as 9^hidden; the rule is the same for larger cubes
    published = {k: f.value for k, f in cube.figures.items() if not f.is_hidden}
    seen: dict = {k: set() for k, f in cube.figures.items() if f.is_hidden}
    for guess in itertools.product(range(MAX_LEAF * 3 + 1), repeat=len(unknown)):
        leaves = {**truth, **dict(zip(unknown, guess))}
        if any(_value(leaves, k) != v for k, v in published.items()):
            continue
        if any(cube.figures[k].hidden.value == "small" and leaves[k] >= 5 for k in unknown):
            continue
        if any(leaves[(w, n, "gap")] > leaves[(w, n, "demand")] for (w, n, c) in leaves if c == "gap"):
            continue  # a reader knows no more children lack a place than need one
        for k, values in seen.items():
            values.add(_value(leaves, k))
    for key, values in seen.items():
        assert len(values) >= 2, f"{key} can be worked out: it must be {values}"


def test_spare_places_are_hidden_where_they_would_give_away_a_small_number_of_children():
    from sufficiency.gap import Demand, Geography, Inputs, Supply
    from sufficiency.publication import spare_places

    geo = Geography(regions={"A": "North", "B": "North"})
    inputs = Inputs((Demand("A", "behaviour", "high", "now", 3), Demand("B", "behaviour", "high", "now", 9)),
                    (Supply("a", "A", ("behaviour",), "high", 10), Supply("b", "B", ("behaviour",), "high", 20),
                     Supply("c", "B", ("safety",), "high", 4)), geo)
    spare = spare_places(inputs, "now")
    assert spare["A"].is_hidden and spare["A"].label == "suppressed"  # 10 places less 7 spare: 3 children
    assert (spare["B"].value, spare["B"].is_hidden) == (15, False)    # 24 places, 9 children placed


def test_an_area_need_made_of_need_statements_hides_with_a_hidden_statement_count():
    """A need statement's count is published on its own page (under 5 as "fewer than 5"): the area's need, its
    sum, must not give it away by subtraction."""
    from sufficiency.gap import Demand

    rows = [GapRow("A", "behaviour", "high", "now", 11, 11, 0, 0, 0, 0)]
    parts = [Demand("A", "behaviour", "high", "now", 3, "need-item:1"),
             Demand("A", "behaviour", "high", "now", 8, "need-item:2")]
    need = (("area", "A"), ("need", "behaviour", "high"), "demand")
    assert not build_cube(rows, REGIONS).figures[need].is_hidden          # on its own, 11 is shown
    assert build_cube(rows, REGIONS, parts).figures[need].is_hidden       # less the 8 shown, it would give 3
    both_shown = [Demand("A", "behaviour", "high", "now", 5, "need-item:1"),
                  Demand("A", "behaviour", "high", "now", 6, "need-item:2")]
    assert not build_cube(rows, REGIONS, both_shown).figures[need].is_hidden
    assert all(key[0][0] != "part" for key in build_cube(rows, REGIONS, parts).figures)  # parts are not re-published


def _statement_rows(counts, other):
    rows = [GapRow("A", "behaviour", "high", "now", sum(counts), sum(counts), 0, 0, 0, 0)] if sum(counts) else []
    if other:
        rows.append(GapRow("A", "safety", "high", "now", other, other, 0, 0, 0, 0))
    return rows


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 9), min_size=1, max_size=2), st.integers(0, 9))
@example([3, 8], 0)  # the sum shown beside the 8 would give the 3
@example([4], 9)     # the other need is hidden too, and may be any number of 5 or more
def test_no_hidden_statement_count_can_be_worked_out_from_the_cube(counts, other):
    """Brute force: every value of the hidden statement counts (and of the other need, where that is hidden too,
    searched well past any total the cube could show) that agrees with every figure the cube shows; a hidden
    statement count must keep at least two."""
    from sufficiency.gap import Demand

    parts = [Demand("A", "behaviour", "high", "now", c, f"need-item:{i}") for i, c in enumerate(counts)]
    cube = build_cube(_statement_rows(counts, other), REGIONS, parts).figures
    shown = {k: f.value for k, f in cube.items() if not f.is_hidden}
    hidden = [i for i, c in enumerate(counts) if c < 5]
    safety = (("area", "A"), ("need", "safety", "high"), "demand")
    others = range(40) if safety not in shown else [other]
    agreeing = []
    for guess in itertools.product(range(5), repeat=len(hidden)):
        trial = list(counts)
        for j, value in zip(hidden, guess):
            trial[j] = value
        for trial_other in others:
            leaves = build_cube(_statement_rows(trial, trial_other), REGIONS).figures
            if all(k in leaves and leaves[k].value == v for k, v in shown.items()):
                agreeing.append(trial)
    for i in hidden:
        assert len({trial[i] for trial in agreeing}) > 1, (counts, other, i)
