"""The tenders package's settings, read from the environment with development defaults.

Applied when the blueprint is registered (setdefault), so a deployment's own
config class or environment always wins.

RESPONSE_ENCRYPTION_KEY  Fernet key(s), comma-separated, first one encrypts, all decrypt (rotation).
                         Required in production. Unset in development: a key of its own, made once and
                         kept in instance/response-encryption-key (mode 0600) - never derived from
                         SECRET_KEY, so a leaked SECRET_KEY does not open sealed bids.
                         Generate one with: python -c "from cryptography.fernet import Fernet;
                         print(Fernet.generate_key().decode())"
TENDERS_ANSWER_CUTOFF_DAYS  Clarification answers later than this many days before the response
                         deadline are published with a warning (default 6).
TENDERS_MIN_RESPONSE_DAYS  A tender whose response window is shorter than this many days is published only
                         after a caution on the check-your-answers page (default 25: platform policy; PA23
                         s.54(3) sets the same for an above-threshold open procedure).
CONTACT_RESOLUTION_DAYS  A private contact about a live procurement still not disclosed or marked not
                         material after this many days is flagged overdue (default 5).
"""
from __future__ import annotations

import os

from cryptography.fernet import Fernet
from flask import Flask

from core.secret_files import instance_secret

RESPONSE_KEY_FILE = "response-encryption-key"


def init_tenders_config(app: Flask) -> None:
    """Fill in the defaults, and fail at start-up (not at the first bid) on a missing or malformed key."""
    if not app.config.get("RESPONSE_ENCRYPTION_KEY"):
        if not app.config.get("INSTANCE_SECRETS"):
            raise RuntimeError("RESPONSE_ENCRYPTION_KEY must be set: sealed responses need a key of their own")
        app.config["RESPONSE_ENCRYPTION_KEY"] = instance_secret(app, RESPONSE_KEY_FILE, Fernet.generate_key,
                                                                "sealed-response key")
    keys = [k.strip() for k in app.config["RESPONSE_ENCRYPTION_KEY"].split(",") if k.strip()]
    for key in keys:
        try:
            Fernet(key)
        except ValueError as exc:
            raise RuntimeError("RESPONSE_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64-encoded bytes), "
                               "comma-separated") from exc
    if not keys:
        raise RuntimeError("RESPONSE_ENCRYPTION_KEY must name at least one Fernet key")
    app.config.setdefault("TENDERS_ANSWER_CUTOFF_DAYS", int(os.environ.get("TENDERS_ANSWER_CUTOFF_DAYS", 6)))
    app.config.setdefault("TENDERS_PER_PAGE", int(os.environ.get("TENDERS_PER_PAGE", 20)))
    app.config.setdefault("TENDERS_MIN_RESPONSE_DAYS", int(os.environ.get("TENDERS_MIN_RESPONSE_DAYS", 25)))
    app.config.setdefault("CONTACT_RESOLUTION_DAYS", int(os.environ.get("CONTACT_RESOLUTION_DAYS", 5)))
