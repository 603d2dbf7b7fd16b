"""A payload is redacted only by appending its own audit.payload_redacted event; nobody but the owner may
change the trail.

Until now the triggers let a plain UPDATE null a payload and set redacted_at
and redaction_reason with no event on the chain at all. From here on the
redaction is done by the database when the event that names it is appended
(an AFTER INSERT trigger), so the two are one statement and one transaction;
the UPDATE guard lets a redaction through only when that event exists, and
on PostgreSQL only from inside that trigger. On PostgreSQL the trigger's
function runs as the table owner (SECURITY DEFINER), so the application's
role needs no UPDATE on the trail at all, and this migration takes UPDATE,
DELETE, TRUNCATE, REFERENCES and TRIGGER on both append-only tables from
every role but their owner.

The SQL is written out here, not imported: a migration is history, and later
edits to application modules must never change what it did.

Revision ID: 5b7c9d1e3f20
Revises: 376c0dbb00fe
Create Date: 2026-12-03 09:00:00.000000

"""
from alembic import op
from sqlalchemy import text

# revision identifiers, used by Alembic.
revision = "5b7c9d1e3f20"
down_revision = "376c0dbb00fe"
branch_labels = None
depends_on = None

_UNCHANGED = [
    "seq", "occurred_at", "actor_user_id", "actor_org_id", "actor_role", "actor_label",
    "action", "subject_type", "subject_id", "procurement_id", "audience", "summary",
    "payload_hash", "prev_hash", "hash",
]

# ---------------------------------------------------------------- SQLite

_SQLITE_UP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    """
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
    WHEN NOT (
        OLD.payload IS NOT NULL AND NEW.payload IS NULL
        AND OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL
        AND NEW.redaction_reason IS NOT NULL
        AND """ + "\n        AND ".join(f"NEW.{c} IS OLD.{c}" for c in _UNCHANGED) + """
        AND EXISTS (
            SELECT 1 FROM audit_event AS r
            WHERE r.action = 'audit.payload_redacted' AND r.subject_type = 'audit_event'
              AND r.subject_id = CAST(OLD.seq AS TEXT) AND r.seq > OLD.seq
              AND r.occurred_at IS NEW.redacted_at
        )
    )
    BEGIN
        SELECT RAISE(ABORT, 'audit_event is append-only: only payload redaction is allowed, and only by appending its audit.payload_redacted event');
    END
    """,
    """
    CREATE TRIGGER audit_event_redaction AFTER INSERT ON audit_event
    WHEN NEW.action = 'audit.payload_redacted'
    BEGIN
        SELECT RAISE(ABORT, 'audit.payload_redacted must name the redacted event as its subject and carry its seq and the reason')
        WHERE NEW.subject_type IS NOT 'audit_event'
           OR json_extract(NEW.payload, '$.reason') IS NULL
           OR trim(json_extract(NEW.payload, '$.reason')) = ''
           OR CAST(json_extract(NEW.payload, '$.seq') AS TEXT) IS NOT NEW.subject_id;
        SELECT RAISE(ABORT, 'audit.payload_redacted names no earlier event whose payload is still there')
        WHERE NOT EXISTS (
            SELECT 1 FROM audit_event
            WHERE seq = CAST(NEW.subject_id AS INTEGER) AND seq < NEW.seq
              AND payload IS NOT NULL AND redacted_at IS NULL
        );
        UPDATE audit_event
           SET payload = NULL, redacted_at = NEW.occurred_at,
               redaction_reason = json_extract(NEW.payload, '$.reason')
         WHERE seq = CAST(NEW.subject_id AS INTEGER);
    END
    """,
]

_SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_event_redaction",
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    """
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
    WHEN NOT (
        OLD.payload IS NOT NULL AND NEW.payload IS NULL
        AND OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL
        AND NEW.redaction_reason IS NOT NULL
        AND """ + "\n        AND ".join(f"NEW.{c} IS OLD.{c}" for c in _UNCHANGED) + """
    )
    BEGIN
        SELECT RAISE(ABORT, 'audit_event is append-only: only payload redaction is allowed');
    END
    """,
]

# ---------------------------------------------------------------- PostgreSQL

