"""Refusing a request the policy forbids, and leaving a record of the attempt."""
from __future__ import annotations

from flask import abort, g, request
from flask_login import current_user

from audit.services import record_refusal
from core.extensions import db


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


def record_refusal_now(actor, attempted: str, reason: str, **kwargs) -> None:  # noqa: ANN001
    """Write a refusal in its own transaction, starting with the write lock (SQLite)."""
    g.write_intent = True
    db.session.commit()
    record_refusal(actor, attempted, reason, **kwargs)
    db.session.commit()
