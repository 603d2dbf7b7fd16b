"""Who may see and do what in a procurement: plain predicates over a user.

Views use them to allow or refuse and pass them to templates as flags, so a
button is shown exactly when its route would accept the request. Services
check the same predicates again (they are also called by the CLI and tests).
"""
from tenders.policy.evaluation import can_assign_evaluators, can_decide_award, can_enter_contract, can_view_evaluation
from tenders.policy.procurements import (
    can_change_published_spec,
    can_close,
    can_create_procurement,
    can_edit_details,
    can_edit_specification,
    can_manage,
    can_publish_engagement,
    can_publish_tender,
    can_see_criteria,
    can_view,
    is_owner_commissioner,
    may_link_forum,
    needs_no_engagement_reason,
)
from tenders.policy.tendering import (
    can_answer_clarifications,
    can_ask_clarification,
    can_open_responses,
    can_read_responses,
    can_request_opening,
    can_submit_response,
    deadline_passed,
)

__all__ = [
    "can_answer_clarifications",
    "can_ask_clarification",
    "can_assign_evaluators",
    "can_change_published_spec",
    "can_close",
    "can_create_procurement",
    "can_decide_award",
    "can_edit_details",
    "can_edit_specification",
    "can_enter_contract",
    "can_manage",
    "can_open_responses",
    "can_publish_engagement",
    "can_publish_tender",
    "can_read_responses",
    "can_request_opening",
    "can_see_criteria",
    "can_submit_response",
    "can_view",
    "can_view_evaluation",
    "deadline_passed",
    "is_owner_commissioner",
    "may_link_forum",
    "needs_no_engagement_reason",
]
