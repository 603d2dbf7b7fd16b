"""Every attachment, tender document and sealed response points at its stored file, on SQLite as on PostgreSQL.

The stored-files revision left these three columns nullable on SQLite (it added them in place, to a table with
rows); PostgreSQL has held them NOT NULL since. Batch mode rebuilds each table on SQLite (none carries a trigger,
and every constraint on them is named, so all are carried over); PostgreSQL has nothing to do.

Revision ID: 5c1f9e3a7b28
Revises: 2ac6098029d0
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "5c1f9e3a7b28"
down_revision = "2ac6098029d0"
branch_labels = None
depends_on = None

COLUMNS = (("forum_attachment", "file_id"), ("procurement_document", "file_id"), ("tender_response", "sealed_file_id"))


def _set_nullable(nullable: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, column in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, existing_type=sa.Integer(), nullable=nullable)


def upgrade():
    missing = [table for table, column in COLUMNS
               if op.get_bind().execute(sa.text(f"SELECT COUNT(*) FROM {table} WHERE {column} IS NULL")).scalar()]
    if missing:
        raise RuntimeError(f"Rows without a stored file in {', '.join(missing)}: they cannot be made NOT NULL")
    _set_nullable(False)


def downgrade():
    _set_nullable(True)
