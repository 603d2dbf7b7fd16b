"""The procurements' blueprint: its configuration, its command-line group and its template filter.

Every page's URL rule is added in tenders.views.urls, in one list.
"""
from __future__ import annotations

from typing import Any

import click
from flask import Blueprint

from tenders import worklist as _worklist  # noqa: F401  (the tenders' items for "My work")
from tenders.publish_links import with_fixes

bp = Blueprint("tenders", "tenders.views", cli_group="tenders")


@bp.record_once
def _setup(state: Any) -> None:
    from tenders.config import init_tenders_config

    init_tenders_config(state.app)


@bp.cli.command("enter-due-contracts")
def enter_due_contracts() -> None:
    """Create the contract record for every procurement whose standstill has ended (the worker does it daily)."""
    from tenders.jobs import enter_due_contracts as enter

    entered = enter()
    click.echo(f"{entered} contract record(s) created.")


bp.add_app_template_filter(with_fixes, "publish_fixes")  # every "before publishing" item links to its fix
