"""`flask jobs ...`: run the queue's worker and scheduler, and see what the queue holds."""
from __future__ import annotations

import logging

import click
from flask.cli import AppGroup

from core import jobs

jobs_cli = AppGroup("jobs", help="The background job queue (Huey): worker, scheduler and status.")


def _consume(workers: int, periodic: bool) -> None:
    # Huey's consumer logs what it runs; without a handler of our own the lines would be lost.
    logging.getLogger("huey").setLevel(logging.INFO)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if jobs.huey.immediate:
        raise click.ClickException("JOBS_IMMEDIATE is set: tasks run where they are enqueued, there is no queue "
                                   "to work.")
    click.echo(f"Working the {jobs.backend_name()} queue {jobs.huey.name!r} with {workers} thread(s)"
               f"{', scheduling periodic jobs' if periodic else ''}.", err=True)
    jobs.huey.create_consumer(workers=workers, worker_type="thread", periodic=periodic,
                              check_worker_health=True).run()


@jobs_cli.command("worker")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Worker threads.")
@click.option("--periodic/--no-periodic", default=True, show_default=True,
              help="Also enqueue the scheduled jobs. Exactly one process should (the scheduler): pass --no-periodic "
                   "to every extra worker.")
def worker_command(workers: int, periodic: bool) -> None:
    """Run queued jobs until stopped (SIGINT finishes the running jobs first, SIGTERM stops at once)."""
    _consume(workers, periodic)


@jobs_cli.command("scheduler")
def scheduler_command() -> None:
    """Enqueue the scheduled jobs when due (run exactly one), working the queue with one thread too."""
    _consume(1, True)


@jobs_cli.command("status")
def status_command() -> None:
    """Where the queue is and how many jobs wait in it."""
    try:
        depth = jobs.queue_depth()
    except Exception as exc:
        raise click.ClickException(f"The {jobs.backend_name()} queue cannot be reached: {exc}") from None
    click.echo(f"{jobs.backend_name()} queue {jobs.huey.name!r}: {depth} job(s) waiting, "
               f"{jobs.huey.scheduled_count()} scheduled for later.")
