"""Outside copies of checkpoints: the Atom feed, checking a saved feed, emails to auditors, and key rotation."""
from __future__ import annotations

import base64
import json
import re

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from lxml import etree
from sqlalchemy import select

from core.models import OutboxMessage
from oversight.subscriptions import set_checkpoint_emails
from tests.conftest import submit
from trail.chain import key_rotation_message
from trail.checkpoints import load_public_keys_pem, load_signing_key, public_key_b64
from trail.models import AuditEvent, Checkpoint, CheckpointSubscription

ATOM = "{http://www.w3.org/2005/Atom}"


def _checkpoint_entries(body: bytes) -> list:
    root = etree.fromstring(body)
    return [entry for entry in root.iterfind(f"{ATOM}entry")
            if "checkpoint" in {c.get("term") for c in entry.iterfind(f"{ATOM}category")}]


def _save(client, tmp_path, url: str, name: str):
    response = client.get(url)
    assert response.status_code == 200
    path = tmp_path / name
    path.write_bytes(response.data)
    return path


def _verify(runner, saved, *keys):
    args = ["audit", "verify", "--checkpoints", str(saved)]
    for key in keys:
        args += ["--public-key", str(key)]
    return runner.invoke(args=args)


# ---------------------------------------------------------------- the feed


def test_the_checkpoints_feed_carries_each_checkpoint_with_its_signature(db, client, runner, events, key_path):
    events(2)
    for _ in range(2):
        assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
        events(1)
    response = client.get("/audit/checkpoints.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    entries = _checkpoint_entries(response.data)
    saved = db.session.scalars(select(Checkpoint).order_by(Checkpoint.seq.desc())).all()
    assert len(entries) == len(saved) == 2
    for entry, checkpoint in zip(entries, saved):  # newest first
        content = entry.findtext(f"{ATOM}content")
        assert f"Head hash: {checkpoint.head_hash}" in content
        assert f"Signature (base64): {checkpoint.signature}" in content
        assert f"Public key (base64): {checkpoint.public_key}" in content


def test_the_feed_of_checkpoints_is_announced_on_the_audit_pages(db, client, sign_in, user_factory):
    sign_in(user_factory("auditor"))
    for page in ("/audit/verify", "/audit/"):
        html = client.get(page).get_data(as_text=True)
        assert re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="/audit/checkpoints.atom"',
                         html), page


# ---------------------------------------------------------------- verifying from a saved feed


def test_verify_accepts_a_saved_checkpoints_feed_or_public_trail_feed(db, client, runner, events, key_path, tmp_path):
    events(3)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    events(1)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    keys = _save(client, tmp_path, "/audit/public-keys.pem", "public-keys.pem")
    for url, name in (("/audit/checkpoints.atom", "checkpoints.atom"), ("/audit/feed.atom", "feed.atom")):
        result = _verify(runner, _save(client, tmp_path, url, name), keys)
        assert result.exit_code == 0, result.output
        assert "OK: the chain extends all 2 saved checkpoints" in result.output


def test_a_saved_feed_catches_rewritten_history(db, client, runner, events, key_path, tmp_path, rewrite_history):
    seqs = events(3, "test.decision", summary="Chose supplier A")
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    feed = _save(client, tmp_path, "/audit/checkpoints.atom", "checkpoints.atom")
    keys = _save(client, tmp_path, "/audit/public-keys.pem", "public-keys.pem")
    rewrite_history(seqs[1], "Chose supplier B")
    result = _verify(runner, feed, keys)
    assert result.exit_code == 1
    assert "CHECKPOINT FAILED" in result.output and "was rewritten" in result.output


