"""Commands that belong to the platform as a whole: demo data and mail delivery."""
from __future__ import annotations

import time

import click
from flask import Flask

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

    @app.cli.command("deliver-mail")
    @click.option("--loop", is_flag=True, help="Keep delivering every few seconds until stopped.")
    @click.option("--interval", default=5.0, show_default=True)
    def deliver_mail(loop: bool, interval: float) -> None:
        """Send queued email from the outbox over SMTP (MAIL_SERVER)."""
        from core.services import deliver_outbox

        while True:
            sent, failed = deliver_outbox()
            db.session.commit()
            if sent or failed:
                click.echo(f"Sent {sent}, failed {failed} (failures stay queued).")
            if not loop:
                break
            time.sleep(interval)
