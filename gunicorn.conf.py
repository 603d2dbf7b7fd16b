"""gunicorn's settings for production (`gunicorn -c gunicorn.conf.py wsgi:app`); every one can be overridden
from the environment (GUNICORN_BIND, GUNICORN_WORKERS, ...) or the command line.

- sync workers: the app is plain WSGI with short requests; long work goes to the job queue.
- max_requests with jitter recycles workers now and then, so a slow leak never grows without bound.
- Prometheus counts are kept per worker in PROMETHEUS_MULTIPROC_DIR (emptied at start, a dead worker's files
  marked) and added up by /metrics.
- The access log is JSON when LOG_JSON is set, with the request id the app echoes in X-Request-ID.
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("GUNICORN_WORKERS") or min(2 * multiprocessing.cpu_count() + 1, 8))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# Headers and request lines stay small: nothing legitimate here needs more.
limit_request_line = 8190
limit_request_fields = 100
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Forwarded headers are the app's business (TRUSTED_PROXIES, core.proxies), not gunicorn's.
forwarded_allow_ips = "127.0.0.1"

_json_logs = os.environ.get("LOG_JSON", "").strip().lower() in {"1", "true", "yes", "on"}
if _json_logs:
    access_log_format = ('{"time": "%(t)s", "logger": "gunicorn.access", "request_id": "%({x-request-id}o)s", '
                         '"remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", "status": %(s)s, '
                         '"bytes": "%(B)s", "duration_us": %(D)s}')
else:
    access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(D)sus request_id=%({x-request-id}o)s'

# Set before any worker imports prometheus_client, so every worker writes its samples to files here.
_metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if not _metrics_dir:
    _metrics_dir = tempfile.mkdtemp(prefix="commons-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = _metrics_dir


def on_starting(server) -> None:
    """An empty metrics folder at every start: samples of a previous run's workers must not be added in."""
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    os.makedirs(_metrics_dir, exist_ok=True)
    if _json_logs:
        from core.logs import json_formatter

        for handler in server.log.error_log.handlers:
            handler.setFormatter(json_formatter())


def child_exit(server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
