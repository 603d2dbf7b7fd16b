"""The canonical encoding and hashing of audit events.

Kept free of the database so an auditor can re-implement verification from
this one page: each event's hash is SHA-256 over the canonical JSON (sorted
keys, no whitespace, UTF-8) of the fields below. The payload enters only
through its own hash, so a payload can be redacted without breaking the chain.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64

HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_user_id",
    "actor_org_id",
    "actor_role",
    "actor_label",
    "action",
    "subject_type",
    "subject_id",
    "procurement_id",
    "audience",
    "summary",
    "payload_hash",
    "prev_hash",
)


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def canonical_json(value: Any) -> str:
    """One byte-exact JSON text for a value, whatever produced it.

    Exactly json.dumps with these options; the one encoder is made once
    because verification encodes every event in the trail.
    """
    return _CANONICAL.encode(value)


def format_time(moment: datetime) -> str:
    """UTC, microseconds, trailing Z: the same text on SQLite and PostgreSQL."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds") + "Z"


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def event_fields(event: Any) -> dict[str, Any]:
    return fields_from_values([getattr(event, name) for name in HASHED_FIELDS])


def fields_from_values(values: Sequence[Any]) -> dict[str, Any]:
    """The hashed fields from values in HASHED_FIELDS order (a database row selected in that order)."""
    fields = dict(zip(HASHED_FIELDS, values))
    fields["occurred_at"] = format_time(fields["occurred_at"])
    return fields


def event_hash(event: Any) -> str:
    return sha256_hex(canonical_json(event_fields(event)))


# ---------------------------------------------------------------- checkpoints
#
# A checkpoint is an Ed25519 signature over (seq, head hash, time). The signed
# bytes are the canonical JSON above of the object below, so anyone holding a
# saved copy of /audit/checkpoints.json and the public key can check it with
# any Ed25519 library: the "context" field stops a signature made by this key
# for any other purpose from ever passing as a checkpoint.

CHECKPOINT_CONTEXT = "commissioning-commons/audit-checkpoint/v1"


def checkpoint_message(seq: int, head_hash: str, created_at: str) -> bytes:
    """The exact bytes a checkpoint signature covers. `created_at` is as published (format_time)."""
    return canonical_json({
        "context": CHECKPOINT_CONTEXT,
        "seq": seq,
        "head_hash": head_hash,
        "created_at": created_at,
    }).encode("utf-8")


# A key rotation is announced on the chain with the retiring key's signature over the new public key, so
# whoever trusted the old key can trust its successor without asking the operator.
KEY_ROTATION_CONTEXT = "commissioning-commons/audit-key-rotation/v1"


def key_rotation_message(old_public_key: str, new_public_key: str) -> bytes:
    """The exact bytes the retiring key signs. Keys are base64 of their 32 raw bytes, as published."""
    return canonical_json({
        "context": KEY_ROTATION_CONTEXT,
        "old_public_key": old_public_key,
        "new_public_key": new_public_key,
    }).encode("utf-8")
