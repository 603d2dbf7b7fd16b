"""What the public may see of a gap-analysis run: every figure after small-number suppression.

The public page and the API publish the same figures at several levels: each
area's need by category and intensity, an area's totals (the map), a region's
or the country's totals (the heatmap and the source split). A reader could set
any of these against another, so they are suppressed together, as one cube:

- where: each area, its region, the whole country;
- which need: each category x intensity, its category, all needs;
- which figure: the demand, and the gap (the part no place in the
  council's own region can meet).

The part of the need that is met, and how far away, is not published as
counts of children: split that finely nearly every figure is a small one,
and the zeros alone would give each other away. Where supply is comes from
the places instead (`gap.places_by_source`), which describe settings, not
children. Nor is the met part published as demand minus gap, so the two
columns are separate hierarchies: neither can be worked out from the other.

Every sum in the cube (an area's categories adding up to its total, areas to
their region) is a line for `core.disclosure`, so a hidden figure stays
hidden however the published ones are combined.

The gap is published for each council only, not added up over a region or
the country: most councils have no gap for most needs, and a region's total
beside them would give away their zeros (so hide nearly everything). Demand
is published at every level. An
area x need with no demand at all is not in the cube, and is not published.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from core.disclosure import Figure, Hidden, is_small, suppress_lines
from sufficiency.gap import METHOD_VERSION, Demand, GapRow, Inputs, unused_places
from sufficiency.vocabulary import HORIZONS

SOURCES = ("gap",)
DEMAND = "demand"
COLUMNS = SOURCES + (DEMAND,)
ALL = "*"

# A place in the cube: (where, which need, which figure). `where` is ("area", code), ("region", name) or
# ("all",); `need` is ("need", category, intensity), ("category", category) or ("all",).
Where = tuple[str, ...]
Need = tuple[str, ...]
Key = tuple[Where, Need, str]


@dataclass(frozen=True)
class Cube:
    """One horizon's published figures."""

    figures: Mapping[Key, Figure]

    def get(self, where: Where, need: Need, column: str) -> Figure | None:
        return self.figures.get((where, need, column))


def _where_parents(area: str, regions: Mapping[str, str]) -> list[Where]:
    return [("area", area), ("region", regions.get(area, "")), ("all",)]


def _need_parents(category: str, intensity: str) -> list[Need]:
    return [("need", category, intensity), ("category", category), ("all",)]


