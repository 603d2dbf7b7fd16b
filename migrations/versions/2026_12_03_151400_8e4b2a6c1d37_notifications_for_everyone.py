"""Notifications move from the forum to accounts, so every package can tell people things.

The forum's notifications are copied into the new `notification` table (with
the event "forum.activity") and the old table is dropped. An index on
(user_id, read_at) keeps the header's unread count a single index lookup.

Revision ID: 8e4b2a6c1d37
Revises: 4c7d2e9a1b63
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "8e4b2a6c1d37"
down_revision = "4c7d2e9a1b63"
branch_labels = None
depends_on = None

COLUMNS = "id, user_id, text, url, created_at, read_at, email_pending"


def upgrade() -> None:
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=60), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.Column("email_pending", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_notification_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index("ix_notification_user_id_read_at", ["user_id", "read_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_notification_email_pending"), ["email_pending"], unique=False)
    op.execute(f"INSERT INTO notification ({COLUMNS}, event) "
               f"SELECT {COLUMNS}, 'forum.activity' FROM forum_notification")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('notification', 'id'), "
                   "COALESCE((SELECT MAX(id) FROM notification), 0) + 1, false)")
    with op.batch_alter_table("forum_notification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forum_notification_user_id"))
        batch_op.drop_index(batch_op.f("ix_forum_notification_email_pending"))
    op.drop_table("forum_notification")


def downgrade() -> None:
    op.create_table(
        "forum_notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.Column("email_pending", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_forum_notification_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_notification")),
    )
    with op.batch_alter_table("forum_notification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_forum_notification_email_pending"), ["email_pending"], unique=False)
        batch_op.create_index(batch_op.f("ix_forum_notification_user_id"), ["user_id"], unique=False)
    op.execute(f"INSERT INTO forum_notification ({COLUMNS}) SELECT {COLUMNS} FROM notification")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_email_pending"))
        batch_op.drop_index("ix_notification_user_id_read_at")
    op.drop_table("notification")
