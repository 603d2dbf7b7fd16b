"""Who may publish the contract notices that need a commissioner's action (UK7, UK9, contract termination).

Every notice is public once published, so reading them needs nothing beyond
seeing the procurement (tenders.policy.can_view). Publishing belongs to the
commissioners of the organisation that owns the procurement, and only once a
contract has been entered into.
"""
from __future__ import annotations

from accounts.models import Viewer
from tenders.models import Contract, Procurement, Stage
from tenders.policy import is_owner_commissioner


def can_publish_contract_notices(user: Viewer, procurement: Procurement) -> bool:
    return is_owner_commissioner(user, procurement) and procurement.stage == Stage.CONTRACT


def can_publish_details_notice(user: Viewer, procurement: Procurement, contract: Contract) -> bool:
    """UK7 goes out once."""
    return can_publish_contract_notices(user, procurement) and contract.details_notice_published_at is None


def can_publish_performance_notice(user: Viewer, procurement: Procurement, contract: Contract) -> bool:
    return can_publish_contract_notices(user, procurement)


def can_publish_termination_notice(user: Viewer, procurement: Procurement, contract: Contract) -> bool:
    """A contract ends once: its termination notice goes out once."""
    return can_publish_contract_notices(user, procurement) and contract.termination_notice_published_at is None
