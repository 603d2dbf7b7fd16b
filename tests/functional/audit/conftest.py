"""Fixtures for the audit pages, exports and commands."""
from __future__ import annotations

from pathlib import Path

import pytest
from flask import g
from sqlalchemy import select, text

from trail import record
from trail.chain import GENESIS_HASH, event_hash
from trail.models import AuditEvent
from trail.triggers import statements as audit_trigger_statements


@pytest.fixture
def key_path(app, tmp_path, monkeypatch) -> Path:
    """A signing key location private to the test, set the way a deployment sets it."""
    path = tmp_path / "keys" / "audit-signing-key.pem"
    monkeypatch.setitem(app.config, "AUDIT_SIGNING_KEY_PATH", str(path))
    monkeypatch.setitem(app.config, "AUDIT_PUBLIC_KEYRING_PATH", str(tmp_path / "keys" / "audit-public-keys.pem"))
    return path


@pytest.fixture
def events(db):
    """Append and commit `n` plain events with the given action; returns their seqs, oldest first."""

    def make(n: int, action: str = "test.event", summary: str | None = None) -> list[int]:
        made = [record(action, actor_label="test", summary=summary or f"{action} number {i}", payload={"i": i})
                for i in range(n)]
        seqs = [event.seq for event in made]
        db.session.commit()
        return seqs

    return make


@pytest.fixture
def rewrite_history(db):
    """What someone with write access to the database could do to hide an act.

    Drop the append-only triggers (inside the test's transaction, so they come
    back when it rolls back), change one event, then recompute its hash and
    every later prev_hash and hash so the chain on its own verifies again.
    """

    def rewrite(seq: int, summary: str) -> None:
        for statement in audit_trigger_statements(db.session.connection().dialect.name, "down"):
            db.session.execute(text(statement))
        previous = db.session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == seq - 1)) or GENESIS_HASH
        later = db.session.scalars(select(AuditEvent).where(AuditEvent.seq >= seq).order_by(AuditEvent.seq)).all()
        for event in later:
            if event.seq == seq:
                event.summary = summary
            event.prev_hash = previous
            event.hash = event_hash(event)
            previous = event.hash
            db.session.flush()  # row by row, so the unique hash columns never clash
        db.session.commit()

    return rewrite


@pytest.fixture
def sign_in(auth):
    """Sign in, then forget the CSRF token Flask-WTF cached in `g`.

    The `db` fixture keeps one app context (and so one `g`) for the whole test;
    sign-in clears the session, so the cached token no longer matches it and
    the next form post would fail its CSRF check. A browser would simply load
    a fresh page and get a fresh token.
    """

    def do(user):
        response = auth.sign_in(user)
        g.pop("csrf_token", None)
        return response

    return do
