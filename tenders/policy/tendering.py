"""During the tender: who may ask and answer clarifications, submit a sealed response, and open and read the
responses."""
from __future__ import annotations

from datetime import datetime

from accounts import policy as accounts_policy
from accounts.models import Viewer
from tenders.models import Procurement, Stage
from tenders.policy.procurements import can_manage, is_owner_commissioner


def can_request_opening(user: Viewer, procurement: Procurement) -> bool:
    """Shows the opening button; the deadline and the second person are checked when pressed."""
    return can_manage(user, procurement) and procurement.stage == Stage.TENDER


def can_ask_clarification(user: Viewer, procurement: Procurement) -> bool:
    return accounts_policy.is_provider(user) and procurement.stage == Stage.TENDER


def can_answer_clarifications(user: Viewer, procurement: Procurement) -> bool:
    return can_manage(user, procurement) and procurement.stage == Stage.TENDER


def can_submit_response(user: Viewer, procurement: Procurement) -> bool:
    return accounts_policy.can_submit_tender_responses(user) and procurement.stage == Stage.TENDER


def deadline_passed(procurement: Procurement, now: datetime) -> bool:
    return procurement.response_deadline is not None and now >= procurement.response_deadline


def can_open_responses(user: Viewer, procurement: Procurement, now: datetime) -> bool:
    return (can_manage(user, procurement) and procurement.stage == Stage.TENDER and not procurement.is_opened
            and deadline_passed(procurement, now))


def can_read_responses(user: Viewer, procurement: Procurement, now: datetime) -> bool:
    """Only once the box is opened (which itself needs the deadline and two commissioners)."""
    if not procurement.is_opened or not deadline_passed(procurement, now):
        return False
    return is_owner_commissioner(user, procurement) or accounts_policy.is_auditor(user)
