"""Who may see and do what with benchmarks: plain predicates over a user.

Published benchmarks are public. Before publication a provider sees its own
result against anonymised peers and may reply; auditors and admins see every
run; admins start runs (as does the CLI).
"""
from __future__ import annotations

from typing import Any

from accounts import policy as accounts_policy


def can_start_run(user: Any) -> bool:
    return accounts_policy.is_admin(user)


def can_see_every_run(user: Any) -> bool:
    return accounts_policy.is_admin(user) or accounts_policy.is_auditor(user)


def can_reply_for(user: Any, provider_org_ids: set[int]) -> bool:
    """A provider user of an organisation with results in the run, and only for its own organisation."""
    return accounts_policy.is_provider(user) and user.organisation_id in provider_org_ids


def can_see_own_result(user: Any) -> bool:
    """The preview page is for providers: their organisation's own result before publication."""
    return accounts_policy.is_provider(user)