_PG_GUARD = """
    CREATE OR REPLACE FUNCTION audit_event_guard() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' THEN
            RAISE EXCEPTION 'audit_event is append-only: rows cannot be deleted';
        END IF;
        IF OLD.payload IS NOT NULL AND NEW.payload IS NULL
           AND OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL
           AND NEW.redaction_reason IS NOT NULL
           AND """ + "\n           AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in _UNCHANGED) + """
        THEN
            -- Only the redaction trigger below (a nested trigger) may redact, and only for its own event.
            IF pg_trigger_depth() > 1 AND EXISTS (
                SELECT 1 FROM audit_event AS r
                WHERE r.action = 'audit.payload_redacted' AND r.subject_type = 'audit_event'
                  AND r.subject_id = OLD.seq::text AND r.seq > OLD.seq
                  AND r.occurred_at = NEW.redacted_at
            ) THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'audit_event is append-only: payload % is redacted only by appending its audit.payload_redacted event', OLD.seq;
        END IF;
        RAISE EXCEPTION 'audit_event is append-only: only payload redaction is allowed';
    END;
    $$ LANGUAGE plpgsql
"""

_PG_GUARD_BEFORE = """
    CREATE OR REPLACE FUNCTION audit_event_guard() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' THEN
            RAISE EXCEPTION 'audit_event is append-only: rows cannot be deleted';
        END IF;
        IF OLD.payload IS NOT NULL AND NEW.payload IS NULL
           AND OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL
           AND NEW.redaction_reason IS NOT NULL
           AND """ + "\n           AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in _UNCHANGED) + """
        THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit_event is append-only: only payload redaction is allowed';
    END;
    $$ LANGUAGE plpgsql
"""


def _pg_apply_redaction(schema: str) -> str:
    """The redaction itself, run by the owner's rights whoever appends the event (the app role has no UPDATE)."""
    return f"""
    CREATE OR REPLACE FUNCTION audit_event_apply_redaction() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
    DECLARE
        target integer;
        reason text;
    BEGIN
        IF NEW.subject_type IS DISTINCT FROM 'audit_event' OR NEW.subject_id IS NULL
           OR NEW.subject_id !~ '^[0-9]{{1,9}}$' OR NEW.payload IS NULL THEN
            RAISE EXCEPTION 'audit.payload_redacted must name the redacted event as its subject';
        END IF;
        target := NEW.subject_id::integer;
        reason := (NEW.payload::jsonb) ->> 'reason';
        IF reason IS NULL OR btrim(reason) = ''
           OR ((NEW.payload::jsonb) ->> 'seq') IS DISTINCT FROM NEW.subject_id THEN
            RAISE EXCEPTION 'audit.payload_redacted must carry the redacted seq and the reason in its payload';
        END IF;
        UPDATE audit_event SET payload = NULL, redacted_at = NEW.occurred_at, redaction_reason = reason
         WHERE seq = target AND seq < NEW.seq AND payload IS NOT NULL AND redacted_at IS NULL;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'audit.payload_redacted names no earlier event whose payload is still there (seq %)', target;
        END IF;
        RETURN NULL;
    END;
    $$
    """


_PG_REDACTION_TRIGGER = """
    CREATE TRIGGER audit_event_redaction AFTER INSERT ON audit_event
    FOR EACH ROW WHEN (NEW.action = 'audit.payload_redacted')
    EXECUTE FUNCTION audit_event_apply_redaction()
"""

# Whoever was granted more than SELECT and INSERT on the append-only tables (PUBLIC included) loses it;
# the owner keeps its rights. Default privileges set up for the application's role are undone here too.
_PG_REVOKE = """
    DO $$
    DECLARE
        item record;
    BEGIN
        REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_event, audit_checkpoint FROM PUBLIC;
        FOR item IN
            SELECT DISTINCT c.oid::regclass AS tbl, pg_get_userbyid(a.grantee) AS grantee
              FROM pg_class AS c, aclexplode(c.relacl) AS a
             WHERE c.oid IN ('audit_event'::regclass, 'audit_checkpoint'::regclass)
               AND a.grantee <> 0 AND a.grantee <> c.relowner
               AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER')
        LOOP
            EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON %s FROM %I',
                           item.tbl, item.grantee);
        END LOOP;
    END;
    $$
"""


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in _SQLITE_UP:
            op.execute(statement)
        return
    schema = bind.dialect.identifier_preparer.quote_identifier(bind.execute(text("SELECT current_schema()")).scalar())
    op.execute(_PG_GUARD)
    op.execute(_pg_apply_redaction(schema))
    op.execute(_PG_REDACTION_TRIGGER)
    op.execute(_PG_REVOKE)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in _SQLITE_DOWN:
            op.execute(statement)
        return
    op.execute("DROP TRIGGER IF EXISTS audit_event_redaction ON audit_event")
    op.execute("DROP FUNCTION IF EXISTS audit_event_apply_redaction()")
    op.execute(_PG_GUARD_BEFORE)
