"""The stored files: one row per file wherever its bytes are, and the database backend's chunks."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import Model


class Backend(StrEnum):
    DATABASE = "database"
    FILESYSTEM = "filesystem"


class StoredFile(Model):
    """A file's identity, size and SHA-256 of the bytes as stored, and which backend holds them.

    The hash is of what is stored (for a sealed response: the ciphertext), so
    moving a file between backends can prove every byte arrived.
    """

    __tablename__ = "stored_file"
    __table_args__ = (CheckConstraint("backend IN ('database', 'filesystem')", name="backend"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    backend: Mapped[str] = mapped_column(String(20))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class StoredFileChunk(Model):
    """One slice of a file kept in the database: downloads read one slice at a time, never the whole file."""

    __tablename__ = "stored_file_chunk"

    file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
