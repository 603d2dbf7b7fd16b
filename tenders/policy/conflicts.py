"""Who may declare interests, read the declarations and record the conflicts assessment (PA23 ss.81-83).

Declarations are not public: the owning organisation's commissioners and the
auditors read them. Evaluators are always commissioners of the owning
organisation (tenders.services.evaluation.assign_evaluator checks it), so
"commissioners of the owning organisation" covers them too.
"""
from __future__ import annotations

from typing import Any

from accounts import policy as accounts_policy
from tenders.models import CLOSED_STAGES, Procurement
from tenders.policy import is_owner_commissioner


def can_view_declarations(user: Any, procurement: Procurement) -> bool:
    return is_owner_commissioner(user, procurement) or accounts_policy.is_auditor(user)


def may_declare(user: Any, procurement: Procurement) -> bool:
    """The person is one who can act in this procurement (whatever its stage)."""
    return is_owner_commissioner(user, procurement)


def can_declare(user: Any, procurement: Procurement) -> bool:
    """Shows the declare form: a closed procurement takes no more declarations."""
    return may_declare(user, procurement) and procurement.stage not in CLOSED_STAGES


def may_assess(user: Any, procurement: Procurement) -> bool:
    return is_owner_commissioner(user, procurement)


def can_assess(user: Any, procurement: Procurement) -> bool:
    return may_assess(user, procurement) and procurement.stage not in CLOSED_STAGES


def is_quiet_period(procurement: Procurement) -> bool:
    """While the tender is live, contact about it goes only through clarifications (rule 5)."""
    return procurement.stage == "tender"


def quiet_period_applies_to(user: Any) -> bool:
    """Commissioners' forum posts are held to the quiet period; providers' are not."""
    return accounts_policy.is_commissioner(user)
