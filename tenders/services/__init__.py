"""The only code that changes procurement state, split by topic.

Each function checks its rule, makes the change, writes its audit event (with
the procurement's id, for the s.98 record) and flushes; the caller commits.
"""
