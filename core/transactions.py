"""One commit per request, made by the view (or CLI command) that called the service."""
from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from core.errors import DomainError
from core.extensions import db

P = ParamSpec("P")
T = TypeVar("T")


def call_service(service: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run one service and commit.

    A refusal commits too. Services check every rule before they change
    anything, so a refusal has written nothing but its own audit event (a
    failed sign-in, a reused link), and that event must survive. Any other
    exception propagates and the request's error handler rolls back.
    """
    try:
        result = service(*args, **kwargs)
    except DomainError:
        db.session.commit()
        raise
    db.session.commit()
    return result
