"""Procurement links: a procurement's forum (a real foreign key), its need statements, and
engagement events that are forum meetings.

Merges the tenders branch (7b3d5f9a1c2e) and the forum branch (f0a1c3e5b7d9):
the new foreign keys point from procurement tables to forum tables, so both
must exist first.

SQLite cannot add a foreign key to an existing table, so batch mode rebuilds
`procurement` and `procurement_event` (copy, drop, rename). Dropping a table
that other tables reference fails while SQLite enforces foreign keys, so
enforcement is switched off around the rebuild (outside any transaction, the
only place the pragma works) and checked with foreign_key_check afterwards.

Revision ID: 9d2e4f6a8b10
Revises: 7b3d5f9a1c2e, f0a1c3e5b7d9
Create Date: 2026-11-23 14:45:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "9d2e4f6a8b10"
down_revision = ("7b3d5f9a1c2e", "f0a1c3e5b7d9")
branch_labels = None
depends_on = None


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _foreign_keys(on: bool) -> None:
    """Switch SQLite's enforcement on the raw connection, between transactions.

    Through SQLAlchemy the pragma would land inside the BEGIN IMMEDIATE that
    core.database issues at every begin (autocommit_block begins one too, with
    nothing in it), where SQLite silently ignores it. So the block commits the
    migration's work so far, the empty BEGIN is ended on the raw connection,
    and the pragma runs outside any transaction.
    """
    if not _sqlite():
        return
    with op.get_context().autocommit_block():
        raw = op.get_bind().connection.dbapi_connection
        if raw.in_transaction:
            raw.execute("COMMIT")
        raw.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
        if raw.execute("PRAGMA foreign_keys").fetchone()[0] != int(on):
            raise RuntimeError("PRAGMA foreign_keys did not change")


def _check_foreign_keys() -> None:
    if _sqlite():
        problems = op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"Foreign key check failed after rebuilding tables: {problems[:5]}")


def upgrade():
    _foreign_keys(False)
    with op.batch_alter_table("procurement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_procurement_forum_id"), ["forum_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_procurement_forum_id_forum"), "forum", ["forum_id"], ["id"])

    with op.batch_alter_table("procurement_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meeting_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_procurement_event_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_procurement_event_meeting_id_forum_meeting"), "forum_meeting",
                                    ["meeting_id"], ["id"])
        batch_op.create_unique_constraint("uq_procurement_event_procurement_meeting", ["procurement_id", "meeting_id"])
    _check_foreign_keys()
    _foreign_keys(True)

    op.create_table(
        "procurement_need",
        sa.Column("procurement_id", sa.Integer(), nullable=False),
        sa.Column("need_statement_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["need_statement_id"], ["forum_need_statement.id"],
                                name=op.f("fk_procurement_need_need_statement_id_forum_need_statement")),
        sa.ForeignKeyConstraint(["procurement_id"], ["procurement.id"],
                                name=op.f("fk_procurement_need_procurement_id_procurement")),
        sa.PrimaryKeyConstraint("procurement_id", "need_statement_id", name=op.f("pk_procurement_need")),
    )
    with op.batch_alter_table("procurement_need", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_procurement_need_need_statement_id"), ["need_statement_id"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("procurement_need", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_procurement_need_need_statement_id"))
    op.drop_table("procurement_need")

    _foreign_keys(False)
    with op.batch_alter_table("procurement_event", schema=None) as batch_op:
        batch_op.drop_constraint("uq_procurement_event_procurement_meeting", type_="unique")
        batch_op.drop_constraint(batch_op.f("fk_procurement_event_meeting_id_forum_meeting"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_procurement_event_meeting_id"))
        batch_op.drop_column("meeting_id")

    with op.batch_alter_table("procurement", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_procurement_forum_id_forum"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_procurement_forum_id"))
    _check_foreign_keys()
    _foreign_keys(True)
