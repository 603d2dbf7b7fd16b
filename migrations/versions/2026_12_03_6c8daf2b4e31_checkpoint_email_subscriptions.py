"""Auditors who asked to be emailed each new checkpoint.

Revision ID: 6c8daf2b4e31
Revises: 5b7c9d1e3f20
Create Date: 2026-12-03 09:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "6c8daf2b4e31"
down_revision = "5b7c9d1e3f20"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_checkpoint_subscription",
        sa.Column("user_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("subscribed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_audit_checkpoint_subscription_user_id_user")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_audit_checkpoint_subscription")),
    )


def downgrade():
    op.drop_table("audit_checkpoint_subscription")
