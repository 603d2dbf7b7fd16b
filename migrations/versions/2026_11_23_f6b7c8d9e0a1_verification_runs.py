"""Chain verification runs: the progress and outcome of verifying the audit chain outside a request.

Revision ID: f6b7c8d9e0a1
Revises: c4e6a8b0d2f1
Create Date: 2026-11-23 16:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f6b7c8d9e0a1"
down_revision = "c4e6a8b0d2f1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_verification_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_by_user_id", sa.Integer(), nullable=True),
        sa.Column("started_by_label", sa.String(length=200), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("running_slot", sa.Integer(), nullable=True),
        sa.Column("up_to_seq", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("checked", sa.Integer(), nullable=False),
        sa.Column("head_seq", sa.Integer(), nullable=True),
        sa.Column("head_hash", sa.String(length=64), nullable=True),
        sa.Column("first_bad_seq", sa.Integer(), nullable=True),
        sa.Column("problem", sa.Text(), nullable=True),
        sa.Column("event_seq", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_verification_run")),
        # At most one run at a time: the running run holds slot 1, finished runs NULL.
        sa.UniqueConstraint("running_slot", name=op.f("uq_audit_verification_run_running_slot")),
    )
    op.create_index(op.f("ix_audit_verification_run_status"), "audit_verification_run", ["status"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_audit_verification_run_status"), table_name="audit_verification_run")
    op.drop_table("audit_verification_run")
