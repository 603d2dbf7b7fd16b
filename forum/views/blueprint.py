"""The forums' blueprint and its command line; every page's URL rule is added in forum.views.urls, in one list."""
from __future__ import annotations

import click
from flask import Blueprint

from core.transactions import call_service
from forum import services
from forum import worklist as _worklist  # noqa: F401  (the forums' items for "My work")

bp = Blueprint("forum", "forum.views")


@bp.cli.command("digest")
def digest_command() -> None:
    """Queue the daily digest emails (run once a day; `flask outbox deliver` sends them)."""
    count = call_service(services.send_daily_digests)
    click.echo(f"Queued {count} digest email{'s' if count != 1 else ''}.")
