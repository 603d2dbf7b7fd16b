"""The gap analysis: a pure function from demand, supply and geography to gaps, nearest supply first.

Nothing here reads the database or the clock, so a run is reproducible: the
same inputs (and `inputs_hash` says whether they are the same) give the same
rows. The method has a version; any change to how places are matched must
bump METHOD_VERSION, so an old run is never mistaken for the new method.

Method (version 2):

- Demand is counted per area x category x intensity x horizon. Horizons add
  up: what is needed "within 12 months" includes what is needed now, since
  both must be met by then.
- Supply is a setting's registered places (public, unlike vacancies, so the
  published analysis can never reveal a provider's vacancies). A setting can
  meet a need only if it lists the need's category and its highest intensity
  is at or above the need's.
- Matching is nearest first, in rounds: every area first takes places in its
  own area, then in its neighbours, then elsewhere in its region, then
  anywhere. Within a round, the most intense needs choose first (they fit
  fewer settings), then areas and categories in code order. Each takes the
  settings that fit it most narrowly first: fewest categories, then lowest
  highest intensity, so a setting that could also meet another need is kept
  for it. A place used once is used up, within one horizon; each horizon is
  matched afresh against the same places.
- The gap is the demand no place in the council's own region can meet:
  those children would be placed far from home, or not at all. `national`
  says how much of the gap places elsewhere in the country could take; it is
  kept with the run but not published, since the gap already counts them.

Version 1 took settings in order of their key. The key carries the
database's identifier, so two councils with the same settings could get
different gaps depending on which was entered first: version 2 orders by what
a setting offers, and settings that offer the same are interchangeable. Old
runs are reproduced with the method they were made with.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field

from sufficiency.vocabulary import HORIZONS, INTENSITY_RANK, Source

METHOD_VERSION = "2"


@dataclass(frozen=True)
class Demand:
    area: str
    category: str
    intensity: str
    horizon: str
    count: int
    # What a count published on its own stands for ("need-item:12" for a need statement's need), or "" for a
    # forecast line, which is never published line by line. Publication only: the method never reads it.
    source: str = ""


@dataclass(frozen=True)
class Supply:
    key: str  # a stable identifier of the setting, e.g. "setting:12"
    area: str
    categories: tuple[str, ...]
    highest_intensity: str
    places: int

    def covers(self, category: str, intensity: str) -> bool:
        return category in self.categories and INTENSITY_RANK[self.highest_intensity] >= INTENSITY_RANK[intensity]


@dataclass(frozen=True)
class Geography:
    regions: Mapping[str, str]  # area code -> region
    neighbours: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # area -> its neighbours

    def source(self, need_area: str, supply_area: str) -> Source:
        if supply_area == need_area:
            return Source.LOCAL
        if supply_area in self.neighbours.get(need_area, ()):
            return Source.NEARBY
        if self.regions.get(supply_area) is not None and self.regions.get(supply_area) == self.regions.get(need_area):
            return Source.REGIONAL
        return Source.NATIONAL


@dataclass(frozen=True)
class GapRow:
    area: str
    category: str
    intensity: str
    horizon: str
    demand: int
    local: int
    nearby: int
    regional: int
    national: int
    gap: int


@dataclass(frozen=True)
class Inputs:
    demand: tuple[Demand, ...]
    supply: tuple[Supply, ...]
    geography: Geography

    def canonical(self) -> dict:
        """A plain, ordered form of the inputs: what is hashed and stored with a run."""
        return {
            "method_version": METHOD_VERSION,
            "demand": sorted([_without_empty_source(asdict(d)) for d in self.demand],
                             key=lambda d: tuple(map(str, d.values()))),
            "supply": sorted([{**asdict(s), "categories": sorted(s.categories)} for s in self.supply],
                             key=lambda s: s["key"]),
            "regions": dict(sorted(self.geography.regions.items())),
            "neighbours": {a: sorted(n) for a, n in sorted(self.geography.neighbours.items()) if n},
        }

    @classmethod
    def from_canonical(cls, data: Mapping) -> Inputs:
        return cls(
            demand=tuple(Demand(**d) for d in data["demand"]),
            supply=tuple(Supply(**{**s, "categories": tuple(s["categories"])}) for s in data["supply"]),
            geography=Geography(regions=dict(data["regions"]),
                                neighbours={a: tuple(n) for a, n in data["neighbours"].items()}))


def _without_empty_source(demand: dict) -> dict:
    """A forecast line's canonical form has no source key, as before sources were kept: old runs hash the same."""
    return {k: v for k, v in demand.items() if k != "source" or v}


def canonical_json(data: object) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def inputs_hash(inputs: Inputs) -> str:
    """SHA-256 of the canonical inputs: two runs with the same hash had exactly the same inputs."""
    return hashlib.sha256(canonical_json(inputs.canonical()).encode("utf-8")).hexdigest()


