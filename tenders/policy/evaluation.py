"""After the opening: who may see the evaluation, assign evaluators, decide the award and enter the contract."""
from __future__ import annotations

from accounts import policy as accounts_policy
from accounts.models import Viewer
from tenders.models import Procurement, Stage
from tenders.policy.procurements import can_manage


def can_view_evaluation(user: Viewer, procurement: Procurement) -> bool:
    return (can_manage(user, procurement) or accounts_policy.is_auditor(user)) and \
        procurement.tender_published_at is not None


def can_decide_award(user: Viewer, procurement: Procurement) -> bool:
    return can_manage(user, procurement) and procurement.can_move_to("award")


def can_enter_contract(user: Viewer, procurement: Procurement) -> bool:
    return can_manage(user, procurement) and procurement.can_move_to("contract")


def can_assign_evaluators(user: Viewer, procurement: Procurement) -> bool:
    return can_manage(user, procurement) and procurement.stage in (Stage.TENDER, Stage.EVALUATION)
