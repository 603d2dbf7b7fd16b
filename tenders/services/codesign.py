"""Co-design threads, proposals, specification sections and clause provenance (DESIGN.md rule 3, issue 5)."""
from __future__ import annotations

from datetime import datetime

from tenders.models import Procurement


def publish_problems(procurement: Procurement, now: datetime) -> dict[str, str]:
    """What the prior-involvement mitigation note stop(s) the tender notice going out: keyed messages, nothing changed."""
    return {}
