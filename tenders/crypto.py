"""Encryption at rest for sealed responses.

Fernet (AES-128-CBC with HMAC-SHA256) from `cryptography`. The key comes from
RESPONSE_ENCRYPTION_KEY (comma-separated for rotation: the first encrypts,
all decrypt). Without it, a development key is derived from SECRET_KEY with
HKDF, so a database dump alone still reveals nothing.
"""
from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

__all__ = ["InvalidToken", "decrypt", "encrypt", "derive_key"]


def derive_key(secret_key: str) -> str:
    """A Fernet key derived from the app's SECRET_KEY (development default only)."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"commons-tender-responses",
               info=b"response-encryption").derive(secret_key.encode())
    return base64.urlsafe_b64encode(raw).decode()


def _fernet() -> MultiFernet:
    configured = current_app.config.get("RESPONSE_ENCRYPTION_KEY")
    keys = [k.strip() for k in configured.split(",") if k.strip()] if configured else []
    if not keys:
        keys = [derive_key(current_app.config["SECRET_KEY"])]
    return MultiFernet([Fernet(k) for k in keys])


def encrypt(plaintext: bytes) -> bytes:
    return _fernet().encrypt(plaintext)


def decrypt(token: bytes) -> bytes:
    return _fernet().decrypt(token)
