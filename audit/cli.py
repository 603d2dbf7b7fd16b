"""`flask --app wsgi audit ...`"""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from audit import services
from core.extensions import db

audit_cli = AppGroup("audit", help="Verify the audit trail.")


@audit_cli.command("verify")
@click.option("--batch", default=2000, show_default=True, help="Events read per query.")
def verify_command(batch: int) -> None:
    """Walk the whole chain; exit 1 naming the first bad event if it is broken."""
    total = services.event_count()
    with click.progressbar(length=total, label="Verifying audit chain", show_pos=True, file=sys.stderr) as bar:
        result = services.verify_chain(progress=bar.update, batch_size=batch)
    services.record_verification(result, None)
    db.session.commit()
    if result.ok:
        click.echo(f"OK: {result.count} events verified; head event {result.head_seq}, hash {result.head_hash}")
        return
    click.echo(f"BROKEN: first bad event is {result.first_bad_seq}: {result.problem} "
               f"({result.count} events verified before it)", err=True)
    raise SystemExit(1)
