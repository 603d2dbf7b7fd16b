"""Spin-off proposals on contracts, the lawful-route modification check and the modification register (lawful
modification).

Who may propose, see and decide spin-offs. Proposals and the register are
public whenever the procurement is (the modification register is a public
record); proposing belongs to the contract's provider, deciding to the
commissioners of the organisation that owns the procurement.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from accounts import policy as accounts_policy
from accounts.models import Viewer
from tenders import policy
from tenders.models import Contract, Procurement


def is_contract_provider(user: Viewer, contract: Contract) -> bool:
    """A provider user of the organisation that holds the contract."""
    return accounts_policy.is_provider(user) and user.organisation_id == contract.provider_org_id


def contract_running(contract: Contract, on: date) -> bool:
    """Running until the end of its term, or until the day it was terminated early."""
    return on <= contract.ended_on


def can_propose(user: Viewer, contract: Contract, on: date) -> bool:
    return is_contract_provider(user, contract) and contract_running(contract, on)


def can_decide(user: Viewer, procurement: Procurement) -> bool:
    return policy.is_owner_commissioner(user, procurement)


def can_view_register(user: Viewer, procurement: Procurement) -> bool:
    return policy.can_view(user, procurement)


def can_view_proposal(user: Viewer, proposal: Any, procurement: Procurement) -> bool:
    """Decided proposals are public (their decision is); an open one is for the parties and auditors."""
    if not policy.can_view(user, procurement):
        return False
    if proposal.is_decided:
        return True
    return (accounts_policy.is_provider(user) and user.organisation_id == proposal.provider_org_id) or \
        policy.is_owner_commissioner(user, procurement) or accounts_policy.is_auditor(user)
