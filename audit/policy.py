"""Who may see the audit trail. The rules live in accounts.policy with the roles."""
from __future__ import annotations

from accounts.policy import can_redact_audit_payload, can_verify_chain, can_view_audit_trail

__all__ = ["can_view_audit_trail", "can_verify_chain", "can_redact_audit_payload"]
