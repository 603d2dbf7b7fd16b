"""The tenders package's settings, read from the environment with development defaults.

Applied when the blueprint is registered (setdefault), so a deployment's own
config class or environment always wins.

RESPONSE_ENCRYPTION_KEY  Fernet key(s), comma-separated, first one encrypts. Unset: a key derived
                         from SECRET_KEY (tenders.crypto.derive_key) - fine for development, but set a
                         separate key in production so a leaked SECRET_KEY does not open sealed bids.
                         Generate one with: python -c "from cryptography.fernet import Fernet;
                         print(Fernet.generate_key().decode())"
TENDERS_ANSWER_CUTOFF_DAYS  Clarification answers later than this many days before the response
                         deadline are published with a warning (default 6).
CONTACT_RESOLUTION_DAYS  A private contact about a live procurement still not disclosed or marked not
                         material after this many days is flagged overdue (default 5).
"""
from __future__ import annotations

import os

from cryptography.fernet import Fernet
from flask import Flask


def init_tenders_config(app: Flask) -> None:
    """Fill in the defaults, and fail at start-up (not at the first bid) on a malformed key."""
    app.config.setdefault("RESPONSE_ENCRYPTION_KEY", os.environ.get("RESPONSE_ENCRYPTION_KEY") or None)
    configured = app.config["RESPONSE_ENCRYPTION_KEY"]
    if configured:
        for key in (k.strip() for k in configured.split(",") if k.strip()):
            try:
                Fernet(key)
            except ValueError as exc:
                raise RuntimeError("RESPONSE_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64-encoded bytes), "
                                   "comma-separated") from exc
    elif os.environ.get("APP_ENV") == "production":
        app.logger.warning("RESPONSE_ENCRYPTION_KEY is not set: sealed responses use a key derived from SECRET_KEY")
    app.config.setdefault("TENDERS_ANSWER_CUTOFF_DAYS", int(os.environ.get("TENDERS_ANSWER_CUTOFF_DAYS", 6)))
    app.config.setdefault("TENDERS_PER_PAGE", int(os.environ.get("TENDERS_PER_PAGE", 20)))
    app.config.setdefault("CONTACT_RESOLUTION_DAYS", int(os.environ.get("CONTACT_RESOLUTION_DAYS", 5)))
