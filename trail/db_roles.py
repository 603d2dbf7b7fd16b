"""The two PostgreSQL roles a deployment runs with, and what each may do.

The application must not be able to switch off what protects the audit
trail. So the schema belongs to an owner role that only migrations use
(MIGRATION_DATABASE_URL), and the application connects (DATABASE_URL) as a
role that owns nothing: it can read and write the ordinary tables, but on
the append-only tables (the trail and its checkpoints) it may only SELECT
and INSERT. Without ownership it cannot ALTER them, drop or disable their
triggers, or TRUNCATE them. A redaction, the one change the trail admits, is
made by a trigger that runs with the owner's rights when the redaction's own
audit event is appended, so the application needs no UPDATE there either.

`setup_roles` is run by a superuser (or a role with CREATEROLE that owns the
database) through `flask db-roles`, once before the first migration and
again whenever wanted: it is idempotent. Tables created by later migrations
get the application's grants from the owner's default privileges; the
migration that makes a table append-only takes them away again.
"""
from __future__ import annotations

from sqlalchemy import Connection, text

from trail.models import APPEND_ONLY_TABLES

OWNER_ROLE = "commons_owner"
APP_ROLE = "commons_app"

_ROLE_ATTRIBUTES = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"

# Ordinary tables: full row access. Sequences: nextval/setval for ids.
_TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
_SEQUENCE_PRIVILEGES = "USAGE, SELECT, UPDATE"
# Everything but reading and appending, taken from the application on the append-only tables.
_APPEND_ONLY_REFUSED = "UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER"

# Every object in the schema that someone else owns (a database first migrated as a superuser), as
# (kind, qualified name). Sequences owned by a table move with it, so only free-standing ones are listed.
_FOREIGN_OWNED = """
SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'
                      ELSE 'TABLE' END, c.oid::regclass::text
  FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
 WHERE n.nspname = :schema AND pg_get_userbyid(c.relowner) <> :owner AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
   AND NOT (c.relkind = 'S' AND EXISTS (
       SELECT 1 FROM pg_depend AS d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
          AND d.deptype IN ('a', 'i')))
UNION ALL
SELECT 'FUNCTION', p.oid::regprocedure::text
  FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace
 WHERE n.nspname = :schema AND pg_get_userbyid(p.proowner) <> :owner
"""


def _statement(connection: Connection, template: str, **values: str) -> None:
    """Run DDL whose identifiers and literals PostgreSQL itself quotes (format's %I and %L)."""
    names = list(values)
    placeholders = ", ".join(f"CAST(:{name} AS text)" for name in names)
    sql = connection.scalar(text(f"SELECT format(CAST(:template AS text), {placeholders})"),
                            {"template": template, **values})
    connection.exec_driver_sql(sql.replace("%", "%%"))


def _ensure_role(connection: Connection, role: str, password: str | None) -> None:
    exists = connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": role})
    _statement(connection, f"{'ALTER' if exists else 'CREATE'} ROLE %I {_ROLE_ATTRIBUTES}", role=role)
    if password:
        _statement(connection, "ALTER ROLE %I PASSWORD %L", role=role, password=password)


def setup_roles(connection: Connection, *, owner: str = OWNER_ROLE, app: str = APP_ROLE,
                owner_password: str | None = None, app_password: str | None = None,
                schema: str = "public") -> None:
    """Create (or correct) both roles and every grant, in the connection's database and `schema`."""
    if owner == app:
        raise ValueError("the owner and the application must be two different roles")
    _ensure_role(connection, owner, owner_password)
    _ensure_role(connection, app, app_password)
    # The application must never act as the owner, not even through membership.
    if connection.scalar(text("SELECT pg_has_role(:app, :owner, 'MEMBER')"), {"app": app, "owner": owner}):
        _statement(connection, "REVOKE %I FROM %I", owner=owner, app=app)
    database = connection.scalar(text("SELECT current_database()"))
    _statement(connection, "GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I, %I", database=database, owner=owner,
               app=app)
    _statement(connection, "GRANT USAGE, CREATE ON SCHEMA %I TO %I", schema=schema, owner=owner)
    _statement(connection, "GRANT USAGE ON SCHEMA %I TO %I", schema=schema, app=app)
    _statement(connection, "REVOKE CREATE ON SCHEMA %I FROM PUBLIC", schema=schema)
    _statement(connection, "REVOKE CREATE ON SCHEMA %I FROM %I", schema=schema, app=app)
    for kind, name in connection.execute(text(_FOREIGN_OWNED), {"owner": owner, "schema": schema}).all():
        # `name` is already quoted as PostgreSQL prints a regclass or regprocedure.
        _statement(connection, f"ALTER {kind} {name.replace('%', '%%')} OWNER TO %I", owner=owner)
    _statement(connection, f"ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I GRANT {_TABLE_PRIVILEGES} "
                           f"ON TABLES TO %I", owner=owner, schema=schema, app=app)
    _statement(connection, f"ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I GRANT {_SEQUENCE_PRIVILEGES} "
                           f"ON SEQUENCES TO %I", owner=owner, schema=schema, app=app)
    _statement(connection, f"GRANT {_TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA %I TO %I", schema=schema, app=app)
    _statement(connection, f"GRANT {_SEQUENCE_PRIVILEGES} ON ALL SEQUENCES IN SCHEMA %I TO %I",
               schema=schema, app=app)
    for table in APPEND_ONLY_TABLES:
        if connection.scalar(text("SELECT to_regclass(format('%I.%I', CAST(:schema AS text), CAST(:table AS text)))"),
                             {"schema": schema, "table": table}):
            _statement(connection, f"REVOKE {_APPEND_ONLY_REFUSED} ON %I.%I FROM %I, PUBLIC",
                       schema=schema, table=table, app=app)