def build_cube(rows: Iterable[GapRow], regions: Mapping[str, str], parts: Iterable[Demand] = ()) -> Cube:
    """Sum the rows of one horizon into every level, then suppress all levels at once.

    `parts` are the demand counts of this horizon published one by one elsewhere
    (each need statement's needs, on its page and in OCDS, with primary
    suppression only). An area's need is their sum, so each such sum is one
    more line: a need hidden there stays hidden here, whatever the cube shows.
    """
    values: dict[Key, int] = defaultdict(int)
    where_children: dict[Where, set[Where]] = defaultdict(set)
    need_children: dict[Need, set[Need]] = defaultdict(set)
    for row in rows:
        wheres = _where_parents(row.area, regions)
        needs = _need_parents(row.category, row.intensity)
        for child, parent in pairwise(wheres):
            where_children[parent].add(child)
        for child, parent in pairwise(needs):
            need_children[parent].add(child)
        figures = {"gap": row.gap, DEMAND: row.demand}
        for where in wheres:
            for need in needs:
                for column, value in figures.items():
                    if column == "gap" and where[0] != "area":
                        continue  # gaps are published council by council only (see the module's docstring)
                    values[(where, need, column)] += value
    # A level with one member says the same as that member (a region with one council in the view): it
    # is the same figure, so it shares the member's place in the cube rather than adding a line of its own.
    def same_as(node: tuple, children: Mapping[tuple, set[tuple]]) -> tuple:
        while len(children.get(node, ())) == 1:
            node = next(iter(children[node]))
        return node

    def canonical(key: Key) -> Key:
        return (same_as(key[0], where_children), same_as(key[1], need_children), key[2])

    # Each published part: its own key, in the line of the area's need it adds up to.
    part_values: dict[Key, int] = {}
    parts_of: dict[Key, list[Key]] = defaultdict(list)
    for part in parts:
        if not part.source or part.count <= 0:
            continue
        part_need: Need = ("need", part.category, part.intensity)
        key = (("part", part.source), part_need, DEMAND)
        part_values[key] = part.count
        parts_of[(("area", part.area), part_need, DEMAND)].append(key)

    by_key: dict[Key, Figure] = {}
    for figure_column in COLUMNS:  # separate hierarchies: suppressed one at a time
        keys = sorted({canonical(k) for k in values if k[2] == figure_column})
        published_parts = sorted(part_values) if figure_column == DEMAND else []
        index = {key: i for i, key in enumerate(keys + published_parts)}
        lines: list[list[int]] = []
        for (where, need, column) in keys:
            total = index[(where, need, column)]
            for children in (
                    [index[canonical((w, need, column))] for w in sorted(where_children.get(where, ()))
                     if (w, need, column) in values],
                    [index[canonical((where, n, column))] for n in sorted(need_children.get(need, ()))
                     if (where, n, column) in values]):
                # One member present here (a category with one intensity in this council) still makes a
                # line: the two figures are equal, so they must be hidden alike.
                if children and children != [total]:
                    lines.append(children + [total])
        if figure_column == DEMAND:
            for cell, members in parts_of.items():
                lines.append([index[m] for m in sorted(members)] + [index[canonical(cell)]])
        if keys:
            suppressed = suppress_lines([values[k] for k in keys] + [part_values[k] for k in published_parts],
                                        lines, fixed=range(len(keys), len(keys) + len(published_parts)))
            by_key.update(zip(keys, suppressed))
    return Cube({key: by_key[canonical(key)] for key in values})


def publish(rows: Sequence[GapRow], regions: Mapping[str, str], demand: Iterable[Demand] = ()) -> dict[str, Cube]:
    """Every horizon's cube. A horizon's need includes the nearer horizons' (gap._cumulative), and so do its
    published parts."""
    order = list(HORIZONS)
    demand = list(demand)
    return {h: build_cube([r for r in rows if r.horizon == h], regions,
                          [d for d in demand if order.index(d.horizon) <= order.index(h)]) for h in HORIZONS}


def to_json(cubes: Mapping[str, Cube]) -> dict:
    """A plain form to store with the run: [where, need, column, value or null, why hidden or null]."""
    return {h: [[list(w), list(n), c, f.shown, f.hidden.value if f.hidden else None]
                for (w, n, c), f in sorted(cube.figures.items())] for h, cube in cubes.items()}


def from_json(data: Mapping) -> dict[str, Cube]:
    cubes = {}
    for horizon, entries in data.items():
        figures = {}
        for where, need, column, shown, hidden in entries:
            kind = Hidden(hidden) if hidden else None
            # A hidden figure's true value is not stored in the published form: 0 stands in, never shown.
            figures[(tuple(where), tuple(need), column)] = Figure(shown if shown is not None else 0, kind)
        cubes[horizon] = Cube(figures)
    return cubes


def spare_places(inputs: Inputs, horizon: str, method_version: str = METHOD_VERSION) -> dict[str, Figure]:
    """Each area's places that no need at this horizon uses, hidden where they would count children.

    A setting's places are public, so an area's spare places give away its
    places less the spare: the children matched into its settings. The spare
    figure is published only where that count of children is not a small one
    (zero included), and is otherwise "suppressed".
    """
    places: dict[str, int] = defaultdict(int)
    for supply in inputs.supply:
        places[supply.area] += supply.places
    return {area: Figure(spare, Hidden.PROTECTS if is_small(places[area] - spare) else None)
            for area, spare in unused_places(inputs, horizon, method_version).items()}
