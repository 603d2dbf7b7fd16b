"""Refusing a request the policy forbids, and leaving a record of the attempt."""
from __future__ import annotations

from flask import abort, request
from flask_login import current_user

from audit.services import record_refusal
from core.extensions import db


def require(allowed: bool, attempted: str) -> None:
    """Abort with 401 (anonymous) or 403 (signed in), auditing the 403.

    The refusal is written in a transaction of its own, after rolling back
    whatever the request had read, so it is kept whatever happens next.
    """
    if allowed:
        return
    if not current_user.is_authenticated:
        abort(401)
    db.session.rollback()
    record_refusal(current_user, attempted, "not permitted for this role", detail={"path": request.path})
    db.session.commit()
    abort(403)