def _cumulative(demand: Iterable[Demand]) -> dict[tuple[str, str, str, str], int]:
    """Demand per area, category, intensity and horizon, each horizon including the nearer ones."""
    order = list(HORIZONS)
    totals: dict[tuple[str, str, str, str], int] = defaultdict(int)
    for d in demand:
        if d.count <= 0:
            continue
        for horizon in order[order.index(d.horizon):]:
            totals[(d.area, d.category, d.intensity, horizon)] += d.count
    return totals


@dataclass
class _Matched:
    met: dict[tuple[str, str, str, str], dict[Source, int]]
    drawn: dict[str, int]  # places used, by the area they are in


def _narrowest_first(supply: Supply) -> tuple:
    """A setting that meets fewer needs is used before one that could also meet others; the rest of the key
    only makes the order total (settings equal up to their key are interchangeable)."""
    return (len(supply.categories), INTENSITY_RANK[supply.highest_intensity], supply.area,
            tuple(sorted(supply.categories)), supply.places, supply.key)


# How each method version orders the settings a need may take (see the module's docstring).
SETTING_ORDER: dict[str, Callable[[Supply], tuple]] = {
    "1": lambda supply: (supply.key,),
    "2": _narrowest_first,
}


def _match(inputs: Inputs, totals: Mapping[tuple[str, str, str, str], int], horizon: str,
           method_version: str) -> _Matched:
    """One horizon's matching, in rounds from the nearest source to the farthest."""
    cells = sorted((k for k in totals if k[3] == horizon), key=lambda k: (-INTENSITY_RANK[k[2]], k[0], k[1]))
    settings = sorted(inputs.supply, key=SETTING_ORDER[method_version])
    remaining = {s.key: s.places for s in settings}
    matched = _Matched(met={k: defaultdict(int) for k in cells}, drawn=defaultdict(int))
    wanted = {k: totals[k] for k in cells}
    for source in Source:
        for cell in cells:
            area, category, intensity, _ = cell
            for supply in settings:
                if wanted[cell] <= 0:
                    break
                if remaining[supply.key] <= 0 or not supply.covers(category, intensity):
                    continue
                if inputs.geography.source(area, supply.area) is not source:
                    continue
                taken = min(wanted[cell], remaining[supply.key])
                remaining[supply.key] -= taken
                wanted[cell] -= taken
                matched.met[cell][source] += taken
                matched.drawn[supply.area] += taken
    return matched


def analyse(inputs: Inputs, method_version: str = METHOD_VERSION) -> list[GapRow]:
    """Match demand to supply nearest first; one row per area x category x intensity x horizon with demand.

    `method_version` is the current method unless an old run is being reproduced."""
    totals = _cumulative(inputs.demand)
    rows: list[GapRow] = []
    for horizon in HORIZONS:
        met = _match(inputs, totals, horizon, method_version).met
        for cell in sorted(met):
            got = met[cell]
            rows.append(GapRow(area=cell[0], category=cell[1], intensity=cell[2], horizon=horizon,
                               demand=totals[cell], local=got[Source.LOCAL], nearby=got[Source.NEARBY],
                               regional=got[Source.REGIONAL], national=got[Source.NATIONAL],
                               gap=totals[cell] - got[Source.LOCAL] - got[Source.NEARBY] - got[Source.REGIONAL]))
    return rows


def unused_places(inputs: Inputs, horizon: str, method_version: str = METHOD_VERSION) -> dict[str, int]:
    """Places in each area that no need at this horizon uses: the area's surplus (0 when all are used)."""
    places: dict[str, int] = defaultdict(int)
    for s in inputs.supply:
        places[s.area] += s.places
    drawn = _match(inputs, _cumulative(inputs.demand), horizon, method_version).drawn
    return {area: places[area] - drawn.get(area, 0) for area in sorted(places)}


def places_by_source(inputs: Inputs, area: str, categories: Iterable[str], intensity: str | None = None
                     ) -> dict[Source, int]:
    """Registered places that could meet a need of this council, by how far away they are (no matching).

    Places describe settings, not children: they are public on each setting's
    page, so they are published as they are. A setting that meets any of the
    categories (at or above the intensity, if given) counts once.
    """
    wanted = set(categories)
    found = {source: 0 for source in Source}
    for s in inputs.supply:
        if not wanted & set(s.categories):
            continue
        if intensity is not None and not any(s.covers(c, intensity) for c in wanted):
            continue
        found[inputs.geography.source(area, s.area)] += s.places
    return found


def places_by_region(inputs: Inputs, categories: Iterable[str]) -> dict[str, int]:
    """Registered places meeting any of the categories, by region."""
    wanted = set(categories)
    found: dict[str, int] = defaultdict(int)
    for s in inputs.supply:
        if wanted & set(s.categories):
            found[inputs.geography.regions.get(s.area, "Unknown")] += s.places
    return dict(sorted(found.items()))