def test_a_tampered_saved_feed_fails(db, client, runner, events, key_path, tmp_path):
    events(2)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    checkpoint = db.session.scalars(select(Checkpoint)).one()
    feed = _save(client, tmp_path, "/audit/checkpoints.atom", "checkpoints.atom")
    keys = _save(client, tmp_path, "/audit/public-keys.pem", "public-keys.pem")
    original = feed.read_text(encoding="utf-8")

    # A forged head hash: the signature no longer covers it.
    feed.write_text(original.replace(f"Head hash: {checkpoint.head_hash}", f"Head hash: {'0' * 64}"),
                    encoding="utf-8")
    result = _verify(runner, feed, keys)
    assert result.exit_code == 1 and "its signature does not verify" in result.output

    # A checkpoint line removed: the entry cannot be read, and nothing is proved.
    feed.write_text(re.sub(r"Signature \(base64\): \S+\n", "", original), encoding="utf-8")
    result = _verify(runner, feed, keys)
    assert result.exit_code == 1 and "without its 'Signature (base64)' line" in result.output

    # Not a feed at all.
    feed.write_text("<html><body>Not a feed</body></html>", encoding="utf-8")
    result = _verify(runner, feed, keys)
    assert result.exit_code == 1 and "not an Atom feed" in result.output


def test_a_saved_feed_with_an_entity_bomb_is_refused_without_expanding_it(db, runner, key_path, tmp_path):
    feed = tmp_path / "evil.atom"
    feed.write_text('<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                    '<feed xmlns="http://www.w3.org/2005/Atom"><entry><category term="checkpoint"/>'
                    '<content>&x;</content></entry></feed>', encoding="utf-8")
    result = _verify(runner, feed)
    assert result.exit_code == 1 and "root:" not in result.output


# ---------------------------------------------------------------- emails to auditors


def _outbox_to(db, email: str) -> list[OutboxMessage]:
    """The checkpoint emails queued for `email` (registering queued a confirmation email too)."""
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == email, OutboxMessage.subject.startswith("Audit checkpoint"))))


def test_a_subscribed_auditor_is_emailed_each_new_checkpoint_and_can_stop(db, runner, events, key_path,
                                                                           user_factory):
    auditor, other = user_factory("auditor"), user_factory("auditor")
    set_checkpoint_emails(auditor, True)
    db.session.commit()
    changed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "audit.checkpoint_emails_changed")).one()
    assert changed.actor_user_id == auditor.id and json.loads(changed.payload) == {"subscribed": True}

    events(1)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    checkpoint = db.session.scalars(select(Checkpoint)).one()
    [mail] = _outbox_to(db, auditor.email)
    assert f"event {checkpoint.seq}" in mail.subject
    assert checkpoint.head_hash in mail.body and checkpoint.signature in mail.body
    assert _outbox_to(db, other.email) == []

    set_checkpoint_emails(auditor, False)
    events(1)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    assert len(_outbox_to(db, auditor.email)) == 1
    assert db.session.get(CheckpointSubscription, auditor.id) is None


def test_the_emailed_checkpoint_can_be_saved_and_verified(db, client, runner, events, key_path, user_factory,
                                                          tmp_path):
    auditor = user_factory("auditor")
    set_checkpoint_emails(auditor, True)
    events(2)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    [mail] = _outbox_to(db, auditor.email)
    saved = tmp_path / "from-email.json"
    saved.write_text(re.search(r"^\[\n.*?^\]$", mail.body, re.DOTALL | re.MULTILINE).group(0), encoding="utf-8")
    keys = _save(client, tmp_path, "/audit/public-keys.pem", "public-keys.pem")
    result = _verify(runner, saved, keys)
    assert result.exit_code == 0, result.output


def test_only_auditors_may_subscribe_and_a_refusal_is_audited(db, user_factory):
    import pytest

    from core.errors import NotPermitted

    commissioner = user_factory("commissioner")
    with pytest.raises(NotPermitted):
        set_checkpoint_emails(commissioner, True)
    refusal = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
    assert refusal.action == "security.refused" and refusal.actor_user_id == commissioner.id
    assert db.session.get(CheckpointSubscription, commissioner.id) is None


def test_an_auditor_turns_the_emails_on_and_off_on_the_verify_page(db, client, sign_in, user_factory):
    auditor = user_factory("auditor")
    sign_in(auditor)
    html = client.get("/audit/verify").get_data(as_text=True)
    assert "Email me each new checkpoint" in html
    response = submit(client, "/audit/checkpoints/emails", {"subscribe": "1"}, form_url="/audit/verify")
    assert response.status_code == 303
    assert db.session.get(CheckpointSubscription, auditor.id) is not None
    html = client.get("/audit/verify").get_data(as_text=True)
    assert "Stop emailing me checkpoints" in html and "Each new checkpoint will be emailed to you." in html
    submit(client, "/audit/checkpoints/emails", {"subscribe": "0"}, form_url="/audit/verify")
    assert db.session.get(CheckpointSubscription, auditor.id) is None


