"""Prometheus metrics: request latency by endpoint, the job queue's depth and the outbox's backlog.

Under gunicorn each worker is its own process, so counts are kept the
prometheus-client multiprocess way: gunicorn.conf.py points
PROMETHEUS_MULTIPROC_DIR at an empty folder before any worker starts, each
worker writes its samples there, and /metrics adds them up. Without that
variable (a single process: `flask run`, tests) the ordinary registry is used.

The two gauges are read when /metrics is scraped, from the database and the
queue themselves, so every worker reports the same truth and nothing has to
keep them up to date.
"""
from __future__ import annotations

import os
import time
from collections.abc import Iterator

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
from sqlalchemy import func, select
from werkzeug.wrappers import Response

REQUEST_SECONDS = Histogram(
    "commons_request_seconds", "Time to answer a request, by endpoint, method and status class.",
    ["endpoint", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


class BacklogCollector(Collector):
    """Queue depth and outbox backlog, measured at scrape time (NaN-free: an unreachable source is left out)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from core import jobs
        from core.extensions import db
        from core.models import OutboxMessage
        from core.services import MAX_ATTEMPTS

        try:
            depth = jobs.queue_depth()
        except Exception:  # noqa: BLE001 - /readyz reports the queue being down; metrics just omit it
            depth = None
        if depth is not None:
            yield GaugeMetricFamily("commons_job_queue_depth", "Jobs waiting for a worker.", value=depth)
        retrying = OutboxMessage.attempts < MAX_ATTEMPTS
        waiting, given_up, oldest = db.session.execute(
            select(func.count().filter(retrying), func.count().filter(~retrying),
                   func.min(OutboxMessage.created_at).filter(retrying))
            .where(OutboxMessage.sent_at.is_(None))).one()
        backlog = GaugeMetricFamily("commons_outbox_backlog", "Emails in the outbox not yet delivered.",
                                    labels=["state"])
        backlog.add_metric(["retrying"], waiting)
        backlog.add_metric(["given_up"], given_up)
        yield backlog
        if oldest is not None:
            from audit.services import utcnow

            yield GaugeMetricFamily("commons_outbox_oldest_seconds", "Age of the oldest email still to deliver.",
                                    value=max(0.0, (utcnow() - oldest).total_seconds()))


def exposition() -> Response:
    """The text /metrics serves: this process's (or every gunicorn worker's) samples and the backlog gauges."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_SECONDS)
    registry.register(BacklogCollector())
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
