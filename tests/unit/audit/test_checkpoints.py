"""Signing checkpoints, keeping the key private, and checking saved checkpoints against the chain."""
from __future__ import annotations

import base64
import json
import stat

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed448 import Ed448PrivateKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from core.errors import RuleViolation
from trail import checkpoints
from trail.chain import checkpoint_message
from trail.models import AuditEvent, Checkpoint


def independent_message(entry: dict) -> bytes:
    """The signed bytes as documented on the verify page, built without the project's own code."""
    fields = {"context": "commissioning-commons/audit-checkpoint/v1", "seq": entry["seq"],
              "head_hash": entry["head_hash"], "created_at": entry["created_at"]}
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


# ---------------------------------------------------------------- the key file


def test_signing_key_is_created_once_with_owner_only_permissions(key_path):
    key, created = checkpoints.load_or_create_signing_key(key_path)
    assert created
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    again, created_again = checkpoints.load_or_create_signing_key(key_path)
    assert not created_again
    assert checkpoints.public_key_b64(again.public_key()) == checkpoints.public_key_b64(key.public_key())


def test_signing_key_readable_by_other_users_is_refused(key_path):
    checkpoints.load_or_create_signing_key(key_path)
    key_path.chmod(0o644)
    with pytest.raises(checkpoints.SigningKeyError, match="chmod 600"):
        checkpoints.load_signing_key(key_path)


def test_signing_key_of_another_algorithm_is_refused(key_path):
    key_path.parent.mkdir(parents=True)
    key_path.write_bytes(Ed448PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    key_path.chmod(0o600)
    with pytest.raises(checkpoints.SigningKeyError, match="not an Ed25519 private key"):
        checkpoints.load_signing_key(key_path)


# ---------------------------------------------------------------- signing


def test_checkpoint_signs_the_head_and_is_recorded_on_the_chain(db, events, signing_key):
    made = events(3)
    head = made[-1]
    checkpoint = checkpoints.create_checkpoint(signing_key)
    assert (checkpoint.seq, checkpoint.head_hash) == (head.seq, head.hash)
    entry = checkpoints.published(checkpoint)
    signing_key.public_key().verify(base64.b64decode(entry["signature"]), independent_message(entry))
    assert entry["public_key"] == base64.b64encode(signing_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)).decode()

    signed_event = db.session.get(AuditEvent, checkpoint.event_seq)
    assert signed_event.action == "audit.checkpoint_signed"
    assert signed_event.seq == head.seq + 1
    assert signed_event.prev_hash == checkpoint.head_hash
    assert signed_event.audience == "public"
    assert json.loads(signed_event.payload)["signature"] == checkpoint.signature


@pytest.mark.parametrize("field", ["seq", "head_hash", "created_at"])
def test_signature_covers_every_signed_field(db, events, signing_key, field):
    events(1)
    entry = checkpoints.published(checkpoints.create_checkpoint(signing_key))
    altered = dict(entry, **{field: {"seq": entry["seq"] + 1, "head_hash": "f" * 64,
                                     "created_at": "2020-01-01T00:00:00.000000Z"}[field]})
    with pytest.raises(InvalidSignature):
        signing_key.public_key().verify(base64.b64decode(entry["signature"]),
                                        checkpoint_message(altered["seq"], altered["head_hash"],
                                                           altered["created_at"]))


def test_checkpoint_on_an_empty_trail_is_refused_unless_if_changed(db, signing_key, monkeypatch):
    # The shared test database may already hold committed events, so the empty
    # chain is the head lookup answering "none".
    monkeypatch.setattr(checkpoints, "_head", lambda: None)
    with pytest.raises(RuleViolation, match="empty"):
        checkpoints.create_checkpoint(signing_key)
    assert checkpoints.create_checkpoint(signing_key, if_changed=True) is None


def test_if_changed_skips_when_only_the_last_checkpoint_event_is_new(db, events, signing_key):
    events(2)
    first = checkpoints.create_checkpoint(signing_key, if_changed=True)
    assert first is not None
    assert checkpoints.create_checkpoint(signing_key, if_changed=True) is None
    assert checkpoints.checkpoint_count() == 1

    events(1)
    second = checkpoints.create_checkpoint(signing_key, if_changed=True)
    assert second is not None and second.seq == first.event_seq + 1


def test_without_if_changed_a_second_checkpoint_signs_the_first_ones_event(db, events, signing_key):
    events(1)
    first = checkpoints.create_checkpoint(signing_key)
    second = checkpoints.create_checkpoint(signing_key)
    assert second.seq == first.event_seq


