"""`flask seed-demo` and `flask bench-data`, added by the app factory outside production only."""
from __future__ import annotations

import click
from flask import Flask

from core.extensions import db
from demo.bench_data import register as register_bench_data


def init_demo_cli(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Load the demo councils, providers, auditors and people (once)."""
        from demo.load import DEMO_STEPS, load_demo

        with click.progressbar(length=DEMO_STEPS, label="Loading demo data") as bar:
            loaded = load_demo(progress=bar.update)
        db.session.commit()
        click.echo("Demo data loaded." if loaded else "Demo data is already loaded: nothing to do.")

    register_bench_data(app)
