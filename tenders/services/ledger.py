"""Private conversations, bilateral contacts and their disclosures: the information-parity ledger (DESIGN.md rule 2)."""
from __future__ import annotations

from datetime import datetime

from tenders.models import Procurement


def publish_problems(procurement: Procurement, now: datetime) -> dict[str, str]:
    """What unresolved bilateral contacts stop(s) the tender notice going out: keyed messages, nothing changed."""
    return {}
