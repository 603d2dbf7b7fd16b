"""Running the gap analysis: gather the inputs, run the pure method, keep the run and its published form.

Demand comes from the current forecasts and from open need statements that
give an area and a horizon. Where a council has uploaded a forecast, its
forecast stands for its whole demand (it is the council's own count), and
its need statements are not added to it again.
"""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

import trail
from accounts.models import User
from core.clock import utcnow
from core.errors import NotPermitted, RuleViolation
from core.extensions import db
from forum.models import NeedStatement
from sufficiency import policy
from sufficiency.areas import neighbours_by_area, regions_by_area
from sufficiency.gap import (
    METHOD_VERSION,
    SETTING_ORDER,
    Demand,
    Geography,
    Inputs,
    Supply,
    analyse,
    canonical_json,
    inputs_hash,
)
from sufficiency.models import Forecast, GapRun, Setting
from sufficiency.publication import from_json, publish, to_json
from trail import record_refusal


def gather_inputs() -> Inputs:
    forecasts = list(db.session.scalars(select(Forecast).options(selectinload(Forecast.lines))))
    forecast_areas = {line.area_code for f in forecasts for line in f.lines}
    demand = [Demand(line.area_code, line.category, line.intensity, line.horizon, line.count)
              for f in forecasts for line in f.lines]
    needs = db.session.scalars(select(NeedStatement).where(
        NeedStatement.status != "met", NeedStatement.area_code.is_not(None), NeedStatement.horizon.is_not(None))
        .options(selectinload(NeedStatement.items)))
    for need in needs:
        if need.area_code in forecast_areas:
            continue
        demand += [Demand(need.area_code, item.category, item.intensity, need.horizon, item.children,  # type: ignore[arg-type]
                          source=f"need-item:{item.id}")
                   for item in need.items]
    supply = [Supply(f"setting:{s.id}", s.area_code, tuple(s.category_list), s.highest_intensity, s.registered_places)
              for s in db.session.scalars(select(Setting))]
    return Inputs(tuple(demand), tuple(supply), Geography(regions=regions_by_area(), neighbours=neighbours_by_area()))


def run_analysis(actor: User | None, *, name: str, as_of: date | None = None, inputs: Inputs | None = None) -> GapRun:
    """Run and keep the analysis; the audit event carries the method version, as-of date and inputs hash."""
    if actor is not None and not policy.can_run_analysis(actor):
        record_refusal(actor, "sufficiency.analysis_run", "Only commissioners can run the gap analysis")
        raise NotPermitted("Only commissioners can run the gap analysis")
    name = " ".join((name or "").split())
    if not name:
        raise RuleViolation({"name": "Name the run, for example “Spring 2027 sufficiency review”"})
    if len(name) > 200:
        raise RuleViolation({"name": "The name must be 200 characters or fewer"})
    inputs = inputs or gather_inputs()
    as_of = as_of or utcnow().date()
    rows = analyse(inputs)
    published = publish(rows, inputs.geography.regions, inputs.demand)
    digest = inputs_hash(inputs)
    run = GapRun(name=name, method_version=METHOD_VERSION, as_of=as_of, inputs_sha256=digest,
                 inputs_json=canonical_json(inputs.canonical()),
                 results_json=canonical_json([r.__dict__ for r in rows]),
                 published_json=canonical_json(to_json(published)), run_by_id=actor.id if actor else None,
                 created_at=utcnow())
    db.session.add(run)
    db.session.flush()
    trail.record("sufficiency.analysis_run", actor=actor, subject=run, audience="public",
                 summary=f"Gap analysis “{name}” run (method {METHOD_VERSION}, as of {as_of.isoformat()})",
                 payload={"method_version": METHOD_VERSION, "as_of": as_of.isoformat(), "inputs_sha256": digest,
                          "demand_lines": len(inputs.demand), "settings": len(inputs.supply), "rows": len(rows)})
    return run


def reproduce(run: GapRun) -> bool:
    """Recompute a run from its stored inputs, with the method it was made with: True when the hash and every
    row come out the same (False for a method this version of the platform does not know)."""
    inputs = run_inputs(run)
    if run.method_version not in SETTING_ORDER:
        return False
    return (inputs_hash(inputs) == run.inputs_sha256
            and canonical_json([r.__dict__ for r in analyse(inputs, run.method_version)]) == run.results_json)


def latest_run() -> GapRun | None:
    return db.session.scalar(select(GapRun).order_by(GapRun.id.desc()).limit(1))


def published_cubes(run: GapRun):
    return from_json(json.loads(run.published_json))


def run_inputs(run: GapRun) -> Inputs:
    return Inputs.from_canonical(json.loads(run.inputs_json))
