"""Who may see and do what with a contract's outcomes: plain predicates over a user.

The contract's provider submits returns; commissioners of the organisation
that owns the procurement verify, query, dispute and approve, each under the
two-person rules the services enforce; auditors see everything. The figures
are public, suppressed for small numbers; the parties and auditors see them
in full.
"""
from __future__ import annotations

from typing import Any

from accounts import policy as accounts_policy
from tenders import policy as tenders_policy
from tenders.models import Contract, Procurement


def is_contract_provider(user: Any, contract: Contract) -> bool:
    """A provider user of the organisation that holds the contract (and no other provider)."""
    return accounts_policy.is_provider(user) and user.organisation_id == contract.provider_org_id


def is_owner_commissioner(user: Any, procurement: Procurement) -> bool:
    return tenders_policy.is_owner_commissioner(user, procurement)


def can_submit(user: Any, contract: Contract) -> bool:
    return is_contract_provider(user, contract)


def can_decide(user: Any, procurement: Procurement) -> bool:
    """Verify, query, dispute, resolve, calculate and approve statements, rate performance."""
    return is_owner_commissioner(user, procurement)


def can_view_private(user: Any, contract: Contract, procurement: Procurement) -> bool:
    """Returns in full, their narratives and evidence: the two parties and auditors."""
    return (is_contract_provider(user, contract) or is_owner_commissioner(user, procurement)
            or accounts_policy.is_auditor(user))


def can_download_evidence(user: Any, contract: Contract, procurement: Procurement) -> bool:
    return can_view_private(user, contract, procurement)


def sees_full_figures(user: Any, contract: Contract, procurement: Procurement) -> bool:
    """Unsuppressed counts: the parties to the contract and auditors; everyone else sees suppressed figures."""
    return can_view_private(user, contract, procurement)


def can_approve_statement(user: Any, procurement: Procurement, verifier_ids: set[int]) -> bool:
    """A payment statement is approved by a commissioner of the owner who verified none of the returns it pays
    on: a second person, so no one both checks the figures and releases the money."""
    return can_decide(user, procurement) and is_second_person(user, verifier_ids)


def is_second_person(user: Any, verifier_ids: set[int]) -> bool:
    """Someone other than whoever verified the returns a statement pays on (see can_approve_statement)."""
    return user.id not in verifier_ids
