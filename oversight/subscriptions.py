"""Checkpoints by email: auditors who ask get each new checkpoint in their own mailbox.

Someone who can read the signing key could rewrite history and re-sign it;
only copies of the checkpoints kept outside the operator's reach show that.
An email to an auditor is such a copy, made without anyone remembering to
download anything. The email is queued in the outbox in the transaction that
signs the checkpoint, so it exists exactly when the checkpoint does.
"""
from __future__ import annotations

import json

from sqlalchemy import select

from accounts.models import User
from core.clock import utcnow
from core.errors import NotPermitted
from core.extensions import db
from core.urls import external_url
from oversight import policy
from trail.checkpoints import checkpoint_signed, published
from trail.events import Actor, record, record_refusal
from trail.models import Checkpoint, CheckpointSubscription


def is_subscribed(user: Actor) -> bool:
    return db.session.get(CheckpointSubscription, user.id) is not None


def set_checkpoint_emails(actor: Actor, subscribe: bool) -> bool:
    """Turn the emails on or off for `actor`; returns whether they are now on.

    Only auditors may subscribe (a refusal is audited). A change is recorded
    on the trail; asking for what is already so changes and records nothing.
    """
    actor = getattr(actor, "_get_current_object", lambda: actor)()
    if not policy.can_receive_checkpoint_emails(actor):
        record_refusal(actor, "audit.checkpoint_emails", "only an auditor may be emailed checkpoints")
        raise NotPermitted("Only an auditor may be emailed checkpoints.")
    current = db.session.get(CheckpointSubscription, actor.id)
    if subscribe == (current is not None):
        return subscribe
    if subscribe:
        db.session.add(CheckpointSubscription(user_id=actor.id, subscribed_at=utcnow()))
    else:
        db.session.delete(current)
    db.session.flush()
    record(
        "audit.checkpoint_emails_changed",
        actor=actor,
        subject=("user", actor.id),
        summary=f"{'Subscribed to' if subscribe else 'Unsubscribed from'} an email of each new checkpoint",
        payload={"subscribed": subscribe},
    )
    return subscribe


def _email_body(entry: dict) -> str:
    return "\n".join([
        f"A new checkpoint of the audit trail was signed: the chain's head was event {entry['seq']} "
        f"with hash {entry['head_hash']} at {entry['created_at']}.",
        "",
        "Keep this email. It is a copy of the signed head that whoever runs the platform cannot change. "
        "To prove later that history up to this event was not rewritten, save the JSON below in a file and run, "
        "against the database:",
        "    flask --app wsgi audit verify --checkpoints FILE --public-key public-keys.pem",
        f"with the public keys saved from {external_url('audit.public_keys')}.",
        "",
        json.dumps([entry], indent=2),
        "",
        f"Key fingerprint (SHA-256): {entry['key_fingerprint']}",
        f"All checkpoints: {external_url('audit.checkpoints_json')}",
        f"Stop these emails: {external_url('audit.verify')}#checkpoint-emails",
    ])


def email_checkpoint(checkpoint: Checkpoint) -> int:
    """Queue the checkpoint to every subscriber who is an auditor now; returns how many were queued.

    Someone who subscribed and has since lost the auditor role gets nothing.
    """
    from trail.outbox import queue_email

    entry = published(checkpoint)
    subscribers = db.session.scalars(
        select(User).join(CheckpointSubscription, CheckpointSubscription.user_id == User.id).order_by(User.id))
    sent = 0
    for user in subscribers:
        if policy.can_receive_checkpoint_emails(user):
            queue_email(user.email, f"Audit checkpoint signed at event {checkpoint.seq}", _email_body(entry))
            sent += 1
    return sent


def _email_on_signing(checkpoint: Checkpoint, **_: object) -> None:
    email_checkpoint(checkpoint)


def connect_signals() -> None:
    """Email each newly signed checkpoint to its subscribers, in the signing transaction (called by the app factory)."""
    checkpoint_signed.connect(_email_on_signing)
