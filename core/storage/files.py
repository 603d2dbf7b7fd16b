"""Storing, reading and serving files through whichever backend holds them.

Services store a file with `store(data)` in the transaction that creates the
row owning it, and keep the returned StoredFile. Views serve it with
`download(...)`, which streams: the filesystem backend hands the open file to
the server, the database backend yields one chunk at a time. Sealed responses
are encrypted before they are stored, so every backend only ever holds their
ciphertext.
"""
from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator

from flask import Response, send_file, stream_with_context

from core.clock import utcnow
from core.extensions import db
from core.storage.backends import backend, configured_backend
from core.storage.models import StoredFile


class CorruptFile(Exception):
    """The bytes read back are not the bytes stored (their SHA-256 differs)."""


def store(data: bytes, *, now: object = None) -> StoredFile:
    """Keep `data` in the configured backend and return its row (flushed, so it has an id)."""
    target = configured_backend()
    stored = StoredFile(key=uuid.uuid4().hex, backend=target.name, size=len(data),
                        sha256=hashlib.sha256(data).hexdigest(), created_at=now or utcnow())
    db.session.add(stored)
    db.session.flush()
    target.write(stored, data)
    return stored


def chunks(stored: StoredFile) -> Iterator[bytes]:
    return backend(stored.backend).chunks(stored)


def read_bytes(stored: StoredFile) -> bytes:
    """The whole file, checked against its hash: for the few callers that need it all (decrypting a sealed bid)."""
    data = b"".join(chunks(stored))
    if hashlib.sha256(data).hexdigest() != stored.sha256:
        raise CorruptFile(f"stored file {stored.key} does not match its SHA-256")
    return data


def download(stored: StoredFile, *, filename: str, mimetype: str) -> Response:
    """An attachment download that streams the file, whichever backend holds it."""
    path = backend(stored.backend).path(stored)
    if path is not None:
        response = send_file(path, mimetype=mimetype, as_attachment=True, download_name=filename, conditional=False,
                             etag=stored.sha256)
    else:
        response = Response(stream_with_context(chunks(stored)), mimetype=mimetype)
        response.headers.set("Content-Disposition", "attachment", filename=filename)
        response.headers["Content-Length"] = str(stored.size)
        response.set_etag(stored.sha256)
    return response
