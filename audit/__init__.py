"""The tamper-evident audit trail: every state change leaves one chained event.

`from audit import record` is the call every service makes inside its own
transaction.
"""
from audit.services import record  # noqa: F401
