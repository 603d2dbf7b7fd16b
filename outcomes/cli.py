"""`flask --app wsgi outcomes ...`: the auditor's recomputation of a contract's payments from the trail."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from core.extensions import db
from core.request_args import id_number
from outcomes.recompute import recompute
from tenders.models import Contract, Procurement

outcomes_cli = AppGroup("outcomes", help="Contract outcomes and payment by results.")


def find_contract(ident: str) -> Contract | None:
    """A contract by its procurement's reference (CC-2026-00007) or by the contract's id."""
    found = db.session.scalar(select(Contract).join(Procurement, Procurement.id == Contract.procurement_id)
                              .where(Procurement.reference == ident.strip().upper()))
    contract_id = id_number(ident)
    if found is None and contract_id is not None:
        found = db.session.get(Contract, contract_id)
    return found


@outcomes_cli.command("recompute")
@click.argument("contract")
def recompute_command(contract: str) -> None:
    """Recompute every payment statement of CONTRACT (its reference or id) from the audit trail alone.

    Prints one line per statement and exits with status 1 on any difference.
    """
    found = find_contract(contract)
    if found is None:
        raise click.ClickException(f"No contract {contract!r}: give the procurement reference, e.g. CC-2026-00007")
    checks = recompute(found)
    if not checks:
        click.echo(f"{contract}: no payment statements to recompute")
        return
    failed = 0
    for check in checks:
        if check.ok:
            click.echo(f"statement {check.statement_id} ({check.period}): reproduced from the trail")
        else:
            failed += 1
            for difference in check.differences:
                click.echo(f"statement {check.statement_id} ({check.period}): DIFFERENT: {difference}")
    if failed:
        click.echo(f"{failed} of {len(checks)} statements differ from the trail", err=True)
        sys.exit(1)
    click.echo(f"All {len(checks)} statements reproduced from the trail")
