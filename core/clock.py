"""The one clock: naive UTC, freezable.

Deadlines decide who may do what and every audit event is stamped, so every
package reads the time from here (or takes `now` explicitly). Tests and the
demo loader set a fixed time instead of sleeping; production never calls
`set_now`.
"""
from __future__ import annotations

from datetime import UTC, datetime

_frozen: datetime | None = None


def utcnow() -> datetime:
    """Naive UTC, the one form of time stored everywhere in the database: the frozen time if set."""
    return _frozen if _frozen is not None else datetime.now(UTC).replace(tzinfo=None)


def set_now(moment: datetime | None) -> None:
    """Freeze the clock (tests and demo loading only); None unfreezes it."""
    global _frozen
    _frozen = moment
