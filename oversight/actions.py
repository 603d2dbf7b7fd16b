"""The audit actions of the auditor's workspace (registered by the app factory)."""

DOMAIN = "Oversight"
ACTIONS = {
    "audit.exported": "Someone downloaded part of the audit trail or a register",
    "audit.checkpoint_emails_changed": "A person started or stopped the emails about signed checkpoints",
    "ocds.exported": "The procurements were exported as open contracting (OCDS) data",
}
