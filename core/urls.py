"""Absolute links for emails.

Built from PUBLIC_BASE_URL, never from the request's Host header, so a forged
Host cannot turn a password-reset email into a link to someone else's site.
"""
from __future__ import annotations

from typing import Any

from flask import current_app


def external_url(endpoint: str, **values: Any) -> str:
    adapter = current_app.url_map.bind("localhost")
    path = adapter.build(endpoint, values)
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path
