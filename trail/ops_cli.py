"""Operators' commands on the trail's floor: mail delivery (`flask outbox deliver`) and the PostgreSQL roles
(`flask db-roles`), whose grants keep the trail append-only."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup


def init_cli(app: Flask) -> None:
    outbox = AppGroup("outbox", help="The mail outbox.")

    @outbox.command("deliver")
    def deliver() -> None:
        """Send queued email over SMTP (MAIL_SERVER) now; failures stay queued for the next run.

        The job worker (`flask jobs worker`) does this by itself after every
        commit that queues mail and every minute; this is the manual trigger.
        """
        from trail.outbox import deliver_outbox

        sent, failed = deliver_outbox()
        if sent or failed:  # silent when there was nothing to send, for timers
            click.echo(f"Sent {sent}, failed {failed} (failures stay queued).")

    app.cli.add_command(outbox)

    @app.cli.command("db-roles")
    @click.option("--admin-url", envvar="DATABASE_ADMIN_URL", required=True,
                  help="A superuser's (or the database owner's) URL for the database to set up "
                       "[env DATABASE_ADMIN_URL].")
    @click.option("--owner", default="commons_owner", show_default=True, help="The role migrations run as.")
    @click.option("--app-role", "app_role", default="commons_app", show_default=True,
                  help="The role the application connects as.")
    @click.option("--owner-password", envvar="DATABASE_OWNER_PASSWORD", default=None,
                  help="Set the owner's password [env DATABASE_OWNER_PASSWORD].")
    @click.option("--app-password", envvar="DATABASE_APP_PASSWORD", default=None,
                  help="Set the application role's password [env DATABASE_APP_PASSWORD].")
    def db_roles(admin_url: str, owner: str, app_role: str, owner_password: str | None,
                 app_password: str | None) -> None:
        """Create the owner and application roles on PostgreSQL and grant each what it may do (idempotent).

        Run it before the first `flask db upgrade` and again after adopting an
        older database; migrations then run with MIGRATION_DATABASE_URL (the
        owner) and the application with DATABASE_URL (the application role).
        """
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url
        from sqlalchemy.pool import NullPool

        from trail.db_roles import setup_roles

        url = make_url(admin_url)
        if url.drivername in {"postgres", "postgresql"}:
            url = url.set(drivername="postgresql+psycopg")  # the driver we ship
        if not url.drivername.startswith("postgresql"):
            raise click.ClickException("The roles are a PostgreSQL setup: --admin-url must be a PostgreSQL URL.")
        engine = create_engine(url, poolclass=NullPool)
        try:
            with engine.begin() as connection:
                setup_roles(connection, owner=owner, app=app_role, owner_password=owner_password,
                            app_password=app_password)
        finally:
            engine.dispose()
        click.echo(f"Roles ready in database {url.database!r}: migrations run as {owner} "
                   f"(MIGRATION_DATABASE_URL), the application as {app_role} (DATABASE_URL), which may only "
                   f"read and append to the audit trail and its checkpoints.")
