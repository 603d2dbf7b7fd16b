"""A run's inputs and results as canonical JSON, their hashes, and its right-of-reply window in working days.

The inputs hash pins what a run was computed from; the results hash pins
what it computed (every provider's observed, expected, ratio, intervals and
standing, and every cost, before any suppression). Both go into the trail, so
recomputing a run from the trail's copy of its inputs with the same method
version must give the same results hash, or the run was not what it says.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from benchmarking.intervals import Interval
from benchmarking.method import (
    METHOD_VERSION,
    REPLY_WORKING_DAYS,
    Cost,
    Payment,
    Ratio,
    StratumCount,
    costs_by,
    indicator_results,
)
from tenders.workingdays import is_working_day
from trail.chain import canonical_json, sha256_hex

Inputs = tuple[list[StratumCount], list[Payment]]


def encode_inputs(strata: Sequence[StratumCount], payments: Sequence[Payment]) -> dict[str, Any]:
    """The inputs as plain JSON values, in a fixed order so the same inputs always hash the same."""
    rows = sorted((asdict(s) | {"period_end": s.period_end.isoformat()} for s in strata),
                  key=lambda r: (r["indicator"], r["period"], r["contract_id"], r["outcome_id"], r["category"],
                                 r["intensity"], r["age_band"]))
    paid = sorted((asdict(p) | {"paid": str(p.paid)} for p in payments),
                  key=lambda r: (r["period"], r["contract_id"], r["provider_org_id"]))
    return {"strata": rows, "payments": paid}


def decode_inputs(document: dict[str, Any]) -> Inputs:
    strata = [StratumCount(**(row | {"period_end": date.fromisoformat(row["period_end"])}))
              for row in document["strata"]]
    payments = [Payment(**(row | {"paid": Decimal(row["paid"])})) for row in document["payments"]]
    return strata, payments


def hash_of(document: Any) -> str:
    return sha256_hex(canonical_json(document))


def _interval(interval: Interval | None) -> list[float] | None:
    return None if interval is None else [interval.low, interval.high]


def _ratio(r: Ratio) -> dict[str, Any]:
    return {"cohort": r.cohort, "observed": r.observed, "expected": r.expected, "ratio": r.ratio,
            "inner": _interval(r.inner), "outer": _interval(r.outer), "standing": str(r.standing)}


def _cost(c: Cost) -> dict[str, Any]:
    def pair(p: tuple[Decimal, Decimal | None] | None) -> list[str | None] | None:
        return None if p is None else [str(p[0]), None if p[1] is None else str(p[1])]
    return {"paid": str(c.paid), "achieved": c.achieved,
            "per_success": None if c.per_success is None else str(c.per_success),
            "inner": pair(c.inner), "outer": pair(c.outer)}


def results_document(strata: Sequence[StratumCount], payments: Sequence[Payment]) -> dict[str, Any]:
    """Everything the method computes from these inputs, unsuppressed, in a fixed order.

    The inputs are put in their canonical order first: floating-point sums
    depend on the order they are added in, and the same inputs in any order
    must give the same results hash.
    """
    strata, payments = decode_inputs(encode_inputs(strata, payments))
    indicators = [{
        "indicator": unit.indicator, "period": unit.period, "platform_rate": unit.platform_rate,
        "providers": [{"provider_org_id": p.provider_org_id, **_ratio(p.result)} for p in unit.providers],
        "by_type": {kind: _ratio(r) for kind, r in sorted(unit.by_type.items())},
    } for unit in indicator_results(strata)]
    costs = costs_by(payments, lambda p: (p.period, p.provider_org_id))
    return {"method_version": METHOD_VERSION, "indicators": indicators,
            "costs": [{"period": period, "provider_org_id": org, **_cost(cost)}
                      for (period, org), cost in sorted(costs.items())]}


def inputs_json(document: dict[str, Any]) -> str:
    return canonical_json(document)


def parse_inputs_json(text: str) -> dict[str, Any]:
    return json.loads(text)


def reply_closes_on(opened_on: date) -> date:
    """The last day of the right of reply: the tenth working day after the day the provider was shown its result.

    Working days as for the standstill: no weekend, Christmas Day, Good Friday or
    bank holiday in any part of the UK. The figures are published the day after.
    """
    day, counted = opened_on, 0
    while counted < REPLY_WORKING_DAYS:
        day += timedelta(days=1)
        counted += is_working_day(day)
    return day


def reply_open(opens_on: date, closes_on: date, today: date) -> bool:
    return opens_on <= today <= closes_on


def published(closes_on: date, today: date) -> bool:
    """Figures about named providers go public only once the right of reply is over."""
    return today > closes_on
