"""Commands that belong to the platform as a whole: demo data and mail delivery."""
from __future__ import annotations

import time

import click
from flask import Flask
from flask.cli import AppGroup

from core.extensions import db


def init_cli(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Load the demo councils, providers, auditors and people (once)."""
        from core.demo import DEMO_STEPS, load_demo

        with click.progressbar(length=DEMO_STEPS, label="Loading demo data") as bar:
            loaded = load_demo(progress=bar.update)
        db.session.commit()
        click.echo("Demo data loaded." if loaded else "Demo data is already loaded: nothing to do.")

    outbox = AppGroup("outbox", help="The mail outbox.")

    @outbox.command("deliver")
    @click.option("--loop", is_flag=True, help="Keep delivering every few seconds until stopped.")
    @click.option("--interval", default=5.0, show_default=True)
    def deliver(loop: bool, interval: float) -> None:
        """Send queued email over SMTP (MAIL_SERVER); failures stay queued for the next run."""
        from core.services import deliver_outbox

        while True:
            sent, failed = deliver_outbox()
            if sent or failed:
                click.echo(f"Sent {sent}, failed {failed} (failures stay queued).")
            if not loop:
                break
            time.sleep(interval)

    app.cli.add_command(outbox)

    from core.bench_data import register as register_bench_data

    register_bench_data(app)
