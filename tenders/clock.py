"""The tenders package's clock.

Deadlines decide who may do what, so every time-dependent rule reads the time
from here (or takes `now` explicitly). Tests set a fixed time instead of
sleeping; production never calls `set_now`.
"""
from __future__ import annotations

from datetime import datetime

from audit.services import utcnow

_frozen: datetime | None = None


def now() -> datetime:
    """Naive UTC: the frozen time in tests, the real time otherwise."""
    return _frozen if _frozen is not None else utcnow()


def set_now(moment: datetime | None) -> None:
    """Freeze the clock (tests and demo loading only); None unfreezes it."""
    global _frozen
    _frozen = moment
