"""Refusing a request the policy forbids, and leaving a record of the attempt.

The record is written by the trail, which sits above this floor: the app
factory registers its writer (`register_refusal_recorder`), and a refusal with
no writer registered is an error rather than a silent gap in the record.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, g, request
from flask_login import current_user

from core.extensions import db

_recorder: Callable[..., Any] | None = None


def register_refusal_recorder(recorder: Callable[..., Any]) -> None:
    """Who writes refusals: `recorder(actor, attempted, reason, **kwargs)` (the trail's record_refusal)."""
    global _recorder
    _recorder = recorder


def require(allowed: bool, attempted: str) -> None:
    """Abort with 401 (anonymous) or 403 (signed in), auditing the 403.

    Views call this before they change anything, so ending the request's
    transaction here commits nothing but closes its (possibly stale) read
    snapshot; the refusal is then written in a write transaction of its own
    and kept whatever happens next.
    """
    if allowed:
        return
    if not current_user.is_authenticated:
        abort(401)
    record_refusal_now(current_user, attempted, "not permitted for this role", detail={"path": request.path})
    abort(403)


def record_refusal_now(actor, attempted: str, reason: str, **kwargs) -> None:
    """Write a refusal in its own transaction, starting with the write lock (SQLite)."""
    g.write_intent = True
    if _recorder is None:
        raise RuntimeError("No refusal recorder is registered: the app factory registers the trail's")
    db.session.commit()
    _recorder(actor, attempted, reason, **kwargs)
    db.session.commit()
