"""`flask release`: what runs once per deployment, before the new web servers and workers start.

It sets up the PostgreSQL roles when it is given a superuser's URL
(DATABASE_ADMIN_URL; idempotent, the same as `flask db-roles`), then runs the
migrations, as MIGRATION_DATABASE_URL's owner role where that is set. It
exits non-zero on any failure, so a deployment stops before serving on a
schema the code does not expect.
"""
from __future__ import annotations

import os

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade


@click.command("release")
@click.option("--admin-url", envvar="DATABASE_ADMIN_URL", default=None,
              help="A superuser's URL: set up the owner and application roles first [env DATABASE_ADMIN_URL].")
@click.pass_context
@with_appcontext
def release_command(ctx: click.Context, admin_url: str | None) -> None:
    """Set up the database roles (given --admin-url) and migrate the schema to the code's head."""
    if admin_url:
        db_roles = current_app.cli.get_command(ctx, "db-roles")
        assert db_roles is not None
        ctx.invoke(db_roles, admin_url=admin_url, owner="commons_owner", app_role="commons_app",
                   owner_password=os.environ.get("DATABASE_OWNER_PASSWORD"),
                   app_password=os.environ.get("DATABASE_APP_PASSWORD"))
    upgrade(revision="heads")
    click.echo("Release done: the schema is at the code's head.")
