"""What the front page lists.

Forums and procurements are registered by their packages through
`register_listing`; until a package is installed its list is simply absent,
so the front page never shows invented content.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from accounts.models import Organisation
from core.extensions import db

_listings: dict[str, Callable[[], list[Any]]] = {}


def register_listing(name: str, loader: Callable[[], list[Any]]) -> None:
    _listings[name] = loader


def front_page() -> dict[str, Any]:
    counts = dict(db.session.execute(
        select(Organisation.kind, func.count()).where(Organisation.kind != "operator").group_by(Organisation.kind)
    ).all())
    return {
        "open_forums": _listings["open_forums"]() if "open_forums" in _listings else [],
        "live_procurements": _listings["live_procurements"]() if "live_procurements" in _listings else [],
        "provider_count": counts.get("provider", 0),
        "commissioner_count": counts.get("commissioning_unit", 0) + counts.get("consortium", 0),
    }
