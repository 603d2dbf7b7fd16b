"""The gap analysis in the JSON API (GET /api/v1/sufficiency, and .csv): the public figures, suppressed.

Each row is one area x category x intensity x horizon of the latest run, with
the same figures the /sufficiency page shows: demand and gap count children
and are suppressed (a hidden one is null, and `suppressed` says the row has
one); supply is registered places at each distance, which describe settings.
"""
from __future__ import annotations

import csv
import io
from typing import Any

from flask import Response

from core.api import ApiRoutes, json_response
from core.openapi import INTEGER, TEXT, Param, nullable, operation, schema
from core.text import csv_cell
from core.vocabulary import REGIONS
from sufficiency import analysis
from sufficiency.areas import all_areas
from sufficiency.gap import places_by_source
from sufficiency.publication import DEMAND
from sufficiency.vocabulary import HORIZONS, INTENSITIES, NEED_CATEGORIES, Source

TAG = "Sufficiency"
routes = ApiRoutes()  # added to the API blueprint by the app factory
FIELDS = ("area_code", "area_name", "region", "category", "intensity", "horizon", "demand", "supply_local",
          "supply_nearby", "supply_regional", "gap", "suppressed")
PLACES = {**INTEGER, "description": "Registered places (not children) in settings that meet this need, at this "
                                    "distance: the council's own area, its neighbours, the rest of its region."}
COUNT = nullable({**INTEGER, "description": "Null when hidden: under 5, or suppressed so a small one can't be "
                                            "worked out."})
schema("SufficiencyRow", {"type": "object", "required": list(FIELDS), "properties": {
    "area_code": TEXT, "area_name": TEXT, "region": TEXT, "category": {"type": "string", "enum": list(NEED_CATEGORIES)},
    "intensity": {"type": "string", "enum": list(INTENSITIES)}, "horizon": {"type": "string", "enum": list(HORIZONS)},
    "demand": COUNT, "supply_local": PLACES, "supply_nearby": PLACES, "supply_regional": PLACES,
    "gap": {**COUNT, "description": "Children whose need no place in their own region can meet. "
                                    "Null when hidden."}, "suppressed": {"type": "boolean"}}})
schema("Sufficiency", {"type": "object", "required": ["run", "items"], "properties": {
    "run": nullable({"type": "object", "properties": {
        "id": INTEGER, "name": TEXT, "as_of": {"type": "string", "format": "date"}, "method_version": TEXT,
        "inputs_sha256": TEXT}}),
    "items": {"type": "array", "items": {"$ref": "#/components/schemas/SufficiencyRow"}}}})

PARAMS = (Param("region", "Only councils in this region.", enum=tuple(REGIONS)),
          Param("council", "Only this council (its GSS code).", max_length=12),
          Param("category", "Only this need category.", enum=tuple(NEED_CATEGORIES)),
          Param("horizon", "Only this horizon.", enum=tuple(HORIZONS)))


def rows(query: dict[str, Any]) -> tuple[Any, list[dict[str, Any]]]:
    run = analysis.latest_run()
    if run is None:
        return None, []
    areas = {a.code: a for a in all_areas()}
    inputs = analysis.run_inputs(run)
    found = []
    for horizon, cube in analysis.published_cubes(run).items():
        if query.get("horizon") and horizon != query["horizon"]:
            continue
        for (where, need, column), figure in sorted(cube.figures.items()):
            if where[0] != "area" or need[0] != "need" or column != DEMAND:
                continue
            area = areas.get(where[1])
            region = area.region if area else ""
            if (query.get("region") and region != query["region"]) or \
                    (query.get("council") and where[1] != query["council"]) or \
                    (query.get("category") and need[1] != query["category"]):
                continue
            gap = cube.get(where, need, "gap")
            places = places_by_source(inputs, where[1], [need[1]], need[2])
            found.append({
                "area_code": where[1], "area_name": area.name if area else where[1], "region": region,
                "category": need[1], "intensity": need[2], "horizon": horizon, "demand": figure.shown,
                "supply_local": places[Source.LOCAL], "supply_nearby": places[Source.NEARBY],
                "supply_regional": places[Source.REGIONAL], "gap": gap.shown if gap else None,
                "suppressed": figure.is_hidden or gap is None or gap.is_hidden})
    return run, found


@routes.get("/sufficiency")
@operation(summary="Demand, supply and gaps by council, need and horizon (suppressed)", response="Sufficiency",
           tag=TAG, params=PARAMS)
def sufficiency(query: dict[str, Any]) -> Response:
    """The latest gap-analysis run's public figures."""
    run, found = rows(query)
    return json_response({"run": None if run is None else {
        "id": run.id, "name": run.name, "as_of": run.as_of.isoformat(), "method_version": run.method_version,
        "inputs_sha256": run.inputs_sha256}, "items": found})


@routes.get("/sufficiency.csv")
@operation(summary="The same figures as CSV", response="Sufficiency", tag=TAG, params=PARAMS, media_type="text/csv")
def sufficiency_csv(query: dict[str, Any]) -> Response:
    """One line per row of GET /api/v1/sufficiency; a hidden figure is an empty cell."""
    _, found = rows(query)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in found:
        writer.writerow(
            {k: csv_cell(str(v).lower() if isinstance(v, bool) else v) for k, v in row.items()}
        )
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="sufficiency.csv"'})
