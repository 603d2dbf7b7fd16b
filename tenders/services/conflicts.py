"""Declarations of interest and the conflicts assessment (PA23 ss.81-83, DESIGN.md rule 4)."""
from __future__ import annotations

from datetime import datetime

from tenders.models import Procurement


def publish_problems(procurement: Procurement, now: datetime) -> dict[str, str]:
    """What declarations and the conflicts assessment stop(s) the tender notice going out: keyed messages, nothing changed."""
    return {}
