"""`flask sufficiency ...`: keep the list of council areas and their neighbours up to date, and run the analysis."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

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


@sufficiency_cli.command("set-neighbours")
@click.argument("area")
@click.argument("neighbours", nargs=-1)
@click.option("--as", "email", required=True,
              help="The commissioner or administrator making the change: the trail records who.")
def set_neighbours_command(area: str, neighbours: tuple[str, ...], email: str) -> None:
    """Replace AREA's neighbours with NEIGHBOURS, each a GSS code, or CODE:statistical (geographic by default).

    With no NEIGHBOURS the area has none, and the gap analysis goes from the council straight to its region.
    """
    from accounts.models import User
    from core.errors import DomainError
    from sufficiency.areas import set_neighbours
    from sufficiency.models import Area

    actor = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    found = db.session.get(Area, area.strip().upper())
    if actor is None or found is None:
        raise click.UsageError(f"No {'person with the email ' + email if actor is None else 'area ' + area}")
    chosen = {}
    for item in neighbours:
        code, _, kind = item.partition(":")
        chosen[code.strip().upper()] = kind.strip().lower() or "geographic"
    try:
        set_neighbours(found, chosen, actor)
    except DomainError as refused:
        db.session.commit()  # a refusal's own audit event stands
        raise click.ClickException(str(refused)) from None
    db.session.commit()
    click.echo(f"{found.name} has {len(chosen)} neighbour{'s' if len(chosen) != 1 else ''}.")
