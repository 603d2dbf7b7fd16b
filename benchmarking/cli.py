"""`flask --app wsgi benchmarks ...`: start a run, and reproduce one from the trail."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from benchmarking import services
from benchmarking.models import BenchmarkRun
from core.errors import RuleViolation
from core.extensions import db
from core.transactions import call_service

benchmarks_cli = AppGroup("benchmarks", help="Run provider benchmarks and reproduce them from the audit trail.")


@benchmarks_cli.command("run")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Count returns and statements for periods ending by this date (default: today).")
def run_command(as_of) -> None:
    """Compute a run from every verified return so far and record it; the providers' right of reply opens."""
    try:
        run = call_service(services.start_run, None, as_of=as_of.date() if as_of else None)
    except RuleViolation as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Benchmark run {run.id} recorded (inputs {run.inputs_hash[:12]}, results {run.results_hash[:12]}); "
               f"right of reply until {run.reply_closes_on:%d %B %Y}.")


@benchmarks_cli.command("reproduce")
@click.argument("run_id", type=int)
def reproduce_command(run_id: int) -> None:
    """Recompute RUN_ID from the trail's copy of its inputs; exit 1 on any difference."""
    run = db.session.get(BenchmarkRun, run_id)
    if run is None:
        raise click.ClickException(f"There is no benchmark run {run_id}.")
    result = services.reproduce(run)
    if not result.matches:
        for difference in result.differences:
            click.echo(f"DIFFERENT: {difference}", err=True)
        raise SystemExit(1)
    click.echo(f"Run {run_id} reproduced from trail event {result.event_seq}: inputs and results match "
               f"({run.results_hash[:12]}).")


