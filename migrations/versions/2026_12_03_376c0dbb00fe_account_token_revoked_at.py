"""Account links can be revoked: a newer link, a password change or a confirmed address ends the earlier ones.

Links already outstanding when this runs are brought under the same rule: only
a person's newest link of each kind can still work.

Revision ID: 376c0dbb00fe
Revises: 1f2e3d4c5b6a
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "376c0dbb00fe"
down_revision = "1f2e3d4c5b6a"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("account_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(), nullable=True))
    op.execute(
        "UPDATE account_token SET revoked_at = CURRENT_TIMESTAMP "
        "WHERE used_at IS NULL AND id < (SELECT MAX(newer.id) FROM account_token AS newer "
        "WHERE newer.user_id = account_token.user_id AND newer.purpose = account_token.purpose)"
    )


def downgrade():
    with op.batch_alter_table("account_token", schema=None) as batch_op:
        batch_op.drop_column("revoked_at")
