"""Asking for declarations of interest once, when a procurement reaches a new stage (PA23 ss.81-83).

A declaration holds for one stage. When the stage changes, everyone who has
acted on the procurement and has no declaration at the new stage is asked,
once, in the app; the request links to the declarations page, and "My work"
lists it until they declare. Who is asked is the same rule the publish check
and the attention page use (`missing_declarations`).
"""
from __future__ import annotations

from accounts.notifications import notify
from tenders.models import STAGES, Procurement
from tenders.services.conflicts import (
    OPEN_STAGES,
    declarations_path,
    missing_declarations,
)

EVENT = "declaration.due"


def ask_for_declarations(procurement: Procurement) -> None:
    """Called by the stage move, in the same transaction."""
    if procurement.stage not in OPEN_STAGES:
        return
    notify(missing_declarations(procurement),
           title=f"{procurement.reference} {procurement.title} is now at the “{STAGES[procurement.stage]}” stage: "
                 "declare your interests for this stage",
           url=f"{declarations_path(procurement)}?stage={procurement.stage}", event=EVENT)
