"""Baseline: the whole schema in one revision, with the audit trail's guards frozen in it as SQL.

This revision replaced the chain of nineteen that built the schema step by
step (accounts and the trail, forums, procurements and everything after them).
It keeps the id of that chain's last revision, so a database already stamped
there is already at this baseline, and revisions written on top of it chain on
unchanged. A fresh database gets exactly the schema the old chain made: the
tables in their column order, the constraints and indexes, the forum search
index (FTS5 on SQLite, a tsvector table with a GIN index on PostgreSQL), the
triggers that keep the trail and its checkpoints append-only (a redaction is
made only by appending its audit.payload_redacted event), the public
procurement thresholds, and on PostgreSQL the revocations that leave the
application's role only SELECT and INSERT on the append-only tables.

The SQL is written out here, never imported: a migration is history, and later
edits to application modules must not change what it does.

Revision ID: 4c7d2e9a1b63
Revises:
Create Date: 2026-12-03 14:30:00

"""
from datetime import date

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "4c7d2e9a1b63"
down_revision = None
branch_labels = None
depends_on = None

# ---------------------------------------------------------------- the forum search index

_SQLITE_FORUM_SEARCH = r"""CREATE VIRTUAL TABLE forum_search USING fts5(kind UNINDEXED, ref_id UNINDEXED, forum_id UNINDEXED, title, body, label UNINDEXED, tokenize = 'porter unicode61 remove_diacritics 2')"""

_PG_FORUM_SEARCH = [
    r"""CREATE TABLE forum_search ( id SERIAL CONSTRAINT pk_forum_search PRIMARY KEY, kind VARCHAR(20) NOT NULL, ref_id INTEGER NOT NULL, forum_id INTEGER NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL, label TEXT NOT NULL, document TSVECTOR NOT NULL, CONSTRAINT uq_forum_search_kind UNIQUE (kind, ref_id))""",
    r"""CREATE INDEX ix_forum_search_document ON forum_search USING GIN (document)""",
]

# ---------------------------------------------------------------- the trail's guards on SQLite

