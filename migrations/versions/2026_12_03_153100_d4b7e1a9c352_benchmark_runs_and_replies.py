"""Benchmark runs (method version, parameters, inputs and their hashes, right-of-reply window) and providers' replies.

Revision ID: d4b7e1a9c352
Revises: b21c8da31b93
Create Date: 2026-12-03 14:15:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d4b7e1a9c352"
down_revision = "b21c8da31b93"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "benchmark_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("method_version", sa.String(length=20), nullable=False),
        sa.Column("parameters", sa.Text(), nullable=False),
        sa.Column("inputs", sa.Text(), nullable=False),
        sa.Column("inputs_hash", sa.String(length=64), nullable=False),
        sa.Column("results_hash", sa.String(length=64), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("reply_opens_on", sa.Date(), nullable=False),
        sa.Column("reply_closes_on", sa.Date(), nullable=False),
        sa.CheckConstraint("reply_closes_on > reply_opens_on", name=op.f("ck_benchmark_run_reply_window")),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], name=op.f("fk_benchmark_run_created_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benchmark_run")),
    )
    op.create_table(
        "benchmark_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("provider_org_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("written_by_id", sa.Integer(), nullable=False),
        sa.Column("written_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["provider_org_id"], ["organisation.id"],
                                name=op.f("fk_benchmark_reply_provider_org_id_organisation")),
        sa.ForeignKeyConstraint(["run_id"], ["benchmark_run.id"], name=op.f("fk_benchmark_reply_run_id_benchmark_run")),
        sa.ForeignKeyConstraint(["written_by_id"], ["user.id"], name=op.f("fk_benchmark_reply_written_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benchmark_reply")),
        sa.UniqueConstraint("run_id", "provider_org_id", name=op.f("uq_benchmark_reply_run_id")),
    )
    op.create_index(op.f("ix_benchmark_reply_run_id"), "benchmark_reply", ["run_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_benchmark_reply_run_id"), table_name="benchmark_reply")
    op.drop_table("benchmark_reply")
    op.drop_table("benchmark_run")
