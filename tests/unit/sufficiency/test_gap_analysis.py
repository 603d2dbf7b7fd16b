"""The gap function as tables: nearest first, intensity coverage, horizons, reproducible runs."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sufficiency.gap import (
    METHOD_VERSION,
    Demand,
    Geography,
    Inputs,
    Supply,
    analyse,
    inputs_hash,
    unused_places,
)

GEO = Geography(regions={"A": "North", "B": "North", "C": "North", "D": "South"}, neighbours={"A": ("B",)})


def _row(rows, area="A", category="behaviour", intensity="high", horizon="now"):
    return next(r for r in rows if (r.area, r.category, r.intensity, r.horizon) == (area, category, intensity, horizon))


@pytest.mark.parametrize("supply_area, expected", [
    ("A", (6, 0, 0, 0)),   # same council
    ("B", (0, 6, 0, 0)),   # a configured neighbour
    ("C", (0, 0, 6, 0)),   # elsewhere in the region
    ("D", (0, 0, 0, 6)),   # anywhere else: still a gap for the council's own region
])
def test_each_source_is_named_by_distance(supply_area, expected):
    rows = analyse(Inputs((Demand("A", "behaviour", "high", "now", 6),),
                          (Supply("s", supply_area, ("behaviour",), "high", 10),), GEO))
    row = _row(rows)
    assert (row.local, row.nearby, row.regional, row.national) == expected
    assert row.gap == expected[3]


def test_nearest_places_are_used_first_and_the_rest_is_the_gap():
    supply = (Supply("far", "D", ("behaviour",), "high", 3), Supply("region", "C", ("behaviour",), "high", 2),
              Supply("near", "B", ("behaviour",), "high", 2), Supply("own", "A", ("behaviour",), "high", 1))
    row = _row(analyse(Inputs((Demand("A", "behaviour", "high", "now", 10),), supply, GEO)))
    assert (row.demand, row.local, row.nearby, row.regional, row.national, row.gap) == (10, 1, 2, 2, 3, 5)


def test_an_area_uses_its_own_places_before_a_neighbour_can_take_them():
    demand = (Demand("A", "behaviour", "high", "now", 4), Demand("B", "behaviour", "high", "now", 4))
    rows = analyse(Inputs(demand, (Supply("b-home", "B", ("behaviour",), "high", 4),), GEO))
    assert _row(rows, area="B").local == 4
    assert (_row(rows, area="A").nearby, _row(rows, area="A").gap) == (0, 4)


@pytest.mark.parametrize("highest, category, counts", [
    ("very_high", "behaviour", True),
    ("high", "behaviour", True),
    ("medium", "behaviour", False),   # below the need's intensity
    ("very_high", "safety", False),   # a category the setting does not list
])
def test_supply_counts_only_at_or_above_the_need_intensity_in_its_category(highest, category, counts):
    rows = analyse(Inputs((Demand("A", "behaviour", "high", "now", 5),),
                          (Supply("s", "A", (category,), highest, 5),), GEO))
    assert _row(rows).local == (5 if counts else 0)
    assert _row(rows).gap == (0 if counts else 5)


def test_horizons_add_up_and_each_is_matched_against_the_same_places():
    demand = (Demand("A", "behaviour", "high", "now", 3), Demand("A", "behaviour", "high", "12_months", 4),
              Demand("A", "behaviour", "high", "3_years", 5))
    rows = analyse(Inputs(demand, (Supply("s", "A", ("behaviour",), "high", 6),), GEO))
    table = {r.horizon: (r.demand, r.local, r.gap) for r in rows}
    assert table == {"now": (3, 3, 0), "12_months": (7, 6, 1), "3_years": (12, 6, 6)}


def test_more_intense_needs_choose_first_within_a_round():
    demand = (Demand("A", "behaviour", "low", "now", 5), Demand("A", "behaviour", "very_high", "now", 5))
    rows = analyse(Inputs(demand, (Supply("s", "A", ("behaviour",), "very_high", 5),), GEO))
    assert _row(rows, intensity="very_high").local == 5
    assert _row(rows, intensity="low").gap == 5


def test_unused_places_show_an_areas_surplus():
    inputs = Inputs((Demand("A", "behaviour", "high", "now", 2),),
                    (Supply("s", "A", ("behaviour",), "high", 9), Supply("t", "D", ("safety",), "low", 4)), GEO)
    assert unused_places(inputs, "now") == {"A": 7, "D": 4}


def test_a_run_is_reproducible_from_its_inputs_and_their_hash():
    demand = (Demand("A", "behaviour", "high", "now", 7), Demand("B", "safety", "medium", "3_years", 5))
    supply = (Supply("s2", "B", ("behaviour", "safety"), "high", 4), Supply("s1", "A", ("safety",), "high", 2))
    first = Inputs(demand, supply, GEO)
    shuffled = Inputs(tuple(reversed(demand)), tuple(reversed(supply)), GEO)
    assert inputs_hash(first) == inputs_hash(shuffled)
    assert analyse(first) == analyse(shuffled)
    assert Inputs.from_canonical(first.canonical()).canonical() == first.canonical()
    assert analyse(Inputs.from_canonical(first.canonical())) == analyse(first)
    changed = Inputs(demand[:1] + (Demand("B", "safety", "medium", "3_years", 6),), supply, GEO)
    assert inputs_hash(changed) != inputs_hash(first)


def test_a_setting_that_fits_one_need_is_used_before_one_that_could_meet_another():
    demand = (Demand("A", "behaviour", "high", "now", 2), Demand("A", "safety", "high", "now", 2))
    for broad, narrow in (("s1", "s2"), ("s2", "s1")):
        supply = (Supply(broad, "A", ("behaviour", "safety"), "high", 2),
                  Supply(narrow, "A", ("behaviour",), "high", 2))
        rows = analyse(Inputs(demand, supply, GEO))
        assert (_row(rows).gap, _row(rows, category="safety").gap) == (0, 0)


def test_an_old_run_is_reproduced_with_the_method_it_was_made_with():
    demand = (Demand("A", "behaviour", "high", "now", 2), Demand("A", "safety", "high", "now", 2))
    supply = (Supply("s1", "A", ("behaviour", "safety"), "high", 2), Supply("s2", "A", ("behaviour",), "high", 2))
    inputs = Inputs(demand, supply, GEO)
    assert _row(analyse(inputs, "1"), category="safety").gap == 2  # the first setting by key went to behaviour
    assert _row(analyse(inputs), category="safety").gap == 0
    assert METHOD_VERSION == "2"


AREAS = st.sampled_from("ABCD")
CATEGORIES = st.sampled_from(["behaviour", "safety", "family"])
INTENSITY = st.sampled_from(["low", "medium", "high", "very_high"])


@given(demand=st.lists(st.builds(Demand, AREAS, CATEGORIES, INTENSITY, st.sampled_from(["now", "12_months"]),
                                 st.integers(0, 12)), max_size=8),
       offers=st.lists(st.tuples(AREAS, st.lists(CATEGORIES, min_size=1, max_size=3, unique=True), INTENSITY,
                                 st.integers(1, 8)), max_size=6),
       names=st.permutations(range(6)))
def test_the_gaps_do_not_depend_on_which_setting_was_entered_first(demand, offers, names):
    """A setting's key carries its database identifier: renaming the settings must not move a single place."""
    def supply(keys):
        return tuple(Supply(f"setting:{k}", area, tuple(cats), intensity, places)
                     for k, (area, cats, intensity, places) in zip(keys, offers))
    first = Inputs(tuple(demand), supply(range(1, 7)), GEO)
    renamed = Inputs(tuple(demand), supply([n + 7 for n in names]), GEO)
    assert analyse(first) == analyse(renamed)
    assert unused_places(first, "now") == unused_places(renamed, "now")
