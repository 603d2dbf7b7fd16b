"""`flask --app wsgi accounts ...`: bootstrapping an installation."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from accounts import services
from core.errors import RuleViolation
from core.transactions import call_service

accounts_cli = AppGroup("accounts", help="Manage accounts from the command line.")


@accounts_cli.command("create-admin")
@click.argument("email")
@click.option("--name", "full_name", required=True, help="The administrator's full name.")
@click.password_option()
def create_admin_command(email: str, full_name: str, password: str) -> None:
    """Create a platform administrator (they set up two-factor sign-in at first sign-in)."""
    try:
        user = call_service(services.create_admin, email=email, full_name=full_name, password=password)
    except RuleViolation as exc:
        raise click.ClickException("; ".join(exc.reasons.values())) from None
    click.echo(f"Created administrator {user.email}.")