_SQLITE_TRIGGERS = [
    r"""CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
    BEGIN
        SELECT RAISE(ABORT, 'audit_event is append-only: rows cannot be deleted');
    END""",
    r"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
    WHEN NOT (
        OLD.payload IS NOT NULL AND NEW.payload IS NULL
        AND OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL
        AND NEW.redaction_reason IS NOT NULL
        AND NEW.seq IS OLD.seq
        AND NEW.occurred_at IS OLD.occurred_at
        AND NEW.actor_user_id IS OLD.actor_user_id
        AND NEW.actor_org_id IS OLD.actor_org_id
        AND NEW.actor_role IS OLD.actor_role
        AND NEW.actor_label IS OLD.actor_label
        AND NEW.action IS OLD.action
        AND NEW.subject_type IS OLD.subject_type
        AND NEW.subject_id IS OLD.subject_id
        AND NEW.procurement_id IS OLD.procurement_id
        AND NEW.audience IS OLD.audience
        AND NEW.summary IS OLD.summary
        AND NEW.payload_hash IS OLD.payload_hash
        AND NEW.prev_hash IS OLD.prev_hash
        AND NEW.hash IS OLD.hash
        AND EXISTS (
            SELECT 1 FROM audit_event AS r
            WHERE r.action = 'audit.payload_redacted' AND r.subject_type = 'audit_event'
              AND r.subject_id = CAST(OLD.seq AS TEXT) AND r.seq > OLD.seq
              AND r.occurred_at IS NEW.redacted_at
        )
    )
    BEGIN
        SELECT RAISE(ABORT, 'audit_event is append-only: only payload redaction is allowed, and only by appending its audit.payload_redacted event');
    END""",
    r"""CREATE TRIGGER audit_event_redaction AFTER INSERT ON audit_event
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
    END""",
    r"""CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint
    BEGIN
        SELECT RAISE(ABORT, 'audit_checkpoint is append-only: rows cannot be deleted');
    END""",
    r"""CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint
    BEGIN
        SELECT RAISE(ABORT, 'audit_checkpoint is append-only: rows cannot be changed');
    END""",
]

# ---------------------------------------------------------------- the trail's guards on PostgreSQL

_PG_EVENT_GUARD = r"""CREATE FUNCTION audit_event_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' THEN
            RAISE EXCEPTION 'audit_event is append-only: rows cannot be deleted';
        END IF;
        IF OLD.payload IS NOT NULL AND NEW.payload IS NULL
           AND OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL
           AND NEW.redaction_reason IS NOT NULL
           AND NEW.seq IS NOT DISTINCT FROM OLD.seq
           AND NEW.occurred_at IS NOT DISTINCT FROM OLD.occurred_at
           AND NEW.actor_user_id IS NOT DISTINCT FROM OLD.actor_user_id
           AND NEW.actor_org_id IS NOT DISTINCT FROM OLD.actor_org_id
           AND NEW.actor_role IS NOT DISTINCT FROM OLD.actor_role
           AND NEW.actor_label IS NOT DISTINCT FROM OLD.actor_label
           AND NEW.action IS NOT DISTINCT FROM OLD.action
           AND NEW.subject_type IS NOT DISTINCT FROM OLD.subject_type
           AND NEW.subject_id IS NOT DISTINCT FROM OLD.subject_id
           AND NEW.procurement_id IS NOT DISTINCT FROM OLD.procurement_id
           AND NEW.audience IS NOT DISTINCT FROM OLD.audience
           AND NEW.summary IS NOT DISTINCT FROM OLD.summary
           AND NEW.payload_hash IS NOT DISTINCT FROM OLD.payload_hash
           AND NEW.prev_hash IS NOT DISTINCT FROM OLD.prev_hash
           AND NEW.hash IS NOT DISTINCT FROM OLD.hash
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
    $$"""

_PG_CHECKPOINT_GUARD = r"""CREATE FUNCTION audit_checkpoint_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' THEN
            RAISE EXCEPTION 'audit_checkpoint is append-only: rows cannot be deleted';
        END IF;
        RAISE EXCEPTION 'audit_checkpoint is append-only: rows cannot be changed';
    END;
    $$"""

# Runs with the owner's rights whoever appends the event (the application's role has no UPDATE on the trail);
# its search_path is the schema migrated, put in where the placeholder stands.
_PG_APPLY_REDACTION = r"""CREATE FUNCTION audit_event_apply_redaction() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = SCHEMA_NAME, pg_temp AS $$
    DECLARE
        target integer;
        reason text;
    BEGIN
        IF NEW.subject_type IS DISTINCT FROM 'audit_event' OR NEW.subject_id IS NULL
           OR NEW.subject_id !~ '^[0-9]{1,9}$' OR NEW.payload IS NULL THEN
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
    $$"""

_PG_TRIGGERS = [
    r"""CREATE TRIGGER audit_event_guard_rows BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_guard()""",
    r"""CREATE TRIGGER audit_event_guard_truncate BEFORE TRUNCATE ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION audit_event_guard()""",
    r"""CREATE TRIGGER audit_event_redaction AFTER INSERT ON audit_event FOR EACH ROW WHEN (NEW.action = 'audit.payload_redacted') EXECUTE FUNCTION audit_event_apply_redaction()""",
    r"""CREATE TRIGGER audit_checkpoint_guard_rows BEFORE UPDATE OR DELETE ON audit_checkpoint FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_guard()""",
    r"""CREATE TRIGGER audit_checkpoint_guard_truncate BEFORE TRUNCATE ON audit_checkpoint FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoint_guard()""",
]

# Whoever was granted more than SELECT and INSERT on the append-only tables (PUBLIC included, and the
# application's role through the owner's default privileges) loses it; the owner keeps its rights.
_PG_REVOKE = r"""
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

# ---------------------------------------------------------------- public procurement thresholds (pence, incl. VAT)

_THRESHOLDS = [
    {'code': 'light_touch', 'label': 'Light-touch services threshold (incl. VAT)', 'amount_pence': 66354000, 'effective_from': date(2024, 1, 1), 'effective_to': date(2025, 12, 31), 'jurisdiction': 'england', 'source': 'PA23 Schedule 1 and PCR 2015 reg 5, figures in force from 1 January 2024'},
    {'code': 'notifiable_below_threshold', 'label': 'Notifiable below-threshold contract, sub-central authority (incl. VAT)', 'amount_pence': 3000000, 'effective_from': date(2025, 2, 24), 'effective_to': date(2025, 12, 31), 'jurisdiction': 'england', 'source': 'PA23 Part 6 (ss.85-88), notifiable below-threshold contracts, from 24 February 2025'},
    {'code': 'modified_contract_publication', 'label': 'Publication of a modified contract, PA23 s.77 (incl. VAT)', 'amount_pence': 500000000, 'effective_from': date(2025, 2, 24), 'effective_to': None, 'jurisdiction': 'england', 'source': 'PA23 s.77(1)(b): £5 million (incl. VAT)'},
    {'code': 'services_sub_central', 'label': 'Services threshold, sub-central authority (incl. VAT)', 'amount_pence': 21490400, 'effective_from': date(2024, 1, 1), 'effective_to': date(2025, 12, 31), 'jurisdiction': 'england', 'source': 'PA23 Schedule 1 and PCR 2015 reg 5, figures in force from 1 January 2024'},
    {'code': 'light_touch', 'label': 'Light-touch contracts (incl. VAT)', 'amount_pence': 66354000, 'effective_from': date(2026, 1, 1), 'effective_to': None, 'jurisdiction': 'england', 'source': 'SI 2025/1200, from 1 January 2026'},
    {'code': 'light_touch', 'label': 'Light-touch contracts (incl. VAT)', 'amount_pence': 66354000, 'effective_from': date(2024, 1, 1), 'effective_to': date(2025, 12, 31), 'jurisdiction': 'wales', 'source': 'PA23 Schedule 1 and PCR 2015 reg 5, figures in force from 1 January 2024'},
    {'code': 'light_touch', 'label': 'Light-touch contracts (incl. VAT)', 'amount_pence': 66354000, 'effective_from': date(2026, 1, 1), 'effective_to': None, 'jurisdiction': 'wales', 'source': 'The Welsh instrument amending the thresholds from 1 January 2026 (same figures as SI 2025/1200)'},
    {'code': 'services_sub_central', 'label': 'Goods and services, sub-central authority (incl. VAT)', 'amount_pence': 20772000, 'effective_from': date(2026, 1, 1), 'effective_to': None, 'jurisdiction': 'england', 'source': 'SI 2025/1200, from 1 January 2026'},
    {'code': 'services_sub_central', 'label': 'Goods and services, sub-central authority (incl. VAT)', 'amount_pence': 21490400, 'effective_from': date(2024, 1, 1), 'effective_to': date(2025, 12, 31), 'jurisdiction': 'wales', 'source': 'PA23 Schedule 1 and PCR 2015 reg 5, figures in force from 1 January 2024'},
    {'code': 'services_sub_central', 'label': 'Goods and services, sub-central authority (incl. VAT)', 'amount_pence': 20772000, 'effective_from': date(2026, 1, 1), 'effective_to': None, 'jurisdiction': 'wales', 'source': 'The Welsh instrument amending the thresholds from 1 January 2026 (same figures as SI 2025/1200)'},
    {'code': 'services_central', 'label': 'Goods and services, central government authority (incl. VAT)', 'amount_pence': 13968800, 'effective_from': date(2024, 1, 1), 'effective_to': date(2025, 12, 31), 'jurisdiction': 'england', 'source': 'PA23 Schedule 1 and PCR 2015 reg 5, figures in force from 1 January 2024'},
    {'code': 'services_central', 'label': 'Goods and services, central government authority (incl. VAT)', 'amount_pence': 13501800, 'effective_from': date(2026, 1, 1), 'effective_to': None, 'jurisdiction': 'england', 'source': 'SI 2025/1200, from 1 January 2026'},
    {'code': 'services_central', 'label': 'Goods and services, central government authority (incl. VAT)', 'amount_pence': 13968800, 'effective_from': date(2024, 1, 1), 'effective_to': date(2025, 12, 31), 'jurisdiction': 'wales', 'source': 'PA23 Schedule 1 and PCR 2015 reg 5, figures in force from 1 January 2024'},
    {'code': 'services_central', 'label': 'Goods and services, central government authority (incl. VAT)', 'amount_pence': 13501800, 'effective_from': date(2026, 1, 1), 'effective_to': None, 'jurisdiction': 'wales', 'source': 'The Welsh instrument amending the thresholds from 1 January 2026 (same figures as SI 2025/1200)'},
    {'code': 'works', 'label': 'Works (incl. VAT)', 'amount_pence': 537260900, 'effective_from': date(2024, 1, 1), 'effective_to': date(2025, 12, 31), 'jurisdiction': 'england', 'source': 'PA23 Schedule 1 and PCR 2015 reg 5, figures in force from 1 January 2024'},
    {'code': 'works', 'label': 'Works (incl. VAT)', 'amount_pence': 519300000, 'effective_from': date(2026, 1, 1), 'effective_to': None, 'jurisdiction': 'england', 'source': 'SI 2025/1200, from 1 January 2026'},
    {'code': 'works', 'label': 'Works (incl. VAT)', 'amount_pence': 537260900, 'effective_from': date(2024, 1, 1), 'effective_to': date(2025, 12, 31), 'jurisdiction': 'wales', 'source': 'PA23 Schedule 1 and PCR 2015 reg 5, figures in force from 1 January 2024'},
    {'code': 'works', 'label': 'Works (incl. VAT)', 'amount_pence': 519300000, 'effective_from': date(2026, 1, 1), 'effective_to': None, 'jurisdiction': 'wales', 'source': 'The Welsh instrument amending the thresholds from 1 January 2026 (same figures as SI 2025/1200)'},
    {'code': 'notifiable_below_threshold', 'label': 'Notifiable below-threshold contract, sub-central authority (incl. VAT)', 'amount_pence': 3000000, 'effective_from': date(2026, 1, 1), 'effective_to': None, 'jurisdiction': 'england', 'source': 'PA23 Part 6 (ss.85-88), notifiable below-threshold contracts; SI 2025/1200, from 1 January 2026'},
    {'code': 'notifiable_below_threshold', 'label': 'Notifiable below-threshold contract, sub-central authority (incl. VAT)', 'amount_pence': 3000000, 'effective_from': date(2025, 2, 24), 'effective_to': date(2025, 12, 31), 'jurisdiction': 'wales', 'source': 'PA23 Part 6 (ss.85-88), notifiable below-threshold contracts, from 24 February 2025'},
    {'code': 'notifiable_below_threshold', 'label': 'Notifiable below-threshold contract, sub-central authority (incl. VAT)', 'amount_pence': 3000000, 'effective_from': date(2026, 1, 1), 'effective_to': None, 'jurisdiction': 'wales', 'source': 'PA23 Part 6 (ss.85-88), notifiable below-threshold contracts; The Welsh instrument amending the thresholds from 1 January 2026 (same figures as SI 2025/1200)'},
    {'code': 'notifiable_below_threshold_central', 'label': 'Notifiable below-threshold contract, central government authority (incl. VAT)', 'amount_pence': 1200000, 'effective_from': date(2025, 2, 24), 'effective_to': date(2025, 12, 31), 'jurisdiction': 'england', 'source': 'PA23 Part 6 (ss.85-88), notifiable below-threshold contracts, from 24 February 2025'},
    {'code': 'notifiable_below_threshold_central', 'label': 'Notifiable below-threshold contract, central government authority (incl. VAT)', 'amount_pence': 1200000, 'effective_from': date(2026, 1, 1), 'effective_to': None, 'jurisdiction': 'england', 'source': 'PA23 Part 6 (ss.85-88), notifiable below-threshold contracts; SI 2025/1200, from 1 January 2026'},
    {'code': 'notifiable_below_threshold_central', 'label': 'Notifiable below-threshold contract, central government authority (incl. VAT)', 'amount_pence': 1200000, 'effective_from': date(2025, 2, 24), 'effective_to': date(2025, 12, 31), 'jurisdiction': 'wales', 'source': 'PA23 Part 6 (ss.85-88), notifiable below-threshold contracts, from 24 February 2025'},
    {'code': 'notifiable_below_threshold_central', 'label': 'Notifiable below-threshold contract, central government authority (incl. VAT)', 'amount_pence': 1200000, 'effective_from': date(2026, 1, 1), 'effective_to': None, 'jurisdiction': 'wales', 'source': 'PA23 Part 6 (ss.85-88), notifiable below-threshold contracts; The Welsh instrument amending the thresholds from 1 January 2026 (same figures as SI 2025/1200)'},
]


def upgrade():
    op.create_table('audit_event',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('actor_user_id', sa.Integer(), nullable=True),
    sa.Column('actor_org_id', sa.Integer(), nullable=True),
    sa.Column('actor_role', sa.String(length=32), nullable=True),
    sa.Column('actor_label', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('subject_type', sa.String(length=60), nullable=True),
    sa.Column('subject_id', sa.String(length=60), nullable=True),
    sa.Column('procurement_id', sa.Integer(), nullable=True),
    sa.Column('audience', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=True),
    sa.Column('payload_hash', sa.String(length=64), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('redacted_at', sa.DateTime(), nullable=True),
    sa.Column('redaction_reason', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_event')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_event_hash')),
    sa.UniqueConstraint('prev_hash', name=op.f('uq_audit_event_prev_hash'))
    )
    op.create_index(op.f('ix_audit_event_action'), 'audit_event', ['action'], unique=False)
    op.create_index('ix_audit_event_actor_user_id', 'audit_event', ['actor_user_id'], unique=False)
    op.create_index(op.f('ix_audit_event_procurement_id'), 'audit_event', ['procurement_id'], unique=False)
    op.create_index('ix_audit_event_subject', 'audit_event', ['subject_type', 'subject_id'], unique=False)
    op.create_table('audit_verification_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_by_user_id', sa.Integer(), nullable=True),
    sa.Column('started_by_label', sa.String(length=200), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('heartbeat_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('running_slot', sa.Integer(), nullable=True),
    sa.Column('up_to_seq', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('checked', sa.Integer(), nullable=False),
    sa.Column('head_seq', sa.Integer(), nullable=True),
    sa.Column('head_hash', sa.String(length=64), nullable=True),
    sa.Column('first_bad_seq', sa.Integer(), nullable=True),
    sa.Column('problem', sa.Text(), nullable=True),
    sa.Column('event_seq', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_verification_run')),
    sa.UniqueConstraint('running_slot', name=op.f('uq_audit_verification_run_running_slot'))
    )
    op.create_index(op.f('ix_audit_verification_run_status'), 'audit_verification_run', ['status'], unique=False)
    op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('provider_type', sa.String(length=32), nullable=True),
    sa.Column('council', sa.String(length=200), nullable=True),
    sa.Column('region', sa.String(length=100), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('about_md', sa.Text(), nullable=False),
    sa.Column('about_html', sa.Text(), nullable=False),
    sa.Column('ofsted_urn', sa.String(length=20), nullable=True),
    sa.Column('companies_house_number', sa.String(length=20), nullable=True),
    sa.Column('charity_number', sa.String(length=20), nullable=True),
    sa.Column('gss_code', sa.String(length=20), nullable=True),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('verification_note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('legal_form', sa.String(length=40), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation')),
    sa.UniqueConstraint('name', name=op.f('uq_organisation_name'))
    )
    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message'))
    )
    op.create_index(op.f('ix_outbox_message_sent_at'), 'outbox_message', ['sent_at'], unique=False)
    op.create_table('procurement_threshold',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('amount_pence', sa.BigInteger(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.Column('jurisdiction', sa.String(length=20), server_default='england', nullable=False),
    sa.Column('source', sa.String(length=300), server_default='', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_threshold'))
    )
    op.create_table('audit_checkpoint',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('head_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('signature', sa.String(length=88), nullable=False),
    sa.Column('public_key', sa.String(length=44), nullable=False),
    sa.Column('key_fingerprint', sa.String(length=64), nullable=False),
    sa.Column('event_seq', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_seq'], ['audit_event.seq'], name=op.f('fk_audit_checkpoint_event_seq_audit_event')),
    sa.ForeignKeyConstraint(['seq'], ['audit_event.seq'], name=op.f('fk_audit_checkpoint_seq_audit_event')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_checkpoint')),
    sa.UniqueConstraint('event_seq', name=op.f('uq_audit_checkpoint_event_seq'))
    )
    op.create_table('consortium_member',
    sa.Column('consortium_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consortium_id'], ['organisation.id'], name=op.f('fk_consortium_member_consortium_id_organisation')),
    sa.ForeignKeyConstraint(['member_id'], ['organisation.id'], name=op.f('fk_consortium_member_member_id_organisation')),
    sa.PrimaryKeyConstraint('consortium_id', 'member_id', name=op.f('pk_consortium_member'))
    )
    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('job_title', sa.String(length=200), nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=True),
    sa.Column('email_confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('totp_secret', sa.String(length=64), nullable=True),
    sa.Column('totp_enabled_at', sa.DateTime(), nullable=True),
    sa.Column('totp_last_step', sa.Integer(), nullable=True),
    sa.Column('is_suspended', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_sign_in_at', sa.DateTime(), nullable=True),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_user_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user')),
    sa.UniqueConstraint('email', name=op.f('uq_user_email'))
    )
    op.create_index(op.f('ix_user_organisation_id'), 'user', ['organisation_id'], unique=False)
    op.create_table('account_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_account_token_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_account_token_token_hash'))
    )
    op.create_index(op.f('ix_account_token_user_id'), 'account_token', ['user_id'], unique=False)
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['user.id'], name=op.f('fk_api_token_revoked_by_id_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_api_token_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    op.create_index(op.f('ix_api_token_user_id'), 'api_token', ['user_id'], unique=False)
    op.create_table('audit_checkpoint_subscription',
    sa.Column('user_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('subscribed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_audit_checkpoint_subscription_user_id_user')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_audit_checkpoint_subscription'))
    )
    op.create_table('forum',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('remit_md', sa.Text(), nullable=False),
    sa.Column('remit_html', sa.Text(), nullable=False),
    sa.Column('region', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_forum_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum')),
    sa.UniqueConstraint('slug', name=op.f('uq_forum_slug'))
    )
    op.create_index(op.f('ix_forum_region'), 'forum', ['region'], unique=False)
    op.create_index(op.f('ix_forum_status'), 'forum', ['status'], unique=False)
    op.create_table('forum_notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('email_pending', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_forum_notification_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_notification'))
    )
    op.create_index(op.f('ix_forum_notification_email_pending'), 'forum_notification', ['email_pending'], unique=False)
    op.create_index(op.f('ix_forum_notification_user_id'), 'forum_notification', ['user_id'], unique=False)
    op.create_table('forum_notification_setting',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('email_mode', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_forum_notification_setting_user_id_user')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_forum_notification_setting'))
    )
    op.create_table('forum_category',
    sa.Column('forum_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['forum_id'], ['forum.id'], name=op.f('fk_forum_category_forum_id_forum')),
    sa.PrimaryKeyConstraint('forum_id', 'category', name=op.f('pk_forum_category'))
    )
    op.create_index(op.f('ix_forum_category_category'), 'forum_category', ['category'], unique=False)
    op.create_table('forum_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('forum_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=True),
    sa.Column('online_link', sa.String(length=500), nullable=True),
    sa.Column('agenda_md', sa.Text(), nullable=False),
    sa.Column('agenda_html', sa.Text(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('minutes_md', sa.Text(), nullable=True),
    sa.Column('minutes_html', sa.Text(), nullable=True),
    sa.Column('minutes_published_at', sa.DateTime(), nullable=True),
    sa.Column('attendance_recorded_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('cancellation_reason', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_forum_meeting_created_by_id_user')),
    sa.ForeignKeyConstraint(['forum_id'], ['forum.id'], name=op.f('fk_forum_meeting_forum_id_forum')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_meeting'))
    )
    op.create_index(op.f('ix_forum_meeting_forum_id'), 'forum_meeting', ['forum_id'], unique=False)
    op.create_index(op.f('ix_forum_meeting_starts_at'), 'forum_meeting', ['starts_at'], unique=False)
    op.create_table('forum_membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('forum_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['forum_id'], ['forum.id'], name=op.f('fk_forum_membership_forum_id_forum')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_forum_membership_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_membership')),
    sa.UniqueConstraint('forum_id', 'user_id', name='uq_forum_membership_forum_user')
    )
    op.create_index(op.f('ix_forum_membership_forum_id'), 'forum_membership', ['forum_id'], unique=False)
    op.create_index(op.f('ix_forum_membership_user_id'), 'forum_membership', ['user_id'], unique=False)
    op.create_table('forum_owner',
    sa.Column('forum_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['forum_id'], ['forum.id'], name=op.f('fk_forum_owner_forum_id_forum')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_forum_owner_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('forum_id', 'organisation_id', name=op.f('pk_forum_owner'))
    )
    op.create_table('forum_thread',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('forum_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_activity_at', sa.DateTime(), nullable=False),
    sa.Column('post_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_forum_thread_author_id_user')),
    sa.ForeignKeyConstraint(['forum_id'], ['forum.id'], name=op.f('fk_forum_thread_forum_id_forum')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_thread'))
    )
    op.create_index(op.f('ix_forum_thread_forum_id'), 'forum_thread', ['forum_id'], unique=False)
    op.create_index(op.f('ix_forum_thread_last_activity_at'), 'forum_thread', ['last_activity_at'], unique=False)
    op.create_table('procurement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('owner_org_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('region', sa.String(length=100), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('subject_md', sa.Text(), nullable=False),
    sa.Column('subject_html', sa.Text(), nullable=False),
    sa.Column('estimated_value_pence', sa.BigInteger(), nullable=True),
    sa.Column('contract_type', sa.String(length=20), nullable=True),
    sa.Column('duration_months', sa.Integer(), nullable=True),
    sa.Column('extension_months', sa.Integer(), nullable=False),
    sa.Column('review_clauses_md', sa.Text(), nullable=False),
    sa.Column('review_clauses_html', sa.Text(), nullable=False),
    sa.Column('score_max', sa.Integer(), nullable=False),
    sa.Column('engagement_closes_on', sa.Date(), nullable=True),
    sa.Column('engagement_published_at', sa.DateTime(), nullable=True),
    sa.Column('no_engagement_reason', sa.Text(), nullable=True),
    sa.Column('tender_published_at', sa.DateTime(), nullable=True),
    sa.Column('clarification_deadline', sa.DateTime(), nullable=True),
    sa.Column('response_deadline', sa.DateTime(), nullable=True),
    sa.Column('open_requested_by_id', sa.Integer(), nullable=True),
    sa.Column('open_requested_at', sa.DateTime(), nullable=True),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=True),
    sa.Column('closed_reason', sa.Text(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('forum_id', sa.Integer(), nullable=True),
    sa.Column('cpv_code', sa.String(length=8), nullable=True),
    sa.Column('recorded_start_on', sa.Date(), nullable=True),
    sa.Column('psr_decision', sa.String(length=20), server_default='', nullable=False),
    sa.Column('psr_reason', sa.Text(), server_default='', nullable=False),
    sa.Column('psr_process', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_procurement_created_by_id_user')),
    sa.ForeignKeyConstraint(['forum_id'], ['forum.id'], name=op.f('fk_procurement_forum_id_forum')),
    sa.ForeignKeyConstraint(['open_requested_by_id'], ['user.id'], name=op.f('fk_procurement_open_requested_by_id_user')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['user.id'], name=op.f('fk_procurement_opened_by_id_user')),
    sa.ForeignKeyConstraint(['owner_org_id'], ['organisation.id'], name=op.f('fk_procurement_owner_org_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement')),
    sa.UniqueConstraint('reference', name=op.f('uq_procurement_reference'))
    )
    op.create_index(op.f('ix_procurement_forum_id'), 'procurement', ['forum_id'], unique=False)
    op.create_index(op.f('ix_procurement_owner_org_id'), 'procurement', ['owner_org_id'], unique=False)
    op.create_index(op.f('ix_procurement_stage'), 'procurement', ['stage'], unique=False)
    op.create_table('award_criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_award_criterion_procurement_id_procurement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_criterion'))
    )
    op.create_index(op.f('ix_award_criterion_procurement_id'), 'award_criterion', ['procurement_id'], unique=False)
    op.create_table('clarification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('asker_org_id', sa.Integer(), nullable=False),
    sa.Column('asker_user_id', sa.Integer(), nullable=False),
    sa.Column('pseudonym_number', sa.Integer(), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('asked_at', sa.DateTime(), nullable=False),
    sa.Column('answer_md', sa.Text(), nullable=True),
    sa.Column('answer_html', sa.Text(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_late', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user.id'], name=op.f('fk_clarification_answered_by_id_user')),
    sa.ForeignKeyConstraint(['asker_org_id'], ['organisation.id'], name=op.f('fk_clarification_asker_org_id_organisation')),
    sa.ForeignKeyConstraint(['asker_user_id'], ['user.id'], name=op.f('fk_clarification_asker_user_id_user')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_clarification_procurement_id_procurement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clarification'))
    )
    op.create_index(op.f('ix_clarification_procurement_id'), 'clarification', ['procurement_id'], unique=False)
    op.create_table('codesign_mitigation_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('shared_md', sa.Text(), nullable=False),
    sa.Column('shared_html', sa.Text(), nullable=False),
    sa.Column('time_limit_md', sa.Text(), nullable=False),
    sa.Column('time_limit_html', sa.Text(), nullable=False),
    sa.Column('providers_json', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_codesign_mitigation_note_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_codesign_mitigation_note_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_codesign_mitigation_note')),
    sa.UniqueConstraint('procurement_id', 'number', name='uq_codesign_mitigation_note_procurement_number')
    )
    op.create_index(op.f('ix_codesign_mitigation_note_procurement_id'), 'codesign_mitigation_note', ['procurement_id'], unique=False)
    op.create_table('codesign_thread',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['opened_by_id'], ['user.id'], name=op.f('fk_codesign_thread_opened_by_id_user')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_codesign_thread_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_codesign_thread_procurement_id_procurement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_codesign_thread'))
    )
    op.create_index(op.f('ix_codesign_thread_procurement_id'), 'codesign_thread', ['procurement_id'], unique=False)
    op.create_table('conflict_declaration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('roles', sa.String(length=100), nullable=False),
    sa.Column('has_interest', sa.Boolean(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('declared_at', sa.DateTime(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_conflict_declaration_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_conflict_declaration_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_conflict_declaration_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflict_declaration'))
    )
    op.create_index(op.f('ix_conflict_declaration_organisation_id'), 'conflict_declaration', ['organisation_id'], unique=False)
    op.create_index(op.f('ix_conflict_declaration_procurement_id'), 'conflict_declaration', ['procurement_id'], unique=False)
    op.create_index(op.f('ix_conflict_declaration_user_id'), 'conflict_declaration', ['user_id'], unique=False)
    op.create_table('conflicts_assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('none_identified', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_conflicts_assessment_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_conflicts_assessment_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflicts_assessment')),
    sa.UniqueConstraint('procurement_id', 'version', name='uq_conflicts_assessment_procurement_version')
    )
    op.create_index(op.f('ix_conflicts_assessment_procurement_id'), 'conflicts_assessment', ['procurement_id'], unique=False)
    op.create_table('evaluator_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('is_moderator', sa.Boolean(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(), nullable=False),
    sa.Column('scores_submitted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_evaluator_assignment_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_evaluator_assignment_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluator_assignment')),
    sa.UniqueConstraint('procurement_id', 'user_id', name='uq_evaluator_assignment_procurement_user')
    )
    op.create_index(op.f('ix_evaluator_assignment_procurement_id'), 'evaluator_assignment', ['procurement_id'], unique=False)
    op.create_table('forum_meeting_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['forum_meeting.id'], name=op.f('fk_forum_meeting_registration_meeting_id_forum_meeting')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_forum_meeting_registration_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_meeting_registration')),
    sa.UniqueConstraint('meeting_id', 'user_id', name='uq_forum_meeting_registration_meeting_user')
    )
    op.create_index(op.f('ix_forum_meeting_registration_meeting_id'), 'forum_meeting_registration', ['meeting_id'], unique=False)
    op.create_index(op.f('ix_forum_meeting_registration_user_id'), 'forum_meeting_registration', ['user_id'], unique=False)
    op.create_table('forum_need_statement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('forum_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('cohort_size', sa.Integer(), nullable=False),
    sa.Column('age_bands', sa.String(length=100), nullable=False),
    sa.Column('current_provision_md', sa.Text(), nullable=False),
    sa.Column('current_provision_html', sa.Text(), nullable=False),
    sa.Column('gaps_md', sa.Text(), nullable=False),
    sa.Column('gaps_html', sa.Text(), nullable=False),
    sa.Column('outcomes_md', sa.Text(), nullable=False),
    sa.Column('outcomes_html', sa.Text(), nullable=False),
    sa.Column('budget_min', sa.Integer(), nullable=True),
    sa.Column('budget_max', sa.Integer(), nullable=True),
    sa.Column('timescale', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_forum_need_statement_author_id_user')),
    sa.ForeignKeyConstraint(['forum_id'], ['forum.id'], name=op.f('fk_forum_need_statement_forum_id_forum')),
    sa.ForeignKeyConstraint(['thread_id'], ['forum_thread.id'], name=op.f('fk_forum_need_statement_thread_id_forum_thread')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_need_statement')),
    sa.UniqueConstraint('thread_id', name=op.f('uq_forum_need_statement_thread_id'))
    )
    op.create_index(op.f('ix_forum_need_statement_forum_id'), 'forum_need_statement', ['forum_id'], unique=False)
    op.create_index(op.f('ix_forum_need_statement_status'), 'forum_need_statement', ['status'], unique=False)
    op.create_table('forum_post',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('quoted_post_id', sa.Integer(), nullable=True),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.Column('revision_count', sa.Integer(), nullable=False),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_forum_post_author_id_user')),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['user.id'], name=op.f('fk_forum_post_hidden_by_id_user')),
    sa.ForeignKeyConstraint(['quoted_post_id'], ['forum_post.id'], name=op.f('fk_forum_post_quoted_post_id_forum_post')),
    sa.ForeignKeyConstraint(['thread_id'], ['forum_thread.id'], name=op.f('fk_forum_post_thread_id_forum_thread')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_post'))
    )
    op.create_index(op.f('ix_forum_post_author_id'), 'forum_post', ['author_id'], unique=False)
    op.create_index(op.f('ix_forum_post_thread_id'), 'forum_post', ['thread_id'], unique=False)
    op.create_table('forum_watch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('forum_id', sa.Integer(), nullable=True),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['forum_id'], ['forum.id'], name=op.f('fk_forum_watch_forum_id_forum')),
    sa.ForeignKeyConstraint(['thread_id'], ['forum_thread.id'], name=op.f('fk_forum_watch_thread_id_forum_thread')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_forum_watch_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_watch')),
    sa.UniqueConstraint('user_id', 'forum_id', 'thread_id', name='uq_forum_watch_user_forum_thread')
    )
    op.create_index(op.f('ix_forum_watch_forum_id'), 'forum_watch', ['forum_id'], unique=False)
    op.create_index(op.f('ix_forum_watch_thread_id'), 'forum_watch', ['thread_id'], unique=False)
    op.create_index(op.f('ix_forum_watch_user_id'), 'forum_watch', ['user_id'], unique=False)
    op.create_table('ledger_conversation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commissioner_org_id', sa.Integer(), nullable=False),
    sa.Column('provider_org_id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('last_message_at', sa.DateTime(), nullable=False),
    sa.Column('tagged_by_id', sa.Integer(), nullable=True),
    sa.Column('tagged_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['commissioner_org_id'], ['organisation.id'], name=op.f('fk_ledger_conversation_commissioner_org_id_organisation')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_ledger_conversation_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['provider_org_id'], ['organisation.id'], name=op.f('fk_ledger_conversation_provider_org_id_organisation')),
    sa.ForeignKeyConstraint(['started_by_id'], ['user.id'], name=op.f('fk_ledger_conversation_started_by_id_user')),
    sa.ForeignKeyConstraint(['tagged_by_id'], ['user.id'], name=op.f('fk_ledger_conversation_tagged_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_conversation'))
    )
    op.create_index(op.f('ix_ledger_conversation_commissioner_org_id'), 'ledger_conversation', ['commissioner_org_id'], unique=False)
    op.create_index(op.f('ix_ledger_conversation_procurement_id'), 'ledger_conversation', ['procurement_id'], unique=False)
    op.create_index(op.f('ix_ledger_conversation_provider_org_id'), 'ledger_conversation', ['provider_org_id'], unique=False)
    op.create_table('procurement_contract',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('provider_org_id', sa.Integer(), nullable=False),
    sa.Column('value_pence', sa.BigInteger(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('review_clauses_md', sa.Text(), nullable=False),
    sa.Column('review_clauses_html', sa.Text(), nullable=False),
    sa.Column('regime', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('original_value_pence', sa.BigInteger(), nullable=False),
    sa.Column('details_notice_published_at', sa.DateTime(), nullable=True),
    sa.Column('terminated_on', sa.Date(), nullable=True),
    sa.Column('termination_reason', sa.Text(), nullable=True),
    sa.Column('termination_notice_published_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_procurement_contract_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['provider_org_id'], ['organisation.id'], name=op.f('fk_procurement_contract_provider_org_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_contract')),
    sa.UniqueConstraint('procurement_id', name=op.f('uq_procurement_contract_procurement_id'))
    )
    op.create_table('procurement_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_procurement_document_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_procurement_document_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_document'))
    )
    op.create_index(op.f('ix_procurement_document_procurement_id'), 'procurement_document', ['procurement_id'], unique=False)
    op.create_table('procurement_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['forum_meeting.id'], name=op.f('fk_procurement_event_meeting_id_forum_meeting')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_procurement_event_procurement_id_procurement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_event')),
    sa.UniqueConstraint('procurement_id', 'meeting_id', name='uq_procurement_event_procurement_meeting')
    )
    op.create_index(op.f('ix_procurement_event_meeting_id'), 'procurement_event', ['meeting_id'], unique=False)
    op.create_index(op.f('ix_procurement_event_procurement_id'), 'procurement_event', ['procurement_id'], unique=False)
    op.create_table('spec_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('check_errors', sa.Text(), nullable=False),
    sa.Column('check_warnings', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_spec_version_created_by_id_user')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_spec_version_procurement_id_procurement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spec_version')),
    sa.UniqueConstraint('procurement_id', 'number', name='uq_spec_version_procurement_number')
    )
    op.create_index(op.f('ix_spec_version_procurement_id'), 'spec_version', ['procurement_id'], unique=False)
    op.create_table('tender_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('provider_org_id', sa.Integer(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('sealed', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('needs_reconfirmation', sa.Boolean(), nullable=False),
    sa.Column('reconfirmed_at', sa.DateTime(), nullable=True),
    sa.Column('opened_price_pence', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_tender_response_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['provider_org_id'], ['organisation.id'], name=op.f('fk_tender_response_provider_org_id_organisation')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['user.id'], name=op.f('fk_tender_response_submitted_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tender_response'))
    )
    op.create_index(op.f('ix_tender_response_procurement_id'), 'tender_response', ['procurement_id'], unique=False)
    op.create_index(op.f('ix_tender_response_provider_org_id'), 'tender_response', ['provider_org_id'], unique=False)
    op.create_table('codesign_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('posted_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_codesign_message_author_id_user')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_codesign_message_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['thread_id'], ['codesign_thread.id'], name=op.f('fk_codesign_message_thread_id_codesign_thread')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_codesign_message'))
    )
    op.create_index(op.f('ix_codesign_message_thread_id'), 'codesign_message', ['thread_id'], unique=False)
    op.create_table('codesign_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('section_key', sa.String(length=120), nullable=False),
    sa.Column('section_heading', sa.String(length=200), nullable=False),
    sa.Column('is_new_section', sa.Boolean(), nullable=False),
    sa.Column('base_version_id', sa.Integer(), nullable=False),
    sa.Column('base_text', sa.Text(), nullable=False),
    sa.Column('proposed_text', sa.Text(), nullable=False),
    sa.Column('rationale_md', sa.Text(), nullable=False),
    sa.Column('rationale_html', sa.Text(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('proposed_at', sa.DateTime(), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=True),
    sa.Column('decision_reason_md', sa.Text(), nullable=True),
    sa.Column('decision_reason_html', sa.Text(), nullable=True),
    sa.Column('adapted_text', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('result_version_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['base_version_id'], ['spec_version.id'], name=op.f('fk_codesign_proposal_base_version_id_spec_version')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_codesign_proposal_decided_by_id_user')),
    sa.ForeignKeyConstraint(['event_id'], ['procurement_event.id'], name=op.f('fk_codesign_proposal_event_id_procurement_event')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_codesign_proposal_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_codesign_proposal_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_codesign_proposal_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['result_version_id'], ['spec_version.id'], name=op.f('fk_codesign_proposal_result_version_id_spec_version')),
    sa.ForeignKeyConstraint(['thread_id'], ['codesign_thread.id'], name=op.f('fk_codesign_proposal_thread_id_codesign_thread')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_codesign_proposal'))
    )
    op.create_index(op.f('ix_codesign_proposal_event_id'), 'codesign_proposal', ['event_id'], unique=False)
    op.create_index(op.f('ix_codesign_proposal_procurement_id'), 'codesign_proposal', ['procurement_id'], unique=False)
    op.create_index(op.f('ix_codesign_proposal_thread_id'), 'codesign_proposal', ['thread_id'], unique=False)
    op.create_table('conflicts_assessment_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.Column('who', sa.String(length=200), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('mitigation', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['conflicts_assessment.id'], name=op.f('fk_conflicts_assessment_entry_assessment_id_conflicts_assessment')),
    sa.ForeignKeyConstraint(['declaration_id'], ['conflict_declaration.id'], name=op.f('fk_conflicts_assessment_entry_declaration_id_conflict_declaration')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflicts_assessment_entry'))
    )
    op.create_index(op.f('ix_conflicts_assessment_entry_assessment_id'), 'conflicts_assessment_entry', ['assessment_id'], unique=False)
    op.create_index(op.f('ix_conflicts_assessment_entry_declaration_id'), 'conflicts_assessment_entry', ['declaration_id'], unique=False)
    op.create_table('conflicts_assessment_exclusion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['conflicts_assessment.id'], name=op.f('fk_conflicts_assessment_exclusion_assessment_id_conflicts_assessment')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_conflicts_assessment_exclusion_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflicts_assessment_exclusion')),
    sa.UniqueConstraint('assessment_id', 'user_id', name='uq_conflicts_assessment_exclusion_person')
    )
    op.create_index(op.f('ix_conflicts_assessment_exclusion_assessment_id'), 'conflicts_assessment_exclusion', ['assessment_id'], unique=False)
    op.create_table('consensus_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('moderator_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['award_criterion.id'], name=op.f('fk_consensus_score_criterion_id_award_criterion')),
    sa.ForeignKeyConstraint(['moderator_id'], ['user.id'], name=op.f('fk_consensus_score_moderator_id_user')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_consensus_score_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['response_id'], ['tender_response.id'], name=op.f('fk_consensus_score_response_id_tender_response')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consensus_score')),
    sa.UniqueConstraint('response_id', 'criterion_id', name='uq_consensus_score_response_criterion')
    )
    op.create_index(op.f('ix_consensus_score_procurement_id'), 'consensus_score', ['procurement_id'], unique=False)
    op.create_table('contract_performance_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('period_ends_on', sa.Date(), nullable=False),
    sa.Column('assessment_md', sa.Text(), nullable=False),
    sa.Column('assessment_html', sa.Text(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['procurement_contract.id'], name=op.f('fk_contract_performance_notice_contract_id_procurement_contract')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_contract_performance_notice_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['published_by_id'], ['user.id'], name=op.f('fk_contract_performance_notice_published_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_performance_notice'))
    )
    op.create_index(op.f('ix_contract_performance_notice_contract_id'), 'contract_performance_notice', ['contract_id'], unique=False)
    op.create_index(op.f('ix_contract_performance_notice_procurement_id'), 'contract_performance_notice', ['procurement_id'], unique=False)
    op.create_table('evaluation_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('evaluator_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['award_criterion.id'], name=op.f('fk_evaluation_score_criterion_id_award_criterion')),
    sa.ForeignKeyConstraint(['evaluator_id'], ['user.id'], name=op.f('fk_evaluation_score_evaluator_id_user')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_evaluation_score_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['response_id'], ['tender_response.id'], name=op.f('fk_evaluation_score_response_id_tender_response')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_score')),
    sa.UniqueConstraint('response_id', 'criterion_id', 'evaluator_id', name='uq_evaluation_score_response_criterion_evaluator')
    )
    op.create_index(op.f('ix_evaluation_score_procurement_id'), 'evaluation_score', ['procurement_id'], unique=False)
    op.create_table('forum_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('forum_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['forum_id'], ['forum.id'], name=op.f('fk_forum_attachment_forum_id_forum')),
    sa.ForeignKeyConstraint(['meeting_id'], ['forum_meeting.id'], name=op.f('fk_forum_attachment_meeting_id_forum_meeting')),
    sa.ForeignKeyConstraint(['post_id'], ['forum_post.id'], name=op.f('fk_forum_attachment_post_id_forum_post')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_forum_attachment_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_attachment'))
    )
    op.create_index(op.f('ix_forum_attachment_forum_id'), 'forum_attachment', ['forum_id'], unique=False)
    op.create_index(op.f('ix_forum_attachment_meeting_id'), 'forum_attachment', ['meeting_id'], unique=False)
    op.create_index(op.f('ix_forum_attachment_post_id'), 'forum_attachment', ['post_id'], unique=False)
    op.create_table('forum_moderation_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('forum_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_forum_moderation_entry_actor_id_user')),
    sa.ForeignKeyConstraint(['forum_id'], ['forum.id'], name=op.f('fk_forum_moderation_entry_forum_id_forum')),
    sa.ForeignKeyConstraint(['post_id'], ['forum_post.id'], name=op.f('fk_forum_moderation_entry_post_id_forum_post')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_moderation_entry'))
    )
    op.create_index(op.f('ix_forum_moderation_entry_forum_id'), 'forum_moderation_entry', ['forum_id'], unique=False)
    op.create_table('forum_need_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('need_statement_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('intensity', sa.String(length=20), nullable=False),
    sa.Column('frequency', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['need_statement_id'], ['forum_need_statement.id'], name=op.f('fk_forum_need_item_need_statement_id_forum_need_statement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_need_item'))
    )
    op.create_index(op.f('ix_forum_need_item_need_statement_id'), 'forum_need_item', ['need_statement_id'], unique=False)
    op.create_table('forum_post_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['forum_post.id'], name=op.f('fk_forum_post_report_post_id_forum_post')),
    sa.ForeignKeyConstraint(['reporter_id'], ['user.id'], name=op.f('fk_forum_post_report_reporter_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_post_report'))
    )
    op.create_index(op.f('ix_forum_post_report_post_id'), 'forum_post_report', ['post_id'], unique=False)
    op.create_table('forum_post_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('editor_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['editor_id'], ['user.id'], name=op.f('fk_forum_post_revision_editor_id_user')),
    sa.ForeignKeyConstraint(['post_id'], ['forum_post.id'], name=op.f('fk_forum_post_revision_post_id_forum_post')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_post_revision')),
    sa.UniqueConstraint('post_id', 'number', name='uq_forum_post_revision_post_number')
    )
    op.create_index(op.f('ix_forum_post_revision_post_id'), 'forum_post_revision', ['post_id'], unique=False)
    op.create_table('ledger_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=True),
    sa.Column('provider_org_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('last_message_at', sa.DateTime(), nullable=False),
    sa.Column('resolution', sa.String(length=30), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('summary_md', sa.Text(), nullable=True),
    sa.Column('summary_html', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['conversation_id'], ['ledger_conversation.id'], name=op.f('fk_ledger_contact_conversation_id_ledger_conversation')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_ledger_contact_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['provider_org_id'], ['organisation.id'], name=op.f('fk_ledger_contact_provider_org_id_organisation')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['user.id'], name=op.f('fk_ledger_contact_resolved_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_contact'))
    )
    op.create_index(op.f('ix_ledger_contact_conversation_id'), 'ledger_contact', ['conversation_id'], unique=False)
    op.create_index(op.f('ix_ledger_contact_procurement_id'), 'ledger_contact', ['procurement_id'], unique=False)
    op.create_index(op.f('ix_ledger_contact_provider_org_id'), 'ledger_contact', ['provider_org_id'], unique=False)
    op.create_index(op.f('ix_ledger_contact_resolution'), 'ledger_contact', ['resolution'], unique=False)
    op.create_table('procurement_award',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.Column('reasons_md', sa.Text(), nullable=False),
    sa.Column('reasons_html', sa.Text(), nullable=False),
    sa.Column('notice_published_at', sa.DateTime(), nullable=False),
    sa.Column('standstill_applies', sa.Boolean(), nullable=False),
    sa.Column('standstill_ends_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_procurement_award_decided_by_id_user')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_procurement_award_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['response_id'], ['tender_response.id'], name=op.f('fk_procurement_award_response_id_tender_response')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_award')),
    sa.UniqueConstraint('procurement_id', name=op.f('uq_procurement_award_procurement_id'))
    )
    op.create_table('procurement_need',
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('need_statement_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['need_statement_id'], ['forum_need_statement.id'], name=op.f('fk_procurement_need_need_statement_id_forum_need_statement')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_procurement_need_procurement_id_procurement')),
    sa.PrimaryKeyConstraint('procurement_id', 'need_statement_id', name=op.f('pk_procurement_need'))
    )
    op.create_index(op.f('ix_procurement_need_need_statement_id'), 'procurement_need', ['need_statement_id'], unique=False)
    op.create_table('spec_outcome',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('domain', sa.String(length=30), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('indicator', sa.Text(), nullable=False),
    sa.Column('baseline_method', sa.Text(), nullable=False),
    sa.Column('target', sa.Text(), nullable=False),
    sa.Column('timescale', sa.String(length=200), nullable=False),
    sa.Column('evidence_source', sa.Text(), nullable=False),
    sa.Column('payment_share', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['spec_version.id'], name=op.f('fk_spec_outcome_version_id_spec_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spec_outcome'))
    )
    op.create_index(op.f('ix_spec_outcome_version_id'), 'spec_outcome', ['version_id'], unique=False)
    op.create_table('spinoff_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('provider_org_id', sa.Integer(), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description_md', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('evidence_md', sa.Text(), nullable=False),
    sa.Column('evidence_html', sa.Text(), nullable=False),
    sa.Column('price_pence', sa.BigInteger(), nullable=False),
    sa.Column('duration_months', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('check_snapshot', sa.Text(), nullable=True),
    sa.Column('new_procurement_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['procurement_contract.id'], name=op.f('fk_spinoff_proposal_contract_id_procurement_contract')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_spinoff_proposal_decided_by_id_user')),
    sa.ForeignKeyConstraint(['new_procurement_id'], ['procurement.id'], name=op.f('fk_spinoff_proposal_new_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_spinoff_proposal_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['user.id'], name=op.f('fk_spinoff_proposal_proposed_by_id_user')),
    sa.ForeignKeyConstraint(['provider_org_id'], ['organisation.id'], name=op.f('fk_spinoff_proposal_provider_org_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spinoff_proposal'))
    )
    op.create_index(op.f('ix_spinoff_proposal_contract_id'), 'spinoff_proposal', ['contract_id'], unique=False)
    op.create_index(op.f('ix_spinoff_proposal_new_procurement_id'), 'spinoff_proposal', ['new_procurement_id'], unique=False)
    op.create_index(op.f('ix_spinoff_proposal_procurement_id'), 'spinoff_proposal', ['procurement_id'], unique=False)
    op.create_index(op.f('ix_spinoff_proposal_status'), 'spinoff_proposal', ['status'], unique=False)
    op.create_table('codesign_clause_provenance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('section_key', sa.String(length=120), nullable=False),
    sa.Column('heading', sa.String(length=200), nullable=False),
    sa.Column('text_sha256', sa.String(length=64), nullable=False),
    sa.Column('origin', sa.String(length=20), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('drafted_by_id', sa.Integer(), nullable=True),
    sa.Column('since_version', sa.Integer(), nullable=False),
    sa.Column('since_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['drafted_by_id'], ['user.id'], name=op.f('fk_codesign_clause_provenance_drafted_by_id_user')),
    sa.ForeignKeyConstraint(['proposal_id'], ['codesign_proposal.id'], name=op.f('fk_codesign_clause_provenance_proposal_id_codesign_proposal')),
    sa.ForeignKeyConstraint(['version_id'], ['spec_version.id'], name=op.f('fk_codesign_clause_provenance_version_id_spec_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_codesign_clause_provenance')),
    sa.UniqueConstraint('version_id', 'section_key', name='uq_codesign_clause_provenance_version_section')
    )
    op.create_index(op.f('ix_codesign_clause_provenance_version_id'), 'codesign_clause_provenance', ['version_id'], unique=False)
    op.create_table('contract_modification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('value_before_pence', sa.BigInteger(), nullable=False),
    sa.Column('value_after_pence', sa.BigInteger(), nullable=False),
    sa.Column('cumulative_percent', sa.String(length=20), nullable=False),
    sa.Column('framework', sa.String(length=20), nullable=False),
    sa.Column('route', sa.String(length=40), nullable=False),
    sa.Column('route_label', sa.String(length=200), nullable=False),
    sa.Column('ground', sa.String(length=200), nullable=False),
    sa.Column('notices', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['procurement_contract.id'], name=op.f('fk_contract_modification_contract_id_procurement_contract')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_contract_modification_decided_by_id_user')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_contract_modification_procurement_id_procurement')),
    sa.ForeignKeyConstraint(['proposal_id'], ['spinoff_proposal.id'], name=op.f('fk_contract_modification_proposal_id_spinoff_proposal')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_modification')),
    sa.UniqueConstraint('proposal_id', name=op.f('uq_contract_modification_proposal_id'))
    )
    op.create_index(op.f('ix_contract_modification_contract_id'), 'contract_modification', ['contract_id'], unique=False)
    op.create_index(op.f('ix_contract_modification_procurement_id'), 'contract_modification', ['procurement_id'], unique=False)
    op.create_table('ledger_contact_disclosed_to',
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['ledger_contact.id'], name=op.f('fk_ledger_contact_disclosed_to_contact_id_ledger_contact')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_ledger_contact_disclosed_to_procurement_id_procurement')),
    sa.PrimaryKeyConstraint('contact_id', 'procurement_id', name=op.f('pk_ledger_contact_disclosed_to'))
    )
    op.create_index(op.f('ix_ledger_contact_disclosed_to_procurement_id'), 'ledger_contact_disclosed_to', ['procurement_id'], unique=False)
    op.create_table('ledger_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('author_org_id', sa.Integer(), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_ledger_message_author_id_user')),
    sa.ForeignKeyConstraint(['author_org_id'], ['organisation.id'], name=op.f('fk_ledger_message_author_org_id_organisation')),
    sa.ForeignKeyConstraint(['contact_id'], ['ledger_contact.id'], name=op.f('fk_ledger_message_contact_id_ledger_contact')),
    sa.ForeignKeyConstraint(['conversation_id'], ['ledger_conversation.id'], name=op.f('fk_ledger_message_conversation_id_ledger_conversation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_message'))
    )
    op.create_index(op.f('ix_ledger_message_contact_id'), 'ledger_message', ['contact_id'], unique=False)
    op.create_index(op.f('ix_ledger_message_conversation_id'), 'ledger_message', ['conversation_id'], unique=False)
    op.create_table('ledger_redaction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['ledger_contact.id'], name=op.f('fk_ledger_redaction_contact_id_ledger_contact')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_redaction'))
    )
    op.create_index(op.f('ix_ledger_redaction_contact_id'), 'ledger_redaction', ['contact_id'], unique=False)
    threshold = sa.table(
        "procurement_threshold", sa.column("code", sa.String), sa.column("label", sa.String),
        sa.column("amount_pence", sa.BigInteger), sa.column("effective_from", sa.Date),
        sa.column("effective_to", sa.Date), sa.column("jurisdiction", sa.String), sa.column("source", sa.String))
    op.bulk_insert(threshold, _THRESHOLDS)

    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(_SQLITE_FORUM_SEARCH)
        for statement in _SQLITE_TRIGGERS:
            op.execute(statement)
        return
    for statement in _PG_FORUM_SEARCH:
        op.execute(statement)
    schema = bind.dialect.identifier_preparer.quote_identifier(bind.exec_driver_sql("SELECT current_schema()").scalar())
    op.execute(_PG_EVENT_GUARD)
    op.execute(_PG_CHECKPOINT_GUARD)
    op.execute(_PG_APPLY_REDACTION.replace("SCHEMA_NAME", schema, 1))
    for statement in _PG_TRIGGERS:
        op.execute(statement)
    op.execute(_PG_REVOKE)


def downgrade():
    op.execute("DROP TABLE forum_search")
    op.drop_index(op.f('ix_ledger_redaction_contact_id'), table_name='ledger_redaction')
    op.drop_table('ledger_redaction')
    op.drop_index(op.f('ix_ledger_message_conversation_id'), table_name='ledger_message')
    op.drop_index(op.f('ix_ledger_message_contact_id'), table_name='ledger_message')
    op.drop_table('ledger_message')
    op.drop_index(op.f('ix_ledger_contact_disclosed_to_procurement_id'), table_name='ledger_contact_disclosed_to')
    op.drop_table('ledger_contact_disclosed_to')
    op.drop_index(op.f('ix_contract_modification_procurement_id'), table_name='contract_modification')
    op.drop_index(op.f('ix_contract_modification_contract_id'), table_name='contract_modification')
    op.drop_table('contract_modification')
    op.drop_index(op.f('ix_codesign_clause_provenance_version_id'), table_name='codesign_clause_provenance')
    op.drop_table('codesign_clause_provenance')
    op.drop_index(op.f('ix_spinoff_proposal_status'), table_name='spinoff_proposal')
    op.drop_index(op.f('ix_spinoff_proposal_procurement_id'), table_name='spinoff_proposal')
    op.drop_index(op.f('ix_spinoff_proposal_new_procurement_id'), table_name='spinoff_proposal')
    op.drop_index(op.f('ix_spinoff_proposal_contract_id'), table_name='spinoff_proposal')
    op.drop_table('spinoff_proposal')
    op.drop_index(op.f('ix_spec_outcome_version_id'), table_name='spec_outcome')
    op.drop_table('spec_outcome')
    op.drop_index(op.f('ix_procurement_need_need_statement_id'), table_name='procurement_need')
    op.drop_table('procurement_need')
    op.drop_table('procurement_award')
    op.drop_index(op.f('ix_ledger_contact_resolution'), table_name='ledger_contact')
    op.drop_index(op.f('ix_ledger_contact_provider_org_id'), table_name='ledger_contact')
    op.drop_index(op.f('ix_ledger_contact_procurement_id'), table_name='ledger_contact')
    op.drop_index(op.f('ix_ledger_contact_conversation_id'), table_name='ledger_contact')
    op.drop_table('ledger_contact')
    op.drop_index(op.f('ix_forum_post_revision_post_id'), table_name='forum_post_revision')
    op.drop_table('forum_post_revision')
    op.drop_index(op.f('ix_forum_post_report_post_id'), table_name='forum_post_report')
    op.drop_table('forum_post_report')
    op.drop_index(op.f('ix_forum_need_item_need_statement_id'), table_name='forum_need_item')
    op.drop_table('forum_need_item')
    op.drop_index(op.f('ix_forum_moderation_entry_forum_id'), table_name='forum_moderation_entry')
    op.drop_table('forum_moderation_entry')
    op.drop_index(op.f('ix_forum_attachment_post_id'), table_name='forum_attachment')
    op.drop_index(op.f('ix_forum_attachment_meeting_id'), table_name='forum_attachment')
    op.drop_index(op.f('ix_forum_attachment_forum_id'), table_name='forum_attachment')
    op.drop_table('forum_attachment')
    op.drop_index(op.f('ix_evaluation_score_procurement_id'), table_name='evaluation_score')
    op.drop_table('evaluation_score')
    op.drop_index(op.f('ix_contract_performance_notice_procurement_id'), table_name='contract_performance_notice')
    op.drop_index(op.f('ix_contract_performance_notice_contract_id'), table_name='contract_performance_notice')
    op.drop_table('contract_performance_notice')
    op.drop_index(op.f('ix_consensus_score_procurement_id'), table_name='consensus_score')
    op.drop_table('consensus_score')
    op.drop_index(op.f('ix_conflicts_assessment_exclusion_assessment_id'), table_name='conflicts_assessment_exclusion')
    op.drop_table('conflicts_assessment_exclusion')
    op.drop_index(op.f('ix_conflicts_assessment_entry_declaration_id'), table_name='conflicts_assessment_entry')
    op.drop_index(op.f('ix_conflicts_assessment_entry_assessment_id'), table_name='conflicts_assessment_entry')
    op.drop_table('conflicts_assessment_entry')
    op.drop_index(op.f('ix_codesign_proposal_thread_id'), table_name='codesign_proposal')
    op.drop_index(op.f('ix_codesign_proposal_procurement_id'), table_name='codesign_proposal')
    op.drop_index(op.f('ix_codesign_proposal_event_id'), table_name='codesign_proposal')
    op.drop_table('codesign_proposal')
    op.drop_index(op.f('ix_codesign_message_thread_id'), table_name='codesign_message')
    op.drop_table('codesign_message')
    op.drop_index(op.f('ix_tender_response_provider_org_id'), table_name='tender_response')
    op.drop_index(op.f('ix_tender_response_procurement_id'), table_name='tender_response')
    op.drop_table('tender_response')
    op.drop_index(op.f('ix_spec_version_procurement_id'), table_name='spec_version')
    op.drop_table('spec_version')
    op.drop_index(op.f('ix_procurement_event_procurement_id'), table_name='procurement_event')
    op.drop_index(op.f('ix_procurement_event_meeting_id'), table_name='procurement_event')
    op.drop_table('procurement_event')
    op.drop_index(op.f('ix_procurement_document_procurement_id'), table_name='procurement_document')
    op.drop_table('procurement_document')
    op.drop_table('procurement_contract')
    op.drop_index(op.f('ix_ledger_conversation_provider_org_id'), table_name='ledger_conversation')
    op.drop_index(op.f('ix_ledger_conversation_procurement_id'), table_name='ledger_conversation')
    op.drop_index(op.f('ix_ledger_conversation_commissioner_org_id'), table_name='ledger_conversation')
    op.drop_table('ledger_conversation')
    op.drop_index(op.f('ix_forum_watch_user_id'), table_name='forum_watch')
    op.drop_index(op.f('ix_forum_watch_thread_id'), table_name='forum_watch')
    op.drop_index(op.f('ix_forum_watch_forum_id'), table_name='forum_watch')
    op.drop_table('forum_watch')
    op.drop_index(op.f('ix_forum_post_thread_id'), table_name='forum_post')
    op.drop_index(op.f('ix_forum_post_author_id'), table_name='forum_post')
    op.drop_table('forum_post')
    op.drop_index(op.f('ix_forum_need_statement_status'), table_name='forum_need_statement')
    op.drop_index(op.f('ix_forum_need_statement_forum_id'), table_name='forum_need_statement')
    op.drop_table('forum_need_statement')
    op.drop_index(op.f('ix_forum_meeting_registration_user_id'), table_name='forum_meeting_registration')
    op.drop_index(op.f('ix_forum_meeting_registration_meeting_id'), table_name='forum_meeting_registration')
    op.drop_table('forum_meeting_registration')
    op.drop_index(op.f('ix_evaluator_assignment_procurement_id'), table_name='evaluator_assignment')
    op.drop_table('evaluator_assignment')
    op.drop_index(op.f('ix_conflicts_assessment_procurement_id'), table_name='conflicts_assessment')
    op.drop_table('conflicts_assessment')
    op.drop_index(op.f('ix_conflict_declaration_user_id'), table_name='conflict_declaration')
    op.drop_index(op.f('ix_conflict_declaration_procurement_id'), table_name='conflict_declaration')
    op.drop_index(op.f('ix_conflict_declaration_organisation_id'), table_name='conflict_declaration')
    op.drop_table('conflict_declaration')
    op.drop_index(op.f('ix_codesign_thread_procurement_id'), table_name='codesign_thread')
    op.drop_table('codesign_thread')
    op.drop_index(op.f('ix_codesign_mitigation_note_procurement_id'), table_name='codesign_mitigation_note')
    op.drop_table('codesign_mitigation_note')
    op.drop_index(op.f('ix_clarification_procurement_id'), table_name='clarification')
    op.drop_table('clarification')
    op.drop_index(op.f('ix_award_criterion_procurement_id'), table_name='award_criterion')
    op.drop_table('award_criterion')
    op.drop_index(op.f('ix_procurement_stage'), table_name='procurement')
    op.drop_index(op.f('ix_procurement_owner_org_id'), table_name='procurement')
    op.drop_index(op.f('ix_procurement_forum_id'), table_name='procurement')
    op.drop_table('procurement')
    op.drop_index(op.f('ix_forum_thread_last_activity_at'), table_name='forum_thread')
    op.drop_index(op.f('ix_forum_thread_forum_id'), table_name='forum_thread')
    op.drop_table('forum_thread')
    op.drop_table('forum_owner')
    op.drop_index(op.f('ix_forum_membership_user_id'), table_name='forum_membership')
    op.drop_index(op.f('ix_forum_membership_forum_id'), table_name='forum_membership')
    op.drop_table('forum_membership')
    op.drop_index(op.f('ix_forum_meeting_starts_at'), table_name='forum_meeting')
    op.drop_index(op.f('ix_forum_meeting_forum_id'), table_name='forum_meeting')
    op.drop_table('forum_meeting')
    op.drop_index(op.f('ix_forum_category_category'), table_name='forum_category')
    op.drop_table('forum_category')
    op.drop_table('forum_notification_setting')
    op.drop_index(op.f('ix_forum_notification_user_id'), table_name='forum_notification')
    op.drop_index(op.f('ix_forum_notification_email_pending'), table_name='forum_notification')
    op.drop_table('forum_notification')
    op.drop_index(op.f('ix_forum_status'), table_name='forum')
    op.drop_index(op.f('ix_forum_region'), table_name='forum')
    op.drop_table('forum')
    op.drop_table('audit_checkpoint_subscription')
    op.drop_index(op.f('ix_api_token_user_id'), table_name='api_token')
    op.drop_table('api_token')
    op.drop_index(op.f('ix_account_token_user_id'), table_name='account_token')
    op.drop_table('account_token')
    op.drop_index(op.f('ix_user_organisation_id'), table_name='user')
    op.drop_table('user')
    op.drop_table('consortium_member')
    op.drop_table('audit_checkpoint')
    op.drop_table('procurement_threshold')
    op.drop_index(op.f('ix_outbox_message_sent_at'), table_name='outbox_message')
    op.drop_table('outbox_message')
    op.drop_table('organisation')
    op.drop_index(op.f('ix_audit_verification_run_status'), table_name='audit_verification_run')
    op.drop_table('audit_verification_run')
    op.drop_index('ix_audit_event_subject', table_name='audit_event')
    op.drop_index(op.f('ix_audit_event_procurement_id'), table_name='audit_event')
    op.drop_index('ix_audit_event_actor_user_id', table_name='audit_event')
    op.drop_index(op.f('ix_audit_event_action'), table_name='audit_event')
    op.drop_table('audit_event')
    if op.get_bind().dialect.name == "postgresql":
        for function in ("audit_event_apply_redaction", "audit_event_guard", "audit_checkpoint_guard"):
            op.execute(f"DROP FUNCTION {function}()")
