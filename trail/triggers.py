"""Database triggers that make the audit table append-only.

The only permitted UPDATE is redaction: the payload set to NULL (it held
personal data) with a reason and a time, every other column unchanged. The
payload's hash stays, so the chain still verifies. Used by the migration that
creates the table and by nothing else.

Signed checkpoints (audit_checkpoint) are records too and admit no change at
all: `checkpoint_statements` installs their guards, used by the migration that
creates that table.

These statements are what those two migrations installed, and must stay so:
later changes are new migrations with their SQL written out in full. Since
then a redaction is made only by appending its audit.payload_redacted event
(migration 5b7c9d1e3f20, same trigger names). Tests that play someone with the
owner's rights use the "down" statements to drop the guards.
"""
from __future__ import annotations

_UNCHANGED = [
    "seq", "occurred_at", "actor_user_id", "actor_org_id", "actor_role", "actor_label",
    "action", "subject_type", "subject_id", "procurement_id", "audience", "summary",
    "payload_hash", "prev_hash", "hash",
]

SQLITE_UP = [
    """
    CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
    BEGIN
        SELECT RAISE(ABORT, 'audit_event is append-only: rows cannot be deleted');
    END
    """,
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

SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
]

POSTGRES_UP = [
    """
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
    """,
    """
    CREATE TRIGGER audit_event_guard_rows BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_guard()
    """,
    """
    CREATE TRIGGER audit_event_guard_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_guard()
    """,
]

POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS audit_event_guard_truncate ON audit_event",
    "DROP TRIGGER IF EXISTS audit_event_guard_rows ON audit_event",
    "DROP FUNCTION IF EXISTS audit_event_guard()",
]


def statements(dialect: str, direction: str = "up") -> list[str]:
    table = {
        ("sqlite", "up"): SQLITE_UP,
        ("sqlite", "down"): SQLITE_DOWN,
        ("postgresql", "up"): POSTGRES_UP,
        ("postgresql", "down"): POSTGRES_DOWN,
    }
    try:
        return table[(dialect, direction)]
    except KeyError:
        raise RuntimeError(f"No audit triggers for database dialect {dialect!r}") from None


# ---------------------------------------------------------------- checkpoints
#
# A checkpoint is never redacted (it holds no personal data), so every UPDATE,
# DELETE and TRUNCATE is refused.

CHECKPOINT_SQLITE_UP = [
    """
    CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint
    BEGIN
        SELECT RAISE(ABORT, 'audit_checkpoint is append-only: rows cannot be deleted');
    END
    """,
    """
    CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint
    BEGIN
        SELECT RAISE(ABORT, 'audit_checkpoint is append-only: rows cannot be changed');
    END
    """,
]

CHECKPOINT_SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_checkpoint_no_update",
    "DROP TRIGGER IF EXISTS audit_checkpoint_no_delete",
]

CHECKPOINT_POSTGRES_UP = [
    """
    CREATE OR REPLACE FUNCTION audit_checkpoint_guard() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' THEN
            RAISE EXCEPTION 'audit_checkpoint is append-only: rows cannot be deleted';
        END IF;
        RAISE EXCEPTION 'audit_checkpoint is append-only: rows cannot be changed';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_checkpoint_guard_rows BEFORE UPDATE OR DELETE ON audit_checkpoint
    FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_guard()
    """,
    """
    CREATE TRIGGER audit_checkpoint_guard_truncate BEFORE TRUNCATE ON audit_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoint_guard()
    """,
]

CHECKPOINT_POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS audit_checkpoint_guard_truncate ON audit_checkpoint",
    "DROP TRIGGER IF EXISTS audit_checkpoint_guard_rows ON audit_checkpoint",
    "DROP FUNCTION IF EXISTS audit_checkpoint_guard()",
]


def checkpoint_statements(dialect: str, direction: str = "up") -> list[str]:
    table = {
        ("sqlite", "up"): CHECKPOINT_SQLITE_UP,
        ("sqlite", "down"): CHECKPOINT_SQLITE_DOWN,
        ("postgresql", "up"): CHECKPOINT_POSTGRES_UP,
        ("postgresql", "down"): CHECKPOINT_POSTGRES_DOWN,
    }
    try:
        return table[(dialect, direction)]
    except KeyError:
        raise RuntimeError(f"No audit checkpoint triggers for database dialect {dialect!r}") from None
