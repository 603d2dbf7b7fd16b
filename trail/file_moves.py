"""Moving every stored file (core.storage) from one backend to another, and checking every stored file against its hash.

A move copies one file at a time, reads the copy back through the target
backend and compares its SHA-256 with the one recorded when the file was
stored; only then does the row point at the new backend (committed per file),
and only after that commit is the old copy removed. A file whose source
already fails its hash is left where it is and reported, never copied.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

import trail
from core.extensions import db
from core.storage.backends import backend, storage_root
from core.storage.models import StoredFile


@dataclass
class StorageReport:
    files: int = 0
    moved: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _digest(stored: StoredFile, name: str) -> str | None:
    """The SHA-256 of the file as `name` holds it, read in chunks; None when it is not there."""
    digest = hashlib.sha256()
    try:
        for chunk in backend(name).chunks(stored):
            digest.update(chunk)
    except FileNotFoundError:
        return None
    return digest.hexdigest()


def move_files(target: str, *, progress: Callable[[int], None] | None = None) -> StorageReport:
    """Move every file not already in `target` there, proving each copy by its hash; commits per file."""
    destination = backend(target)
    report = StorageReport()
    ids = list(db.session.scalars(select(StoredFile.id).where(StoredFile.backend != target).order_by(StoredFile.id)))
    db.session.commit()
    for file_id in ids:
        stored = db.session.get_one(StoredFile, file_id)
        report.files += 1
        source_name = stored.backend
        source = backend(source_name)
        data = b"".join(source.chunks(stored)) if _digest(stored, source_name) == stored.sha256 else None
        if data is None:
            report.problems.append(f"file {stored.key} ({source_name}) is missing or does not match its SHA-256: "
                                   f"left where it is")
            db.session.rollback()
            continue
        destination.write(stored, data)
        if _digest(stored, target) != stored.sha256:
            destination.delete(stored)
            report.problems.append(f"file {stored.key}: the copy in {target} does not match its SHA-256: not moved")
            db.session.rollback()
            continue
        stored.backend = target
        db.session.commit()
        source.delete(stored)
        db.session.commit()
        report.moved += 1
        if progress is not None:
            progress(1)
    trail.record("storage.files_moved", summary=f"{report.moved} stored file(s) moved to the {target} backend, "
                                                f"each checked by its SHA-256",
                 payload={"target": target, "moved": report.moved, "problems": len(report.problems)})
    db.session.commit()
    return report


def check_files(progress: Callable[[int], None] | None = None) -> StorageReport:
    """Read every stored file back through its backend and compare its hash; list stray files on disk too."""
    report = StorageReport()
    known: set[str] = set()
    for stored in db.session.scalars(select(StoredFile).order_by(StoredFile.id)).yield_per(200):
        report.files += 1
        known.add(stored.key)
        digest = _digest(stored, stored.backend)
        if digest is None:
            report.problems.append(f"file {stored.key} is missing from the {stored.backend} backend")
        elif digest != stored.sha256:
            report.problems.append(f"file {stored.key} ({stored.backend}) does not match its SHA-256")
        if progress is not None:
            progress(1)
    root = storage_root()
    if root.is_dir():
        for folder, _dirs, names in os.walk(root):
            for name in names:
                if name not in known and not name.startswith(".incoming-"):
                    report.problems.append(f"{os.path.join(folder, name)} is on disk but no stored file names it "
                                           f"(left by a rolled-back upload?)")
    return report


