"""Files behind one interface: stored_file and its database chunks; attachments, tender documents and sealed
responses point at a stored file instead of holding a blob.

Every existing blob is copied into chunks (256 KiB each) with its SHA-256 as stored, then the blob columns go.
On SQLite the new columns stay nullable in the schema (SQLite cannot add a NOT NULL column to a table with rows,
and rebuilding tender_response would break the foreign keys that point at it); PostgreSQL enforces NOT NULL.

Revision ID: 47b6e8a122dc
Revises: 8e4b2a6c1d37
Create Date: 2026-12-03
"""
import hashlib
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "47b6e8a122dc"
down_revision = "8e4b2a6c1d37"
branch_labels = None
depends_on = None

CHUNK_BYTES = 256 * 1024
# (table, blob column, new file column)
OWNERS = (("forum_attachment", "data", "file_id"), ("procurement_document", "data", "file_id"),
          ("tender_response", "sealed", "sealed_file_id"))

stored_file = sa.table("stored_file", sa.column("id", sa.Integer), sa.column("key", sa.String),
                       sa.column("backend", sa.String), sa.column("size", sa.Integer),
                       sa.column("sha256", sa.String), sa.column("created_at", sa.DateTime))
chunk = sa.table("stored_file_chunk", sa.column("file_id", sa.Integer), sa.column("seq", sa.Integer),
                 sa.column("data", sa.LargeBinary))


def _store(connection: sa.Connection, data: bytes, now: datetime) -> int:
    file_id = connection.execute(stored_file.insert().values(
        key=uuid.uuid4().hex, backend="database", size=len(data), sha256=hashlib.sha256(data).hexdigest(),
        created_at=now).returning(stored_file.c.id)).scalar_one()
    for seq, start in enumerate(range(0, max(len(data), 1), CHUNK_BYTES)):
        connection.execute(chunk.insert().values(file_id=file_id, seq=seq, data=data[start:start + CHUNK_BYTES]))
    return file_id


def upgrade():
    op.create_table(
        "stored_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("backend", sa.String(length=20), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("backend IN ('database', 'filesystem')", name=op.f("ck_stored_file_backend")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_file")),
        sa.UniqueConstraint("key", name=op.f("uq_stored_file_key")),
    )
    op.create_table(
        "stored_file_chunk",
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["file_id"], ["stored_file.id"], name=op.f("fk_stored_file_chunk_file_id_stored_file"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("file_id", "seq", name=op.f("pk_stored_file_chunk")),
    )
    connection = op.get_bind()
    postgres = connection.dialect.name == "postgresql"
    now = datetime.now(UTC).replace(tzinfo=None)
    for table, blob, column in OWNERS:
        if postgres:
            op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(op.f(f"fk_{table}_{column}_stored_file"), table, "stored_file", [column], ["id"])
        else:
            # SQLite adds a referencing column in place (ALTER TABLE ... ADD COLUMN ... REFERENCES).
            op.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER "
                       f"CONSTRAINT fk_{table}_{column}_stored_file REFERENCES stored_file (id)")
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)
        owner = sa.table(table, sa.column("id", sa.Integer), sa.column(blob, sa.LargeBinary),
                         sa.column(column, sa.Integer))
        for row_id in connection.execute(sa.select(owner.c.id).order_by(owner.c.id)).scalars().all():
            data = connection.execute(sa.select(owner.c[blob]).where(owner.c.id == row_id)).scalar_one()
            file_id = _store(connection, bytes(data or b""), now)
            connection.execute(owner.update().where(owner.c.id == row_id).values({column: file_id}))
        if postgres:
            op.alter_column(table, column, existing_type=sa.Integer(), nullable=False)
        op.drop_column(table, blob)  # SQLite 3.35+ drops a plain column in place


def downgrade():
    """Puts each file's bytes back in its row. Refuses while any file is on the filesystem backend."""
    connection = op.get_bind()
    elsewhere = connection.execute(sa.text("SELECT COUNT(*) FROM stored_file WHERE backend <> 'database'")).scalar()
    if elsewhere:
        raise RuntimeError(f"{elsewhere} stored file(s) are on the filesystem: `flask files move --to database` "
                           f"first")
    for table, blob, column in OWNERS:
        op.add_column(table, sa.Column(blob, sa.LargeBinary(), nullable=True))
        owner = sa.table(table, sa.column("id", sa.Integer), sa.column(blob, sa.LargeBinary),
                         sa.column(column, sa.Integer))
        for row_id, file_id in connection.execute(sa.select(owner.c.id, owner.c[column])).all():
            parts = connection.execute(sa.select(chunk.c.data).where(chunk.c.file_id == file_id)
                                       .order_by(chunk.c.seq)).scalars().all()
            connection.execute(owner.update().where(owner.c.id == row_id).values({blob: b"".join(parts)}))
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
        if connection.dialect.name == "postgresql":
            op.drop_constraint(op.f(f"fk_{table}_{column}_stored_file"), table, type_="foreignkey")
            op.alter_column(table, blob, existing_type=sa.LargeBinary(), nullable=False)
            op.drop_column(table, column)
        else:
            # SQLite cannot drop a column that references another table: it stays, emptied, and unused.
            connection.execute(owner.update().values({column: None}))
    op.drop_table("stored_file_chunk")
    op.drop_table("stored_file")
