"""Where a file's bytes live: in the database (the default) or under a folder every server shares.

Both write whole files (uploads are checked in memory, and are small) and read
them back as an iterator of chunks, so a download never holds a whole file.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, select

from core.extensions import db
from core.storage.models import Backend, StoredFile, StoredFileChunk

CHUNK_BYTES = 256 * 1024


class DatabaseBackend:
    """Chunks in `stored_file_chunk`: they commit or roll back with the row that owns the file."""

    name = Backend.DATABASE

    def write(self, stored: StoredFile, data: bytes) -> None:
        for seq, start in enumerate(range(0, max(len(data), 1), CHUNK_BYTES)):
            db.session.add(StoredFileChunk(file_id=stored.id, seq=seq, data=data[start:start + CHUNK_BYTES]))
        db.session.flush()

    def chunks(self, stored: StoredFile) -> Iterator[bytes]:
        # One chunk per query: on SQLite and PostgreSQL alike only CHUNK_BYTES are in memory at once.
        seq = 0
        while (data := db.session.scalar(select(StoredFileChunk.data).where(
                StoredFileChunk.file_id == stored.id, StoredFileChunk.seq == seq))) is not None:
            yield data
            seq += 1

    def delete(self, stored: StoredFile) -> None:
        db.session.execute(delete(StoredFileChunk).where(StoredFileChunk.file_id == stored.id))

    def path(self, stored: StoredFile) -> Path | None:
        return None


class FilesystemBackend:
    """Files under STORAGE_PATH (a volume every web server and worker mounts), named by their random key.

    A file is written to a temporary name, flushed to disk and renamed, so a
    reader never sees half a file. A transaction that rolls back after the
    write leaves an unreferenced file behind, which `flask files check` lists.
    """

    name = Backend.FILESYSTEM

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / key[2:4] / key

    def write(self, stored: StoredFile, data: bytes) -> None:
        target = self._path(stored.key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def chunks(self, stored: StoredFile) -> Iterator[bytes]:
        with self._path(stored.key).open("rb") as source:
            while data := source.read(CHUNK_BYTES):
                yield data

    def delete(self, stored: StoredFile) -> None:
        self._path(stored.key).unlink(missing_ok=True)

    def path(self, stored: StoredFile) -> Path | None:
        return self._path(stored.key)


def storage_root() -> Path:
    return Path(current_app.config.get("STORAGE_PATH") or Path(current_app.instance_path) / "files")


def backend(name: str) -> DatabaseBackend | FilesystemBackend:
    if name == Backend.DATABASE:
        return DatabaseBackend()
    if name == Backend.FILESYSTEM:
        return FilesystemBackend(storage_root())
    raise ValueError(f"Unknown storage backend {name!r}: use 'database' or 'filesystem'")


def configured_backend() -> DatabaseBackend | FilesystemBackend:
    """The backend new files go to (STORAGE_BACKEND); files already stored stay where their row says."""
    return backend(current_app.config.get("STORAGE_BACKEND") or Backend.DATABASE)