def test_a_checkpoint_is_not_emailed_to_someone_no_longer_an_auditor(db, runner, events, key_path, user_factory):
    auditor = user_factory("auditor")
    set_checkpoint_emails(auditor, True)
    auditor.email_confirmed_at = None  # no longer acts in the role
    db.session.flush()
    events(1)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    assert _outbox_to(db, auditor.email) == []


# ---------------------------------------------------------------- key rotation


def test_after_a_rotation_old_and_new_checkpoints_both_verify(db, client, runner, events, key_path, app, tmp_path):
    events(2)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    old_public = load_signing_key(key_path).public_key()

    result = runner.invoke(args=["audit", "rotate-key"])
    assert result.exit_code == 0, result.output
    new_public = load_signing_key(key_path).public_key()
    assert public_key_b64(new_public) != public_key_b64(old_public)
    keyring = load_public_keys_pem((key_path.parent / "audit-public-keys.pem").read_bytes())
    assert [public_key_b64(key) for key in keyring] == [public_key_b64(old_public)]
    assert not list(key_path.parent.glob(".*.new"))

    events(1)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    signers = [row.public_key for row in db.session.scalars(select(Checkpoint).order_by(Checkpoint.seq))]
    assert signers == [public_key_b64(old_public), public_key_b64(new_public), public_key_b64(new_public)]

    # The operator's own check: the current key plus the keyring.
    saved = _save(client, tmp_path, "/audit/checkpoints.json", "checkpoints.json")
    result = _verify(runner, saved)
    assert result.exit_code == 0, result.output
    assert "OK: the chain extends all 3 saved checkpoints" in result.output
    # An outsider's check: every published key.
    published = load_public_keys_pem(client.get("/audit/public-keys.pem").data)
    assert {public_key_b64(key) for key in published} == {public_key_b64(old_public), public_key_b64(new_public)}
    assert _verify(runner, saved, _save(client, tmp_path, "/audit/public-keys.pem", "keys.pem")).exit_code == 0


def test_the_rotation_is_on_the_record_endorsed_by_the_old_key(db, runner, events, key_path):
    events(1)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    old_public = load_signing_key(key_path).public_key()
    assert runner.invoke(args=["audit", "rotate-key"]).exit_code == 0
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "audit.signing_key_rotated")).one()
    payload = json.loads(event.payload)
    assert event.audience == "public" and payload["old_public_key"] == public_key_b64(old_public)
    assert payload["new_public_key"] == public_key_b64(load_signing_key(key_path).public_key())
    Ed25519PublicKey.from_public_bytes(base64.b64decode(payload["old_public_key"])).verify(
        base64.b64decode(payload["endorsement"]),
        key_rotation_message(payload["old_public_key"], payload["new_public_key"]))  # raises if forged
    # The checkpoint signed right after covers the rotation event.
    latest = db.session.scalars(select(Checkpoint).order_by(Checkpoint.seq.desc()).limit(1)).one()
    assert latest.seq >= event.seq and latest.public_key == payload["new_public_key"]


def test_without_the_keyring_checkpoints_of_a_retired_key_do_not_verify(db, client, runner, events, key_path,
                                                                        tmp_path):
    events(1)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    assert runner.invoke(args=["audit", "rotate-key"]).exit_code == 0
    saved = _save(client, tmp_path, "/audit/checkpoints.json", "checkpoints.json")
    (key_path.parent / "audit-public-keys.pem").unlink()
    result = _verify(runner, saved)
    assert result.exit_code == 1 and "signed with a key you do not trust" in result.output


def test_rotating_with_no_key_yet_says_so(db, runner, key_path):
    result = runner.invoke(args=["audit", "rotate-key"])
    assert result.exit_code == 1 and "There is no key to rotate" in result.output
