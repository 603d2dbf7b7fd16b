"""The public outcome figures: no count the table hides can be worked out from what the page publishes."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from outcomes.figures import outcome_results, period_rows
from outcomes.periods import Period

PERIODS = [Period("2026-Q2", date(2026, 4, 1), date(2026, 6, 30)), Period("2026-Q3", date(2026, 7, 1),
                                                                          date(2026, 9, 30))]
OUTCOME = SimpleNamespace(id=1, position=1, measure="proportion", target=Decimal(69), baseline=Decimal(50),
                          indicator="Stayed in their first home", description="")
LIMIT = 12
SEARCH = 26


def _verified(rows: list[tuple[int, int]]) -> dict:
    return {(1, p.label): SimpleNamespace(achieved=a, cohort=a + b) for p, (a, b) in zip(PERIODS, rows)}


def published(rows: list[tuple[int, int]], full: bool = False):
    return outcome_results(OUTCOME, PERIODS[:len(rows)], _verified(rows), full=full)


def _seen(rows: list[tuple[int, int]]) -> tuple:
    """Everything a reader sees: each period's shown achieved, cohort and percentage, and the shown totals."""
    found, total_cohort, total_achieved = period_rows(OUTCOME, PERIODS[:len(rows)], _verified(rows), full=False)
    return (tuple((r.achieved.shown, r.cohort.shown, r.actual) for r in found), total_cohort.shown,
            total_achieved.shown)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, LIMIT), st.integers(0, LIMIT))
def test_no_hidden_count_of_a_period_can_be_recovered_from_the_published_figures(achieved, not_achieved):
    """Every (achieved, not achieved) a reader could not tell apart from the truth, searched well past the
    counts tried; a small count always has another candidate. (Tables of several periods are core.disclosure's
    own brute-force property tests: the page publishes exactly that table.)"""
    seen = _seen([(achieved, not_achieved)])
    alike = [(a, b) for a in range(SEARCH) for b in range(SEARCH) if _seen([(a, b)]) == seen]
    assert (achieved, not_achieved) in alike
    if achieved < 5 or not_achieved < 5:
        assert len({a for a, _b in alike}) > 1 and len({b for _a, b in alike}) > 1, alike


def test_small_counts_read_fewer_than_five_and_their_percentage_is_not_published():
    res = published([(2, 1)])
    assert res.rows[0].cohort.label == "fewer than 5" and res.rows[0].actual is None
    assert res.rows[0].actual_label == "not published"


def test_full_figures_hide_nothing():
    res = published([(2, 1)], full=True)
    assert res.rows[0].cohort.label == "3" and round(res.rows[0].actual, 1) == 66.7


def test_a_scale_mean_over_fewer_than_five_children_is_not_published():
    scale = SimpleNamespace(**{**vars(OUTCOME), "measure": "scale"})
    verified = {(1, "2026-Q2"): SimpleNamespace(cohort=3, achieved=None, value=Decimal("7.5")),
                (1, "2026-Q3"): SimpleNamespace(cohort=12, achieved=None, value=Decimal("6.25"))}
    rows, _cohort, _achieved = period_rows(scale, PERIODS, verified, full=False)
    assert (rows[0].actual, rows[0].actual_label, rows[0].cohort.label) == (None, "not published", "fewer than 5")
    assert rows[1].actual == 6.25
    assert period_rows(scale, PERIODS, verified, full=True)[0][0].actual == 7.5
