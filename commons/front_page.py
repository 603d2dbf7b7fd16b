"""What the front page lists: open forums, live procurements and how many organisations take part.

The front page sits on the top floor, so it asks each package for its own list
directly; a list that is empty is shown as such, never with invented content.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from accounts.models import Organisation
from core.extensions import db
from forum.queries import open_forums_listing
from tenders.queries import live_procurements


def front_page() -> dict[str, Any]:
    counts = dict(db.session.execute(
        select(Organisation.kind, func.count()).where(Organisation.kind != "operator").group_by(Organisation.kind)
    ).tuples().all())
    return {
        "open_forums": open_forums_listing(),
        "live_procurements": live_procurements(),
        "provider_count": counts.get("provider", 0),
        "commissioner_count": counts.get("commissioning_unit", 0) + counts.get("consortium", 0),
    }
