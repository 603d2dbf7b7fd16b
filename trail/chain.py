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
from json.encoder import encode_basestring
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
    return sha256_hex(canonical_event([getattr(event, name) for name in HASHED_FIELDS]))


# The canonical text of an event, written out: the fields in sorted order, each value where json.dumps puts it.
# Verification encodes every event of the trail, and this is several times faster than building a dict and
# sorting its keys; `canonical_event` proves itself against canonical_json for any value it does not expect.
_EVENT_TEXT = (
    '{"action":%s,"actor_label":%s,"actor_org_id":%s,"actor_role":%s,"actor_user_id":%s,"audience":%s,'
    '"occurred_at":"%sZ","payload_hash":%s,"prev_hash":%s,"procurement_id":%s,"seq":%s,"subject_id":%s,'
    '"subject_type":%s,"summary":%s}'
)
assert tuple(sorted(HASHED_FIELDS)) == (
    "action", "actor_label", "actor_org_id", "actor_role", "actor_user_id", "audience", "occurred_at",
    "payload_hash", "prev_hash", "procurement_id", "seq", "subject_id", "subject_type", "summary")


def _time_text(moment: datetime | str) -> str:
    """format_time without its Z; SQLite's stored text ('2026-12-03 14:05:00.123456') is taken as it is."""
    if type(moment) is str and len(moment) == 26 and moment[10] == " " and moment[19] == ".":
        return moment[:10] + "T" + moment[11:]
    if type(moment) is datetime and moment.tzinfo is None:
        return moment.isoformat(timespec="microseconds")
    if isinstance(moment, str):
        try:
            parsed = datetime.fromisoformat(moment)
        except ValueError:
            return moment  # not a time at all: it can only fail to match its hash, and verification says so
        moment = parsed
    return format_time(moment)[:-1]


def canonical_event(values: Sequence[Any], *, q: Any = encode_basestring, number: Any = int.__repr__) -> str:
    """canonical_json(fields_from_values(values)), byte for byte, for values in HASHED_FIELDS order.

    Text and integers go straight into the template: `encode_basestring` is
    the very function json uses for a str and refuses anything else, as
    `int.__repr__` does for what is not an int. A value of any other kind (a
    bool, a float, a missing required field) takes the general encoder, so the
    result is always the canonical text.
    """
    (seq, at, user_id, org_id, role, label, action, subject_type, subject_id, procurement_id, audience,
     summary, payload_hash, prev_hash) = values
    try:
        if bool in (type(seq), type(user_id), type(org_id), type(procurement_id)):
            raise TypeError("json writes a bool as true or false")
        return _EVENT_TEXT % (
            q(action), "null" if label is None else q(label), "null" if org_id is None else number(org_id),
            "null" if role is None else q(role), "null" if user_id is None else number(user_id), q(audience),
            _time_text(at), q(payload_hash), q(prev_hash),
            "null" if procurement_id is None else number(procurement_id), number(seq),
            "null" if subject_id is None else q(subject_id), "null" if subject_type is None else q(subject_type),
            q(summary))
    except TypeError:
        fields = dict(zip(HASHED_FIELDS, values))
        fields["occurred_at"] = _time_text(at) + "Z"
        return canonical_json(fields)


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
