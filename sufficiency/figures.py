"""The pictures and tables of the public sufficiency view, drawn from a run's published (suppressed) figures.

Nothing here sees an unsuppressed count: it reads the cube stored with the
run after `core.disclosure` has done its work, so every picture and table
says the same as the API.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.charts import Chart, bar_chart
from core.disclosure import Figure, Hidden
from sufficiency.gap import Inputs, places_by_region, places_by_source
from sufficiency.publication import DEMAND, Cube, Need, Where
from sufficiency.vocabulary import (
    HORIZONS,
    INTENSITIES,
    NEED_CATEGORIES,
    SOURCE_LABELS,
    Source,
)


@dataclass(frozen=True)
class Tile:
    """One council on the grid: its gap, and the band that colours it."""

    code: str
    name: str
    region: str
    demand: Figure
    gap: Figure
    band: str  # "gap" | "some-gap" | "met" | "hidden"
    band_label: str
    spare_places: Figure | None  # places in the council no need at this horizon uses (publication.spare_places)


@dataclass(frozen=True)
class HeatCell:
    demand: Figure
    gap: Figure | None  # None above council level: gaps are published council by council
    band: str
    band_label: str


def _band(demand: Figure | None, gap: Figure | None) -> tuple[str, str]:
    if demand is None:
        return "none", "No need recorded"
    if gap is None:
        return "none", "Gap shown for each council"
    if gap.hidden is Hidden.SMALL:
        return "met", "Fewer than 5 children without a place in the region"
    if gap.is_hidden or demand.is_hidden:
        return "hidden", "Figures too small to show"
    if demand.value and gap.value / demand.value >= 0.5:
        return "gap", "Half or more of the need unmet"
    return "some-gap", "Some need unmet"


def need_node(category: str | None) -> Need:
    return ("category", category) if category else ("all",)


def where_node(region: str | None, area: str | None) -> Where:
    if area:
        return ("area", area)
    if region:
        return ("region", region)
    return ("all",)


def tiles(cube: Cube, areas: dict[str, tuple[str, str]], category: str | None, region: str | None,
          spare: dict[str, Figure]) -> list[Tile]:
    """Every council in the view (areas: code -> (name, region)), by region then name, with its spare places."""
    need = need_node(category)
    found = []
    for code, (name, area_region) in sorted(areas.items(), key=lambda a: (a[1][1], a[1][0])):
        if region and area_region != region:
            continue
        demand = cube.get(("area", code), need, DEMAND)
        gap = cube.get(("area", code), need, "gap")
        if demand is None:
            continue
        band, label = _band(demand, gap)
        found.append(Tile(code, name, area_region, demand, gap, band, label,  # type: ignore[arg-type]
                          spare.get(code)))
    return found


def heatmap(cube: Cube, where: Where, category: str | None) -> list[tuple[str, list[HeatCell | None]]]:
    """Rows of need categories, columns of intensities: demand against what supply leaves unmet."""
    rows = []
    for key, label in NEED_CATEGORIES.items():
        if category and key != category:
            continue
        cells: list[HeatCell | None] = []
        for intensity in INTENSITIES:
            demand = cube.get(where, ("need", key, intensity), DEMAND)
            gap = cube.get(where, ("need", key, intensity), "gap")
            if demand is None:
                cells.append(None)
                continue
            band, band_label = _band(demand, gap)
            cells.append(HeatCell(demand, gap, band, band_label))
        if any(cells):
            rows.append((label, cells))
    return rows


def source_split(inputs: Inputs, area: str | None, category: str | None, horizon: str) -> Chart:
    """Where the places are that could meet the need in view: by distance from a chosen council, else by region.

    Places describe settings, not children, so they are shown as they are.
    """
    categories = [category] if category else list(NEED_CATEGORIES)
    need_label = NEED_CATEGORIES[category].lower() if category else "any need"
    if area:
        places = places_by_source(inputs, area, categories)
        labels = [SOURCE_LABELS[s] for s in Source]
        values = [places[s] for s in Source]
        heading = "Where"
    else:
        by_region = places_by_region(inputs, categories)
        labels, values, heading = list(by_region), list(by_region.values()), "Region"
    return bar_chart(
        f"Registered places for {need_label}", labels, {"Registered places": values},
        alt=f"Bar chart of the registered places that can meet {need_label}, by {heading.lower()}; the figures "
            "are in the table that follows.",
        x_heading=heading, y_title="Places",
        notes=(f"Places in settings that meet {need_label}, whatever their vacancies; a place may suit several "
               "needs. Needed by: " + HORIZONS[horizon].lower() + ".",))
