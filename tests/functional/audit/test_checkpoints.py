"""Checkpoints end to end: the command, the public list and key, the auditor page, and third-party verification."""
from __future__ import annotations

import base64
import json
import stat

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from sqlalchemy import func, select

from tests.conftest import submit
from trail.checkpoints import public_key_pem
from trail.models import AuditEvent, Checkpoint
from trail.verification import verify_chain


def checkpoint_total(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Checkpoint))


def signed_message(entry: dict) -> bytes:
    """The documented signed bytes, rebuilt the way an outsider would."""
    fields = {"context": "commissioning-commons/audit-checkpoint/v1", "seq": entry["seq"],
              "head_hash": entry["head_hash"], "created_at": entry["created_at"]}
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def save_public_copies(client, tmp_path):
    """What a third party keeps: the published checkpoints and key, saved as files."""
    listing = client.get("/audit/checkpoints.json")
    key = client.get("/audit/public-key.pem")
    assert listing.status_code == 200 and key.status_code == 200
    (tmp_path / "checkpoints.json").write_bytes(listing.data)
    (tmp_path / "public-key.pem").write_bytes(key.data)
    return tmp_path / "checkpoints.json", tmp_path / "public-key.pem"


# ---------------------------------------------------------------- the command


def test_checkpoint_command_creates_a_private_key_and_prints_its_public_half(db, runner, events, key_path):
    events(2)
    result = runner.invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert "-----BEGIN PUBLIC KEY-----" in result.output
    assert "PRIVATE" not in result.output
    checkpoint = db.session.scalars(select(Checkpoint)).one()
    assert f"Signed checkpoint at event {checkpoint.seq}" in result.output

    again = runner.invoke(args=["audit", "checkpoint"])
    assert again.exit_code == 0, again.output
    assert "BEGIN PUBLIC KEY" not in again.output  # the key is made once, then reused
    assert checkpoint_total(db) == 2


def test_checkpoint_if_changed_does_nothing_until_the_head_moves(db, runner, events, key_path):
    events(1)
    assert runner.invoke(args=["audit", "checkpoint", "--if-changed"]).exit_code == 0
    head = db.session.scalar(select(func.max(AuditEvent.seq)))

    quiet = runner.invoke(args=["audit", "checkpoint", "--if-changed"])
    assert quiet.exit_code == 0 and quiet.output == ""
    assert checkpoint_total(db) == 1
    assert db.session.scalar(select(func.max(AuditEvent.seq))) == head  # nothing written at all

    events(1)
    moved = runner.invoke(args=["audit", "checkpoint", "--if-changed"])
    assert moved.exit_code == 0 and "Signed checkpoint" in moved.output
    assert checkpoint_total(db) == 2


def test_checkpoint_command_refuses_a_key_others_can_read(db, runner, events, key_path):
    events(1)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    key_path.chmod(0o640)
    result = runner.invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 1
    assert "chmod 600" in result.output
    assert checkpoint_total(db) == 1


# ---------------------------------------------------------------- the public list and key


