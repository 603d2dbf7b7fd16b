"""Readiness and metrics for the machinery around the app (load balancer, orchestrator, Prometheus).

`/healthz` (core.views) says the process answers and touches nothing, so it
stays cheap enough to ask every second. `/readyz` says whether this instance
can do its work: the database answers and the job queue can be reached. A
load balancer stops sending people to an instance that answers 503, and the
JSON says why.

`/metrics` is for Prometheus, not the public: it answers requests from the
loopback address (a scraper or sidecar on the same host) and any request that
carries `Authorization: Bearer METRICS_TOKEN`; everyone else gets a 404, as
though it were not there.
"""
from __future__ import annotations

import hmac
import ipaddress

from flask import Blueprint, abort, current_app, request
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from core import jobs
from core.extensions import db
from core.metrics import exposition

bp = Blueprint("probes", __name__)


def readiness() -> dict[str, str]:
    """Each dependency's problem, by name; empty when everything answers."""
    problems: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:
        db.session.rollback()
        problems["database"] = _reason(exc)
    try:
        jobs.queue_depth()
    except Exception as exc:
        problems["queue"] = _reason(exc)
    return problems


def _reason(exc: Exception) -> str:
    """The error's kind and first line, short: enough to act on, never a stack trace."""
    first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


@bp.route("/readyz")
def readyz() -> ResponseReturnValue:
    problems = readiness()
    checks = {name: problems.get(name, "ok") for name in ("database", "queue")}
    body = {"status": "not ready" if problems else "ready", "checks": checks}
    return body, 503 if problems else 200, {"Cache-Control": "no-store"}


def may_read_metrics() -> bool:
    """Loopback, or the configured bearer token (compared in constant time)."""
    token = current_app.config.get("METRICS_TOKEN")
    offered = request.headers.get("Authorization", "")
    if token and offered.startswith("Bearer ") and hmac.compare_digest(offered[7:].encode(), token.encode()):
        return True
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


@bp.route("/metrics")
def metrics() -> ResponseReturnValue:
    if not may_read_metrics():
        abort(404)
    return exposition()
