"""The tamper-evident trail: every state change leaves one chained event.

`trail.record(...)` is the call every service makes inside its own
transaction; `record_sealed` and `record_refusal` are its two variants.
"""
from trail.events import record, record_refusal, record_sealed

__all__ = ["record", "record_refusal", "record_sealed"]
