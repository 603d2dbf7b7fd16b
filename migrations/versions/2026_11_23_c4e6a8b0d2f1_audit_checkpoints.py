"""Signed audit checkpoints, append-only like the trail they vouch for.

Revision ID: c4e6a8b0d2f1
Revises: 65d0f7026f15
Create Date: 2026-11-23 13:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

from trail.triggers import checkpoint_statements

# revision identifiers, used by Alembic.
revision = "c4e6a8b0d2f1"
down_revision = "65d0f7026f15"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_checkpoint",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("signature", sa.String(length=88), nullable=False),
        sa.Column("public_key", sa.String(length=44), nullable=False),
        sa.Column("key_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["seq"], ["audit_event.seq"], name=op.f("fk_audit_checkpoint_seq_audit_event")),
        sa.ForeignKeyConstraint(["event_seq"], ["audit_event.seq"],
                                name=op.f("fk_audit_checkpoint_event_seq_audit_event")),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_checkpoint")),
        sa.UniqueConstraint("event_seq", name=op.f("uq_audit_checkpoint_event_seq")),
    )
    # Checkpoints refuse UPDATE, DELETE (and TRUNCATE on PostgreSQL).
    for statement in checkpoint_statements(op.get_bind().dialect.name, "up"):
        op.execute(statement)


def downgrade():
    for statement in checkpoint_statements(op.get_bind().dialect.name, "down"):
        op.execute(statement)
    op.drop_table("audit_checkpoint")
