"""`flask sufficiency ...`: keep the list of council areas up to date, and run the analysis from cron."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from core.extensions import db

sufficiency_cli = AppGroup("sufficiency", help="Council areas and the gap analysis.")


@sufficiency_cli.command("update-areas")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def update_areas(path: Path | None) -> None:
    """Load the council areas from PATH (ONS's CSV, or ours), or from the shipped reference list."""
    from sufficiency.areas import REFERENCE_FILE, load_reference_file

    changed = load_reference_file(path or REFERENCE_FILE)
    db.session.commit()
    click.echo(f"{changed} areas added or changed.")


@sufficiency_cli.command("run")
@click.argument("name")
def run(name: str) -> None:
    """Run the gap analysis as the system, and print its inputs hash."""
    from sufficiency.analysis import run_analysis

    done = run_analysis(None, name=name)
    db.session.commit()
    click.echo(f"Run {done.id}: method {done.method_version}, inputs {done.inputs_sha256}")
