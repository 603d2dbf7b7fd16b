"""What an operator runs the app with: the job queue, request ids, logs, metrics and the probes."""
from __future__ import annotations

from flask import Flask

from core import jobs
from core.jobs_cli import jobs_cli
from core.logs import init_logs
from core.metrics import init_metrics
from core.probes import bp as probes_bp
from core.release import release_command
from core.request_ids import init_request_ids


def init_operations(app: Flask, *, task_modules: tuple[str, ...]) -> None:
    """Bind it all to `app`; called last by the app factory, since task modules import every service."""
    init_logs(app)
    init_metrics(app)
    init_request_ids(app)  # inserted first, so ahead of the metrics' clock too
    app.register_blueprint(probes_bp)
    jobs.configure(app, task_modules)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(release_command)
