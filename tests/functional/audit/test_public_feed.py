"""The public Atom feed of the audit trail: public events and every signed checkpoint, for outsiders to archive."""
from __future__ import annotations

import base64
import json
import re
import xml.etree.ElementTree as ET

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select

from trail import record
from trail.models import Checkpoint

ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(client) -> ET.Element:
    response = client.get("/audit/feed.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{ATOM}feed"
    return root


def _entries(root: ET.Element) -> list[dict]:
    found = []
    for entry in root.findall(f"{ATOM}entry"):
        found.append({
            "id": entry.findtext(f"{ATOM}id"),
            "title": entry.findtext(f"{ATOM}title"),
            "content": entry.findtext(f"{ATOM}content") or "",
            "links": {(link.get("rel"), link.get("href")) for link in entry.findall(f"{ATOM}link")},
            "categories": {category.get("term") for category in entry.findall(f"{ATOM}category")},
        })
    return found


def _line(content: str, label: str) -> str:
    match = re.search(rf"^{re.escape(label)}: (\S+)$", content, re.MULTILINE)
    assert match, f"no {label!r} line in {content!r}"
    return match.group(1)


def test_anyone_can_read_the_feed_and_it_announces_each_signed_checkpoint(db, client, runner, events, key_path):
    events(2)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    events(1)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    signed = db.session.scalars(select(Checkpoint).order_by(Checkpoint.seq)).all()

    root = _feed(client)  # nobody signed in
    assert root.findtext(f"{ATOM}title").startswith("Commissioning Commons: public audit trail")
    checkpoints = [entry for entry in _entries(root) if "checkpoint" in entry["categories"]]
    assert [entry["title"] for entry in checkpoints] == [f"Signed checkpoint at event {c.seq}"
                                                         for c in reversed(signed)]
    for entry, checkpoint in zip(checkpoints, reversed(signed)):
        content = entry["content"]
        assert _line(content, "Sequence") == str(checkpoint.seq)
        assert _line(content, "Head hash") == checkpoint.head_hash
        assert _line(content, "Signature (base64)") == checkpoint.signature
        assert _line(content, "Public key (base64)") == checkpoint.public_key
        assert _line(content, "Key fingerprint (SHA-256)") == checkpoint.key_fingerprint
        assert entry["links"] == {(None, "http://localhost/audit/checkpoints.json")}  # no rel: alternate
        assert _line(content, "All checkpoints") == "http://localhost/audit/checkpoints.json"
        assert _line(content, "Public key (PEM)") == "http://localhost/audit/public-key.pem"


def test_a_checkpoint_taken_from_the_feed_verifies_with_its_key(db, client, runner, events, key_path):
    events(1)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    entry = next(e for e in _entries(_feed(client)) if "checkpoint" in e["categories"])
    content = entry["content"]
    message = json.dumps({"context": "commissioning-commons/audit-checkpoint/v1",
                          "seq": int(_line(content, "Sequence")), "head_hash": _line(content, "Head hash"),
                          "created_at": _line(content, "Signed at")}, sort_keys=True, separators=(",", ":"))
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(_line(content, "Public key (base64)")))
    key.verify(base64.b64decode(_line(content, "Signature (base64)")), message.encode())  # raises if altered


def test_only_public_events_appear_and_never_their_payloads(db, client, events):
    notice = record("tender.published", actor_label="test", audience="public",
                    summary="Tender notice published for CC-TEST-1", payload={"secret_note": "for auditors"})
    hidden = record("auth.sign_in_failed", actor_label="test", summary="Failed sign-in for someone",
                    payload={"email": "someone@example.org"})
    db.session.commit()
    body = client.get("/audit/feed.atom").get_data(as_text=True)
    entries = _entries(ET.fromstring(body))
    published = next(entry for entry in entries if entry["title"] == notice.summary)
    assert "tender.published" in published["categories"]
    assert notice.hash in published["content"] and f"Audit event {notice.seq}" in published["content"]
    assert hidden.summary not in body and "someone@example.org" not in body
    assert "for auditors" not in body


def test_a_busy_trail_does_not_push_checkpoints_out_of_the_feed(db, client, runner, events, key_path):
    events(1)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    for i in range(60):
        record("forum.post_created", actor_label="test", audience="public", summary=f"Reply number {i}")
    db.session.commit()
    entries = _entries(_feed(client))
    assert any("checkpoint" in entry["categories"] for entry in entries)
    assert any(entry["title"] == "Reply number 59" for entry in entries)


def test_an_empty_trail_still_gives_a_valid_feed(db, client):
    root = _feed(client)
    assert root.findtext(f"{ATOM}id") == "http://localhost/audit/feed.atom"
    assert root.findtext(f"{ATOM}updated")


def test_audit_pages_advertise_the_feed(db, client, auth, user_factory):
    auth.sign_in(user_factory("auditor"))
    advert = '<link rel="alternate" type="application/atom+xml" title="Public audit trail and signed checkpoints" ' \
             'href="/audit/feed.atom">'
    assert advert in client.get("/audit/verify").get_data(as_text=True)
    assert advert in client.get("/audit/").get_data(as_text=True)