@pytest.mark.database_owner  # the triggers, which hold even for the owner (the app role has no such privilege)
def test_checkpoint_rows_refuse_update_and_delete(db, events, signing_key):
    events(1)
    checkpoint = checkpoints.create_checkpoint(signing_key)
    db.session.commit()
    for statement in (update(Checkpoint).where(Checkpoint.seq == checkpoint.seq).values(head_hash="0" * 64),
                      text("DELETE FROM audit_checkpoint")):
        with pytest.raises(DBAPIError, match="append-only"), db.session.begin_nested():
            db.session.execute(statement)
    db.session.expire_all()
    assert db.session.get(Checkpoint, checkpoint.seq).head_hash == checkpoint.head_hash


# ---------------------------------------------------------------- checking saved checkpoints


def saved(checkpoint: Checkpoint) -> checkpoints.PublishedCheckpoint:
    return checkpoints.parse_published(json.loads(json.dumps([checkpoints.published(checkpoint)])))[0]


def test_saved_checkpoints_hold_on_an_untouched_chain(db, events, signing_key):
    events(2)
    first = checkpoints.create_checkpoint(signing_key)
    events(2)
    second = checkpoints.create_checkpoint(signing_key)
    check = checkpoints.check_checkpoints([saved(second), saved(first)], [signing_key.public_key()])
    assert check.ok and check.checked == 2 and check.failures == 0


def test_checkpoint_signed_by_an_untrusted_key_fails(db, events, signing_key):
    events(1)
    checkpoint = checkpoints.create_checkpoint(signing_key)
    check = checkpoints.check_checkpoints([saved(checkpoint)], [Ed25519PrivateKey.generate().public_key()])
    assert not check.ok
    assert check.first_failed.seq == checkpoint.seq
    assert "key you do not trust" in check.problem


def test_checkpoint_whose_hash_was_edited_in_the_saved_copy_fails_its_signature(db, events, signing_key):
    events(1)
    entry = checkpoints.published(checkpoints.create_checkpoint(signing_key))
    forged = checkpoints.parse_published([dict(entry, head_hash="e" * 64)])
    check = checkpoints.check_checkpoints(forged, [signing_key.public_key()])
    assert not check.ok
    assert "signature does not verify" in check.problem


def test_checkpoint_beyond_the_current_head_means_history_was_truncated(db, events, signing_key):
    events(1)
    head = db.session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1))
    created_at = "2026-11-23T12:00:00.000000Z"
    seq, head_hash = head + 50, "a" * 64
    signature = base64.b64encode(signing_key.sign(checkpoint_message(seq, head_hash, created_at))).decode()
    entry = {"seq": seq, "head_hash": head_hash, "created_at": created_at, "signature": signature,
             "public_key": checkpoints.public_key_b64(signing_key.public_key())}
    check = checkpoints.check_checkpoints(checkpoints.parse_published([entry]), [signing_key.public_key()])
    assert not check.ok
    assert f"event {seq} is no longer on the chain" in check.problem


def test_every_failing_checkpoint_is_counted_and_the_first_named(db, events, signing_key):
    events(1)
    first = checkpoints.published(checkpoints.create_checkpoint(signing_key))
    second = checkpoints.published(checkpoints.create_checkpoint(signing_key))
    third = checkpoints.published(checkpoints.create_checkpoint(signing_key))
    entries = checkpoints.parse_published([dict(third, signature=first["signature"]), first,
                                           dict(second, created_at="2020-01-01T00:00:00.000000Z")])
    check = checkpoints.check_checkpoints(entries, [signing_key.public_key()])
    assert (check.checked, check.failures) == (3, 2)
    assert check.first_failed.seq == second["seq"]
    assert check.failed_seqs == [second["seq"], third["seq"]]


@pytest.mark.parametrize("data, message", [
    ({"seq": 1}, "JSON list"),
    (["not an object"], "entry 1 is not an object"),
    ([{"seq": True, "head_hash": "a"}], "entry 1 has no valid 'seq'"),
    ([{"seq": 3, "head_hash": "a", "created_at": "t", "signature": "s"}],
     "entry 1 (event 3) has no valid 'public_key'"),
])
def test_malformed_saved_checkpoints_are_named(data, message):
    with pytest.raises(ValueError) as excinfo:
        checkpoints.parse_published(data)
    assert message in str(excinfo.value)
