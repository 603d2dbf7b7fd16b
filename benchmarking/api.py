"""Published benchmarks in the JSON API: GET /api/v1/benchmarks (and .csv) and /api/v1/benchmarks/method.

The same figures as the /benchmarks page: the latest run whose right of
reply is over, suppressed, named providers only under the naming rule.
"""
from __future__ import annotations

import csv
import io
from typing import Any

from flask import Response

from benchmarking import presenters, queries
from benchmarking.intervals import Interval
from benchmarking.method_document import method_document
from benchmarking.publication import PublishedRow
from benchmarking.report import Filters, report_of
from core.api import ApiRoutes, json_response
from core.clock import utcnow
from core.disclosure import Figure
from core.openapi import INTEGER, TEXT, Param, nullable, operation, ref, schema
from core.text import csv_cell
from core.urls import external_url
from tenders.models import CATEGORIES
from tenders.workingdays import uk_date

TAG = "Benchmarks"
routes = ApiRoutes()  # added to the API blueprint by the app factory

schema("BenchmarkCount", {"type": "object", "required": ["value", "label"], "properties": {
    "value": nullable({"type": "integer", "description": "Null when hidden by small-number suppression."}),
    "label": TEXT}})
INTERVAL = nullable({"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2})
schema("BenchmarkRow", {"type": "object", "required": ["label", "provider_org_id", "provider_type", "cohort",
                                                       "achieved", "not_achieved", "observed_over_expected"],
                        "properties": {
    "label": TEXT, "provider_org_id": nullable(INTEGER), "provider_type": TEXT, "providers": INTEGER,
    "cohort": ref("BenchmarkCount"), "achieved": ref("BenchmarkCount"), "not_achieved": ref("BenchmarkCount"),
    "expected": nullable({"type": "number"}), "observed_over_expected": nullable({"type": "number"}),
    "interval_95": INTERVAL, "interval_99_8": INTERVAL,
    "standing": nullable({"type": "string", "enum": ["within expected", "above expected", "below expected"]}),
    "reply": nullable(TEXT), "url": nullable({"type": "string", "format": "uri"})}})
schema("BenchmarkIndicator", {"type": "object", "required": ["indicator", "period", "rows", "by_type", "total"],
                              "properties": {
    "indicator": TEXT, "period": TEXT, "platform_rate": {"type": "number"}, "comparators": INTEGER,
    "rows": {"type": "array", "items": ref("BenchmarkRow")},
    "by_type": {"type": "array", "items": ref("BenchmarkRow")}, "total": ref("BenchmarkRow")}})
schema("BenchmarkCost", {"type": "object", "required": ["label", "achieved"], "properties": {
    "label": TEXT, "provider_org_id": nullable(INTEGER), "provider_type": TEXT, "achieved": ref("BenchmarkCount"),
    "per_success": nullable(TEXT), "interval_95": nullable({"type": "array", "items": nullable(TEXT)}),
    "interval_99_8": nullable({"type": "array", "items": nullable(TEXT)})}})
schema("Benchmarks", {"type": "object", "required": ["run", "period", "periods", "indicators", "costs"],
                      "properties": {
    "run": nullable({"type": "object", "properties": {
        "id": INTEGER, "method_version": TEXT, "inputs_hash": TEXT, "results_hash": TEXT,
        "reply_closed_on": {"type": "string", "format": "date"}}}),
    "period": nullable(TEXT), "periods": {"type": "array", "items": TEXT},
    "indicators": {"type": "array", "items": ref("BenchmarkIndicator")},
    "costs": {"type": "array", "items": ref("BenchmarkCost")},
    "method": {"type": "string", "format": "uri"}}})
schema("BenchmarkMethod", {"type": "object", "required": ["method_version", "parameters", "sections"], "properties": {
    "method_version": TEXT, "parameters": {"type": "object"},
    "sections": {"type": "array", "items": {"type": "object", "properties": {"title": TEXT, "text": TEXT}}}}})

FILTERS = (
    Param("category", "Only providers with contracts of this category on the outcome.", enum=tuple(CATEGORIES)),
    Param("region", "Only providers with contracts in this region on the outcome (exact name).", max_length=100),
    Param("period", "The period, e.g. 2026-Q3 (default: the latest).", max_length=20),
)


def _count(figure: Figure) -> dict[str, Any]:
    return {"value": figure.shown, "label": figure.label}


def _interval(interval: Interval | None) -> list[float] | None:
    return None if interval is None else [round(interval.low, 4), round(interval.high, 4)]


def _row(row: PublishedRow, replies: dict) -> dict[str, Any]:
    reply = replies.get(row.provider_org_id) if row.provider_org_id is not None else None
    return {"label": row.label, "provider_org_id": row.provider_org_id, "provider_type": row.provider_type,
            "providers": row.providers, "cohort": _count(row.cohort), "achieved": _count(row.achieved),
            "not_achieved": _count(row.not_achieved),
            "expected": None if row.expected is None else round(row.expected, 2),
            "observed_over_expected": None if row.ratio is None else round(row.ratio, 4),
            "interval_95": _interval(row.inner), "interval_99_8": _interval(row.outer),
            "standing": None if row.standing is None else str(row.standing),
            "reply": reply.note if reply else None,
            "url": external_url("benchmarks.provider", org_id=row.provider_org_id)
            if row.provider_org_id is not None else None}


def benchmarks_document(query: dict[str, Any]) -> dict[str, Any]:
    run = queries.latest_published_run(uk_date(utcnow()))
    document: dict[str, Any] = {"run": None, "period": None, "periods": [], "indicators": [], "costs": [],
                                "method": external_url("api.benchmarks_method")}
    if run is None:
        return document
    report = report_of(run)
    filters = Filters(category=query.get("category"), region=query.get("region"), period=query.get("period"))
    replies = queries.replies_to(run)
    period = filters.period or report.latest_period
    document.update({
        "run": {"id": run.id, "method_version": run.method_version, "inputs_hash": run.inputs_hash,
                "results_hash": run.results_hash, "reply_closed_on": run.reply_closes_on.isoformat()},
        "period": period, "periods": list(report.periods),
        "indicators": [{"indicator": table.indicator, "period": table.period,
                        "platform_rate": round(table.platform_rate, 4), "comparators": table.comparators,
                        "rows": [_row(r, replies) for r in list(rows) + list(table.others)],
                        "by_type": [_row(r, {}) for r in table.by_type], "total": _row(table.total, {})}
                       for table, rows in report.tables(filters)],
        "costs": [{"label": c.label, "provider_org_id": c.provider_org_id, "provider_type": c.provider_type,
                   "achieved": _count(c.achieved),
                   "per_success": None if c.cost is None or c.cost.per_success is None else str(c.cost.per_success),
                   "interval_95": _money_pair(c.cost.inner if c.cost else None),
                   "interval_99_8": _money_pair(c.cost.outer if c.cost else None)}
                  for c in report.costs(period)],
    })
    return document


def _money_pair(pair) -> list[str | None] | None:
    return None if pair is None else [str(pair[0]), None if pair[1] is None else str(pair[1])]


@routes.get("/benchmarks")
@operation(summary="Published provider benchmarks", response="Benchmarks", tag=TAG, params=FILTERS)
def benchmarks(query: dict[str, Any]) -> Response:
    """Observed against expected for every named provider on every outcome in a period, the other providers in
    totals by type, and cost per successful outcome; counts suppressed under 5. Providers alphabetically."""
    return json_response(benchmarks_document(query))


CSV_HEADERS = ("period", "indicator", "row", "provider_org_id", "provider_type", "children", "achieved",
               "did_not_achieve", "expected", "observed_over_expected", "interval_95_low", "interval_95_high",
               "interval_99_8_low", "interval_99_8_high", "standing", "reply")


@routes.get("/benchmarks.csv")
@operation(summary="Published provider benchmarks as CSV", tag=TAG, params=FILTERS,
           response="CSV: one line per provider, other-providers row, provider type and total, as GET /benchmarks.",
           media_type="text/csv")
def benchmarks_csv(query: dict[str, Any]) -> Response:
    """The rows of GET /benchmarks, one line per provider or total; hidden counts are empty with their label."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADERS)
    for indicator in benchmarks_document(query)["indicators"]:
        for row in indicator["rows"] + indicator["by_type"] + [indicator["total"]]:
            intervals = (row["interval_95"] or [None, None]) + (row["interval_99_8"] or [None, None])
            writer.writerow([csv_cell(value) for value in (
                indicator["period"], indicator["indicator"], row["label"], row["provider_org_id"],
                row["provider_type"], row["cohort"]["label"], row["achieved"]["label"], row["not_achieved"]["label"],
                row["expected"], row["observed_over_expected"], *intervals, row["standing"] or presenters.HIDDEN,
                row["reply"] or "")])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="benchmarks.csv"'})


@routes.get("/benchmarks/method")
@operation(summary="How the benchmarks are made", response="BenchmarkMethod", tag=TAG)
def benchmarks_method(query: dict[str, Any]) -> Response:
    """The method version, its parameters and what each step does and why."""
    return json_response(method_document())
