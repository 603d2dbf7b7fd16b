"""Fixtures for the audit package's unit tests."""
from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from trail import record


@pytest.fixture
def key_path(app, tmp_path, monkeypatch) -> Path:
    """A signing key location private to the test, set the way a deployment sets it."""
    path = tmp_path / "keys" / "audit-signing-key.pem"
    monkeypatch.setitem(app.config, "AUDIT_SIGNING_KEY_PATH", str(path))
    return path


@pytest.fixture
def signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def events(db):
    """Append `n` plain events with the given action; returns them, oldest first."""

    def make(n: int, action: str = "test.event"):
        return [record(action, actor_label="test", summary=f"{action} number {i}", payload={"i": i})
                for i in range(n)]

    return make
