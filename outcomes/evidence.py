"""Where evidence files are kept: every write of their bytes goes through here, into the shared file store.

The bytes live in whichever backend `core.storage` is configured with (the
database by default, or the filesystem), with their SHA-256 taken on the way
in; a download streams them (`core.storage.download`), and `flask files check`
compares every stored file with its hash.
"""
from __future__ import annotations

import hashlib
from datetime import datetime

from core import storage
from forum.attachments import CheckedFile, Upload, check_upload
from outcomes.models import EvidenceFile


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def checked(upload: Upload) -> CheckedFile:
    """The upload's real type from its bytes, with a safe name (the shared attachment checks)."""
    return check_upload(upload, field="evidence")


def store(return_id: int, upload: CheckedFile, *, by_id: int, now: datetime) -> EvidenceFile:
    stored = storage.store(upload.data, now=now)
    return EvidenceFile(return_id=return_id, filename=upload.filename, content_type=upload.content_type,
                        file_id=stored.id, file=stored, sha256=stored.sha256, size_bytes=len(upload.data),
                        uploaded_by_id=by_id, uploaded_at=now)
