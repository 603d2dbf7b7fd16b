"""Prometheus metrics: request latency by endpoint, the job queue's depth and the outbox's backlog.

Under gunicorn each worker is its own process, so counts are kept the
prometheus-client multiprocess way: gunicorn.conf.py points
PROMETHEUS_MULTIPROC_DIR at an empty folder before any worker starts, each
worker writes its samples there, and /metrics adds them up. Without that
variable (a single process: `flask run`, tests) the ordinary registry is used.

The gauges are read when /metrics is scraped, from the queue and (through
collectors that higher layers register, such as the outbox's backlog) the
database, so every worker reports the same truth and nothing has to keep
them up to date.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator

from flask import Flask, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from werkzeug.wrappers import Response

REQUEST_SECONDS = Histogram(
    "commons_request_seconds", "Time to answer a request, by endpoint, method and status class.",
    ["endpoint", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


# Functions that yield gauges measured at scrape time, registered by the app factory (the outbox's backlog).
_gauge_sources: list[Callable[[], Iterable[GaugeMetricFamily]]] = []


def register_gauges(source: Callable[[], Iterable[GaugeMetricFamily]]) -> None:
    if source not in _gauge_sources:
        _gauge_sources.append(source)


class ScrapeTimeCollector(Collector):
    """The queue's depth and every registered gauge, measured now (an unreachable queue is left out)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from core import jobs

        try:
            depth = jobs.queue_depth()
        except Exception:
            depth = None
        if depth is not None:
            yield GaugeMetricFamily("commons_job_queue_depth", "Jobs waiting for a worker.", value=depth)
        for source in _gauge_sources:
            yield from source()


def exposition() -> Response:
    """The text /metrics serves: this process's (or every gunicorn worker's) samples and the backlog gauges."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_SECONDS)
    registry.register(ScrapeTimeCollector())
    response = Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response


def _start() -> None:
    g.metrics_started = time.perf_counter()


def _observe(response: Response) -> Response:
    started = g.get("metrics_started")
    if started is not None:
        # The endpoint name, never the path: ids in URLs would make a series per page.
        endpoint = request.url_rule.endpoint if request.url_rule is not None else "unmatched"
        REQUEST_SECONDS.labels(endpoint, request.method, f"{response.status_code // 100}xx").observe(
            time.perf_counter() - started)
    return response


def init_metrics(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_observe)
