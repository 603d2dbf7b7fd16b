"""OCDS `planning.forecasts` (Metrics extension) from the need statements a procurement answers.

Each linked need statement is one metric; each of its needs (category x
intensity x frequency) one observation whose measure is the number of
children with that need, passed through the small-number rule like every
published count: under 5 it reads "fewer than 5". The council area and the
horizon are dimensions, so a reader can join the forecast to the
sufficiency figures.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.disclosure import suppress_count
from forum.models import HORIZONS, NeedStatement

METRICS_EXTENSION = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_metric_extension/v1.1/extension.json"


def need_forecasts(needs: Iterable[NeedStatement]) -> list[dict[str, Any]]:
    forecasts = []
    for need in needs:
        observations = []
        for item in need.items:
            figure = suppress_count(item.children)
            dimensions = {"needCategory": item.category, "intensity": item.intensity, "frequency": item.frequency}
            if need.area_code:
                dimensions["areaCode"] = need.area_code
            if need.horizon:
                dimensions["horizon"] = need.horizon
            observations.append({
                "id": f"need-{need.id}-{item.id}",
                "measure": figure.shown if figure.shown is not None else figure.label,
                "unit": {"name": "children"},
                "dimensions": dimensions,
                "notes": item.label})
        forecasts.append(
            {
                "id": f"need-{need.id}",
                "title": need.title,
                "description": "Children whose needs this procurement answers "
                f"({HORIZONS.get(need.horizon or '', 'no horizon given').lower()}).",
                "observations": observations,
            }
        )
    return forecasts