def test_checkpoints_json_is_public_and_each_signature_verifies(db, client, runner, events, key_path):
    events(2)
    runner.invoke(args=["audit", "checkpoint"])
    events(1)
    runner.invoke(args=["audit", "checkpoint"])
    response = client.get("/audit/checkpoints.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    listing = response.get_json()
    assert [entry["seq"] for entry in listing] == sorted(entry["seq"] for entry in listing)
    assert len(listing) == 2
    assert set(listing[0]) >= {"seq", "head_hash", "created_at", "signature", "public_key"}

    public_key = load_pem_public_key(client.get("/audit/public-key.pem").data)
    for entry in listing:
        public_key.verify(base64.b64decode(entry["signature"]), signed_message(entry))
        assert db.session.get(AuditEvent, entry["seq"]).hash == entry["head_hash"]


def test_public_key_is_not_found_before_the_first_checkpoint(db, client):
    assert checkpoint_total(db) == 0
    assert client.get("/audit/public-key.pem").status_code == 404
    assert client.get("/audit/checkpoints.json").get_json() == []


# ---------------------------------------------------------------- third-party verification


def test_verify_with_checkpoints_passes_on_an_untouched_chain(db, client, runner, events, key_path, tmp_path):
    events(3)
    runner.invoke(args=["audit", "checkpoint"])
    saved, public_key = save_public_copies(client, tmp_path)
    events(2)  # the chain grows after the copy was saved: it still extends it

    result = runner.invoke(args=["audit", "verify", "--checkpoints", str(saved), "--public-key", str(public_key)])
    assert result.exit_code == 0, result.output
    assert "the chain extends all 1 saved checkpoints" in result.output
    recorded = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
    assert recorded.action == "audit.chain_verified"
    assert json.loads(recorded.payload)["checkpoints"]["ok"] is True


def test_verify_with_checkpoints_detects_rewritten_history(db, client, runner, events, key_path, tmp_path,
                                                           rewrite_history):
    seqs = events(4, "test.decision", summary="Chose supplier A")
    runner.invoke(args=["audit", "checkpoint"])
    checkpoint = db.session.scalars(select(Checkpoint)).one()
    saved, public_key = save_public_copies(client, tmp_path)

    rewrite_history(seqs[1], "Chose supplier B")

    assert verify_chain().ok, "the rewrite must leave a chain that verifies on its own"
    result = runner.invoke(args=["audit", "verify", "--checkpoints", str(saved), "--public-key", str(public_key)])
    assert result.exit_code == 1
    assert f"CHECKPOINT FAILED: the checkpoint at event {checkpoint.seq}" in result.output
    assert "was rewritten" in result.output

    # The operator's own key (the default trust anchor) catches it the same way.
    with_own_key = runner.invoke(args=["audit", "verify", "--checkpoints", str(saved)])
    assert with_own_key.exit_code == 1
    assert f"the checkpoint at event {checkpoint.seq}" in with_own_key.output


def test_verify_with_checkpoints_rejects_a_copy_signed_by_another_key(db, client, runner, events, key_path,
                                                                      tmp_path):
    events(1)
    runner.invoke(args=["audit", "checkpoint"])
    saved, _ = save_public_copies(client, tmp_path)
    other = tmp_path / "someone-elses-key.pem"
    other.write_text(public_key_pem(Ed25519PrivateKey.generate().public_key()))
    result = runner.invoke(args=["audit", "verify", "--checkpoints", str(saved), "--public-key", str(other)])
    assert result.exit_code == 1
    assert "key you do not trust" in result.output


def test_verify_with_a_malformed_checkpoints_file_says_what_is_wrong(db, runner, events, key_path, tmp_path):
    events(1)
    broken = tmp_path / "checkpoints.json"
    broken.write_text('[{"seq": 1}]')
    result = runner.invoke(args=["audit", "verify", "--checkpoints", str(broken)])
    assert result.exit_code == 1
    assert "entry 1 (event 1) has no valid 'head_hash'" in result.output
    broken.write_text("[]")
    assert "holds no checkpoints" in runner.invoke(args=["audit", "verify", "--checkpoints", str(broken)]).output


# ---------------------------------------------------------------- the auditor's page


def test_verify_page_shows_that_the_chain_extends_the_latest_checkpoint(db, client, auth, runner, events,
                                                                        key_path, user_factory):
    auditor = user_factory("auditor")
    auth.sign_in(auditor)
    events(2)
    runner.invoke(args=["audit", "checkpoint"])
    checkpoint = db.session.scalars(select(Checkpoint)).one()

    html = client.get("/audit/verify").get_data(as_text=True)
    assert "Holds" in html
    assert f"The chain still leads to the latest checkpoint, event {checkpoint.seq}" in html
    assert checkpoint.head_hash in html
    assert checkpoint.key_fingerprint in html


def test_verify_page_shows_when_history_no_longer_reaches_the_latest_checkpoint(
        db, client, auth, runner, events, key_path, user_factory, rewrite_history):
    auditor = user_factory("auditor")
    auth.sign_in(auditor)
    seqs = events(3)
    runner.invoke(args=["audit", "checkpoint"])
    checkpoint = db.session.scalars(select(Checkpoint)).one()
    rewrite_history(seqs[0], "Something else happened")

    html = client.get("/audit/verify").get_data(as_text=True)
    assert "The chain no longer extends the latest checkpoint" in html
    assert f"event {checkpoint.seq} now has hash" in html
    assert "Holds" not in html


def test_verifying_on_the_page_records_the_latest_checkpoint_outcome(db, client, sign_in, runner, events, key_path,
                                                                     user_factory):
    sign_in(user_factory("auditor"))
    events(2)
    runner.invoke(args=["audit", "checkpoint"])
    response = submit(client, "/audit/verify", {})
    assert response.status_code == 200
    assert "The chain is intact" in response.get_data(as_text=True)
    recorded = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
    assert recorded.action == "audit.chain_verified"
    assert json.loads(recorded.payload)["checkpoints"] == {
        "checked": 1, "ok": True, "failures": 0, "first_failed_seq": None, "problem": None}


def test_public_key_option_alone_is_a_usage_error(db, runner, tmp_path):
    key = tmp_path / "public-key.pem"
    key.write_text(public_key_pem(Ed25519PrivateKey.generate().public_key()))
    result = runner.invoke(args=["audit", "verify", "--public-key", str(key)])
    assert result.exit_code == 2
    assert "give --checkpoints FILE too" in result.output
