"""Where each thing that stops a tender notice is put right.

`tender_problems` (and each topic's `publish_problems`) key their messages;
this maps every key to the page that fixes it, so the list "Before the tender
can be published" is a list of links wherever it is shown. A key this map does
not know yet links to the publish page, which shows every problem again.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.urls import url_for_path
from tenders.models import Procurement

# Problem key -> (endpoint, link text). Keys with an id suffix are handled in `_link_for`.
FIXES = {
    "spec": ("tenders.edit_specification", "Edit the specification"),
    "value": ("tenders.details", "Edit the details"),
    "contract_type": ("tenders.details", "Edit the details"),
    "duration": ("tenders.details", "Edit the details"),
    "criteria": ("tenders.criteria", "Set the award criteria"),
    "declarations": ("tenders.conflicts_declarations", "Go to the declarations"),
    "publisher_declaration": ("tenders.conflicts_declarations", "Declare your interests"),
    "conflicts_assessment": ("tenders.conflicts_assessment", "Record the conflicts assessment"),
    "prior_involvement": ("tenders.codesign_mitigation", "Record the mitigation note"),
    "undecided_proposals": ("tenders.codesign_threads", "Decide the proposals"),
    "engagement_report": ("tenders.codesign_threads", "Attach the engagement report"),
}


@dataclass(frozen=True)
class Problem:
    message: str
    url: str
    link_text: str


def _link_for(procurement: Procurement, key: str) -> tuple[str, str]:
    if key.startswith("ledger_contact_") and key.removeprefix("ledger_contact_").isdigit():
        return (url_for_path("tenders.ledger_contact", contact_id=int(key.removeprefix("ledger_contact_"))),
                "Resolve the contact")
    endpoint, text = FIXES.get(key, ("tenders.publish", "See what the tender notice still needs"))
    return url_for_path(endpoint, procurement_id=procurement.id), text


def with_fixes(problems: dict[str, str], procurement: Procurement) -> list[Problem]:
    """Each problem's message with the link to where it is fixed."""
    return [Problem(message, *_link_for(procurement, key)) for key, message in problems.items()]
