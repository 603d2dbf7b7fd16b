"""Who may see the audit trail. The rules for the trail itself live in accounts.policy with the roles."""
from __future__ import annotations

from accounts.models import Viewer
from accounts.policy import can_redact_audit_payload, can_verify_chain, can_view_audit_trail, is_auditor

__all__ = ["can_view_audit_trail", "can_verify_chain", "can_redact_audit_payload", "can_receive_checkpoint_emails"]


def can_receive_checkpoint_emails(user: Viewer) -> bool:
    """Auditors may ask for each new checkpoint by email: an outside copy the operator cannot reach."""
    return is_auditor(user)
