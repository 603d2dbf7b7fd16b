"""On PostgreSQL the application runs as a role that can only read and append to the trail.

The suite itself connects as that role (tests/conftest.py), so these tests
try, as the application could if it were subverted, every way of changing or
switching off the trail and its checkpoints, and see each refused by the
database's privileges rather than by application code.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

import trail
from trail.db_roles import APP_ROLE, OWNER_ROLE
from trail.events import redact_payload
from trail.models import AuditEvent
from trail.verification import verify_chain


@pytest.fixture(autouse=True)
def _postgres_only(db):
    if db.session.get_bind().dialect.name != "postgresql":
        pytest.skip("roles and privileges are PostgreSQL's")


def _refused(db, statement: str, match: str) -> None:
    with pytest.raises(DBAPIError, match=match), db.session.begin_nested():
        db.session.execute(text(statement))


def test_the_suite_connects_as_the_app_role_and_migrations_made_the_owner_own_the_trail(db):
    assert db.session.scalar(text("SELECT current_user")) == APP_ROLE
    owners = dict(db.session.execute(text(
        "SELECT tablename, tableowner FROM pg_tables WHERE tablename IN ('audit_event', 'audit_checkpoint')")).all())
    assert owners == {"audit_event": OWNER_ROLE, "audit_checkpoint": OWNER_ROLE}
    assert not db.session.scalar(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))


@pytest.mark.parametrize("table", ["audit_event", "audit_checkpoint"])
def test_the_app_role_cannot_update_delete_or_truncate_the_trail(db, table):
    trail.record("test.step", summary="something happened", payload={"who": "Jo"})
    db.session.flush()
    _refused(db, f"UPDATE {table} SET seq = seq", "permission denied")
    _refused(db, f"DELETE FROM {table}", "permission denied")
    _refused(db, f"TRUNCATE {table}", "permission denied")


@pytest.mark.parametrize("table", ["audit_event", "audit_checkpoint"])
def test_the_app_role_cannot_alter_the_trail_or_switch_its_triggers_off(db, table):
    _refused(db, f"ALTER TABLE {table} DISABLE TRIGGER ALL", "must be owner")
    _refused(db, f"ALTER TABLE {table} DISABLE TRIGGER {table}_guard_rows", "must be owner")
    _refused(db, f"DROP TRIGGER {table}_guard_rows ON {table}", "must be owner")
    _refused(db, f"ALTER TABLE {table} ADD COLUMN note text", "must be owner")
    _refused(db, f"DROP TABLE {table}", "must be owner")


def test_the_app_role_cannot_replace_the_trigger_functions(db):
    _refused(db, "CREATE OR REPLACE FUNCTION audit_event_guard() RETURNS trigger AS $$ BEGIN RETURN NEW; END; $$ "
                 "LANGUAGE plpgsql", "must be owner|permission denied")


def test_the_app_role_keeps_ordinary_row_access_to_other_tables(db, user_factory):
    person = user_factory("provider")
    db.session.execute(text("UPDATE \"user\" SET full_name = 'Renamed Person' WHERE id = :id"), {"id": person.id})
    assert db.session.scalar(text('SELECT full_name FROM "user" WHERE id = :id'), {"id": person.id}) == "Renamed Person"


def test_the_app_role_appends_and_the_redaction_service_still_works(db, user_factory):
    admin = user_factory("admin")
    target = trail.record("test.step", summary="held a name", payload={"who": "Jo"})
    redact_payload(target, "Held a person's name", admin)
    db.session.flush()
    db.session.expire_all()
    assert db.session.get(AuditEvent, target.seq).payload is None
    last = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
    assert last.action == "audit.payload_redacted" and last.subject_id == str(target.seq)
    assert verify_chain().ok


@pytest.mark.database_owner
def test_even_the_owner_cannot_redact_by_plain_sql_without_the_event(db):
    target = trail.record("test.step", summary="held a name", payload={"who": "Jo"})
    db.session.flush()
    _refused(db, f"UPDATE audit_event SET payload = NULL, redacted_at = now(), redaction_reason = 'quietly' "
                 f"WHERE seq = {target.seq}", "redacted only by appending its audit.payload_redacted event")


def test_db_roles_command_adopts_an_older_database_and_takes_back_what_the_app_must_not_have(
        db, app, scratch_database_url):
    """A database first migrated as a superuser, with a careless grant: `flask db-roles` puts it right."""
    from sqlalchemy import create_engine

    from tests.conftest import admin_url

    admin = create_engine(admin_url(scratch_database_url))
    with admin.begin() as connection:
        connection.execute(text("ALTER TABLE audit_event OWNER TO CURRENT_USER"))
        connection.execute(text(f"GRANT UPDATE, DELETE, TRUNCATE ON audit_event TO {APP_ROLE}"))
    result = app.test_cli_runner().invoke(args=["db-roles", "--admin-url", admin_url(scratch_database_url)])
    assert result.exit_code == 0, result.output
    with admin.connect() as connection:
        owner = connection.scalar(text("SELECT tableowner FROM pg_tables WHERE tablename = 'audit_event'"))
        granted = {privilege: connection.scalar(text(f"SELECT has_table_privilege('{APP_ROLE}', 'audit_event', "
                                                     f"'{privilege}')"))
                   for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")}
        ordinary = connection.scalar(text(f"SELECT has_table_privilege('{APP_ROLE}', 'organisation', 'UPDATE')"))
    admin.dispose()
    assert owner == OWNER_ROLE
    assert granted == {"SELECT": True, "INSERT": True, "UPDATE": False, "DELETE": False, "TRUNCATE": False}
    assert ordinary
