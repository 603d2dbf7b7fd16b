"""Encryption at rest for sealed responses.

Fernet (AES-128-CBC with HMAC-SHA256) from `cryptography`. The keys are
RESPONSE_ENCRYPTION_KEY, comma-separated for rotation: the first encrypts,
all decrypt. In development the key is made once and kept in the instance
folder (tenders.config). It is never derived from SECRET_KEY: a leaked session
key must not open sealed bids, and a database dump alone reveals nothing.
"""
from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

__all__ = ["InvalidToken", "decrypt", "encrypt", "legacy_derived_key"]


def legacy_derived_key(secret_key: str) -> str:
    """The key earlier versions derived from SECRET_KEY when RESPONSE_ENCRYPTION_KEY was unset.

    Never used on its own any more. An installation that sealed responses that
    way lists this key after its new one in RESPONSE_ENCRYPTION_KEY, so they
    still open while new ones use the new key (see the README).
    """
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"commons-tender-responses",
               info=b"response-encryption").derive(secret_key.encode())
    return base64.urlsafe_b64encode(raw).decode()


def _fernet() -> MultiFernet:
    """The configured keys; tenders.config has already refused to start without a valid one."""
    configured = current_app.config["RESPONSE_ENCRYPTION_KEY"]
    return MultiFernet([Fernet(k.strip()) for k in configured.split(",") if k.strip()])


def encrypt(plaintext: bytes) -> bytes:
    return _fernet().encrypt(plaintext)


def decrypt(token: bytes) -> bytes:
    return _fernet().decrypt(token)
