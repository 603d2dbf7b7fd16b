"""What the machinery around the app reads: /readyz, /metrics, request ids and JSON log lines."""
from __future__ import annotations

import json
import logging

import pytest

from core import jobs
from core.extensions import db
from core.logs import json_formatter
from core.request_ids import RequestIdFilter
from tests.conftest import make_test_app

OUTSIDE = {"REMOTE_ADDR": "203.0.113.9"}


def _done_with(other, app) -> None:
    """Close another app's connections and point the job queue back at the suite's app."""
    with other.app_context():
        db.engine.dispose()
    jobs.configure(app)


def test_readyz_says_ready_when_the_database_and_the_queue_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ready", "checks": {"database": "ok", "queue": "ok"}}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_503_naming_the_queue_when_redis_cannot_be_reached(app, client):
    unreachable = make_test_app(app.config["SQLALCHEMY_DATABASE_URI"], JOBS_IMMEDIATE=False,
                                JOBS_URL="redis://127.0.0.1:1/0")
    try:
        with unreachable.test_client() as other:
            response = other.get("/readyz")
    finally:
        _done_with(unreachable, app)
    assert response.status_code == 503
    assert response.json["status"] == "not ready"
    assert response.json["checks"]["database"] == "ok"
    assert response.json["checks"]["queue"].startswith("ConnectionError")
    assert "Traceback" not in response.get_data(as_text=True)


def test_readyz_is_503_naming_the_database_when_it_cannot_be_reached(app, tmp_path):
    missing = make_test_app(f"sqlite:///{tmp_path}/no-such-dir/commons.db")
    try:
        response = missing.test_client().get("/readyz")
    finally:
        _done_with(missing, app)
    assert response.status_code == 503
    assert response.json["checks"]["queue"] == "ok"
    assert response.json["checks"]["database"].startswith("OperationalError")


def test_healthz_stays_cheap_and_touches_no_database(app, tmp_path):
    missing = make_test_app(f"sqlite:///{tmp_path}/no-such-dir/commons.db")
    try:
        assert missing.test_client().get("/healthz").status_code == 200
    finally:
        _done_with(missing, app)


def test_metrics_count_request_latency_by_endpoint_with_the_backlog_gauges(client):
    client.get("/healthz")
    client.get("/healthz")
    text = client.get("/metrics").get_data(as_text=True)
    count = next(line for line in text.splitlines()
                 if line.startswith('commons_request_seconds_count{endpoint="core.healthz",method="GET",status="2xx"}'))
    assert float(count.rsplit(" ", 1)[1]) >= 2
    assert "commons_job_queue_depth 0.0" in text
    assert 'commons_outbox_backlog{state="retrying"}' in text
    assert 'commons_outbox_backlog{state="given_up"}' in text


def test_metrics_label_unknown_paths_as_one_series_not_one_per_url(client):
    # A word, not a number: digits of the same shape turn up in the histogram's sums of seconds.
    client.get("/no/such/page/zebra-crossing")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'endpoint="unmatched"' in text
    assert "zebra-crossing" not in text


def test_metrics_are_hidden_from_other_addresses_without_the_token(app, client):
    assert client.get("/metrics", environ_base=OUTSIDE).status_code == 404
    app.config["METRICS_TOKEN"] = "scrape-token-for-tests"
    try:
        assert client.get("/metrics", environ_base=OUTSIDE,
                          headers={"Authorization": "Bearer wrong-token"}).status_code == 404
        allowed = client.get("/metrics", environ_base=OUTSIDE,
                             headers={"Authorization": "Bearer scrape-token-for-tests"})
        assert allowed.status_code == 200 and "commons_request_seconds" in allowed.get_data(as_text=True)
    finally:
        app.config["METRICS_TOKEN"] = None


def test_a_well_formed_request_id_is_kept_and_echoed(client):
    response = client.get("/healthz", headers={"X-Request-ID": "edge-7f3a9c01-req"})
    assert response.headers["X-Request-ID"] == "edge-7f3a9c01-req"


@pytest.mark.parametrize("offered", ["", "short", "has spaces in it", "x" * 200, "evil\u2028line-break-id"])
def test_a_missing_or_malformed_request_id_is_replaced_by_a_new_one(client, offered):
    response = client.get("/healthz", headers={"X-Request-ID": offered} if offered else {})
    made = response.headers["X-Request-ID"]
    assert made != offered and len(made) == 32 and made.isalnum()


def test_json_log_lines_carry_the_request_id_of_the_request_that_logged(app, client):
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Keep()
    handler.setFormatter(json_formatter())
    handler.addFilter(RequestIdFilter())
    app.logger.addHandler(handler)
    try:
        client.get("/no/such/page", headers={"X-Request-ID": "edge-logged-request"})
        with app.test_request_context("/", headers={"X-Request-ID": "edge-second-request"}):
            app.preprocess_request()
            app.logger.warning("Something worth a line")
    finally:
        app.logger.removeHandler(handler)
    entry = json.loads(lines[-1])
    assert entry["message"] == "Something worth a line"
    assert entry["request_id"] == "edge-second-request"
    assert entry["level"] == "WARNING" and entry["logger"] == app.logger.name and "time" in entry


def test_the_app_logs_json_to_its_handler_when_configured(app, capsys):
    logged = make_test_app(app.config["SQLALCHEMY_DATABASE_URI"], LOG_JSON=True)
    try:
        with logged.test_request_context("/", headers={"X-Request-ID": "edge-json-handler"}):
            logged.preprocess_request()
            logged.logger.warning("To the root handler")
    finally:
        _done_with(logged, app)
        _done_with(make_test_app(app.config["SQLALCHEMY_DATABASE_URI"]), app)  # plain text again for the rest
    line = next(line for line in capsys.readouterr().err.splitlines() if "To the root handler" in line)
    assert json.loads(line)["request_id"] == "edge-json-handler"
