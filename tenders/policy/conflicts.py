"""Who may declare interests, read the declarations and record the conflicts assessment (PA23 ss.81-83).

Declarations are not public: the owning organisation's commissioners and the
auditors read them. Evaluators are always commissioners of the owning
organisation (tenders.services.evaluation.assign_evaluator checks it), so
"commissioners of the owning organisation" covers them too.
"""
from __future__ import annotations

from dataclasses import dataclass

from accounts import policy as accounts_policy
from accounts.models import Viewer
from tenders.models import CLOSED_STAGES, Procurement, Stage
from tenders.policy import is_owner_commissioner


def can_view_declarations(user: Viewer, procurement: Procurement) -> bool:
    return is_owner_commissioner(user, procurement) or accounts_policy.is_auditor(user)


def may_declare(user: Viewer, procurement: Procurement) -> bool:
    """The person is one who can act in this procurement (whatever its stage)."""
    return is_owner_commissioner(user, procurement)


def can_declare(user: Viewer, procurement: Procurement) -> bool:
    """Shows the declare form: a closed procurement takes no more declarations."""
    return may_declare(user, procurement) and procurement.stage not in CLOSED_STAGES


def may_assess(user: Viewer, procurement: Procurement) -> bool:
    return is_owner_commissioner(user, procurement)


def can_assess(user: Viewer, procurement: Procurement) -> bool:
    return may_assess(user, procurement) and procurement.stage not in CLOSED_STAGES


def is_quiet_period(procurement: Procurement) -> bool:
    """While the tender is live, contact about it goes only through clarifications (rule 5)."""
    return procurement.stage == Stage.TENDER


def quiet_period_applies_to(user: Viewer) -> bool:
    """Commissioners' forum posts are held to the quiet period; providers' are not."""
    return accounts_policy.is_commissioner(user)


# ---------------------------------------------------------------- the conflicts gate (PA23 ss.81-83; rule 6)

# What a person may be barred from once responses come in.
GATED_ACTIONS = ("open", "confirm", "read", "score", "moderate", "award")
# Acting on the box as a whole: whoever has any declared interest is barred, whichever bidder it names, so a
# refusal never tells them who responded.
BOX_ACTIONS = ("open", "confirm")


@dataclass(frozen=True)
class ConflictState:
    """What the declarations and the latest assessment say about one person on one procurement."""

    declared: bool  # holds a declaration at the current stage
    has_interest: bool  # that declaration states an interest
    interest_org_id: int | None  # the provider organisation the interest involves, if it names one
    excluded: bool  # the latest conflicts assessment excludes them


def conflict_bar(state: ConflictState, action: str, bidder_org_ids: frozenset[int] = frozenset()) -> str | None:
    """Why the person may not take `action`, or None.

    "no_declaration": nobody acts on the responses without a current declaration.
    "excluded": the assessment's mitigation takes them out of the opening and the evaluation.
    "interest": opening or confirming with any declared interest; reading, scoring or moderating
    a response from the organisation their interest names; awarding when it names any bidder.
    `bidder_org_ids` are the organisations concerned: the response's sender, or every bidder for
    the award (unused for the box actions).
    """
    if action not in GATED_ACTIONS:
        raise ValueError(f"unknown gated action {action!r}")
    if not state.declared:
        return "no_declaration"
    if state.excluded:
        return "excluded"
    if state.has_interest and (action in BOX_ACTIONS or state.interest_org_id in bidder_org_ids):
        return "interest"
    return None
