"""Where evidence files are kept: every read and write of their bytes goes through here.

Today the bytes live in the evidence row (as tender documents do), with their
SHA-256 taken on the way in and checked on the way out. Swapping the storage
(object storage, a file store) means changing only this module.
"""
from __future__ import annotations

import hashlib
from datetime import datetime

from core.errors import RuleViolation
from forum.attachments import CheckedFile, Upload, check_upload
from outcomes.models import EvidenceFile


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def checked(upload: Upload) -> CheckedFile:
    """The upload's real type from its bytes, with a safe name (the shared attachment checks)."""
    return check_upload(upload, field="evidence")


def store(return_id: int, upload: CheckedFile, *, by_id: int, now: datetime) -> EvidenceFile:
    return EvidenceFile(return_id=return_id, filename=upload.filename, content_type=upload.content_type,
                        data=upload.data, sha256=sha256_of(upload.data), size_bytes=len(upload.data),
                        uploaded_by_id=by_id, uploaded_at=now)


def read(file: EvidenceFile) -> bytes:
    """The stored bytes, refused if they no longer match the hash taken when they were uploaded."""
    if sha256_of(file.data) != file.sha256:
        raise RuleViolation({"": "This evidence file no longer matches the hash recorded when it was uploaded"})
    return file.data
