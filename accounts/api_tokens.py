"""Bearer tokens on the JSON API: who is asking, and the per-token rate limit.

Identity comes only from `Authorization: Bearer <token>`: the API ignores the
browser session, so a page of another site cannot read drafts with a signed-in
visitor's cookie. The raw token is kept only in `g` for the request; it is
never logged, echoed in an error or written to the audit trail (refusals name
the token by id). A token in the query string is refused before anything else.
The app factory installs this on the API blueprint (core.api.make_blueprint).
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, g, request
from flask_limiter.util import get_remote_address
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import BadRequest, Unauthorized

from accounts import services as accounts_services
from accounts.services import API_TOKEN_PREFIX, find_api_token, well_formed_api_token
from core.api import api_rate_limit
from core.api_request import record_api_refusal
from core.clock import utcnow
from core.extensions import db, limiter
from core.transactions import call_service

# Query parameter names that can only mean someone put a token in the address.
QUERY_TOKEN_NAMES = frozenset({"token", "access_token", "api_token", "apitoken", "api_key", "apikey", "key",
                               "bearer", "auth", "authorization"})


# ---------------------------------------------------------------- tokens


def _presented() -> tuple[str, str | None]:
    """("none" | "malformed" | "bearer", raw token or None), read once per request."""
    if "api_presented" not in g:
        header = request.headers.get("Authorization")
        if header is None:
            g.api_presented = ("none", None)
        else:
            scheme, _, value = header.strip().partition(" ")
            value = value.strip()
            if scheme.lower() == "bearer" and well_formed_api_token(value):
                g.api_presented = ("bearer", value)
            else:
                g.api_presented = ("malformed", None)
    return g.api_presented


def _token_row() -> Any:
    """The stored token the request presents (read-only, once per request), or None."""
    if "api_token_row" not in g:
        kind, raw = _presented()
        g.api_token_row = find_api_token(raw) if kind == "bearer" and raw else None
    return g.api_token_row


def rate_limit_key() -> str:
    """One bucket per known token; everyone else (no token, or a bad one) by address."""
    token = _token_row()
    if token is not None:
        return f"api-token:{token.id}"
    return f"api-address:{get_remote_address()}"


def _refuse_tokens_in_query() -> None:
    for name, value in request.args.items(multi=True):
        if name.lower() in QUERY_TOKEN_NAMES or API_TOKEN_PREFIX in name or API_TOKEN_PREFIX in value:
            record_api_refusal("api_token.query_string", "token sent in the query string")
            raise BadRequest("Send an API token only in the Authorization header (Authorization: Bearer ...), "
                             "never in the address, where it gets logged. If you sent a real token, revoke it "
                             "on your account page and make a new one.")


def authenticate() -> None:
    """Set g.api_user from the bearer token, or refuse with a 401 (the refusal is audited)."""
    g.api_user = None
    _refuse_tokens_in_query()
    kind, raw = _presented()
    if kind == "none":
        return
    now = utcnow()
    token = _token_row()
    if kind == "bearer" and token is not None and not accounts_services.api_token_needs_write(token, now):
        g.api_user = token.user
        return
    # A refusal to audit, or last_used_at to refresh: end the read snapshot and write (SQLite: BEGIN IMMEDIATE).
    g.write_intent = True
    db.session.commit()
    try:
        user = call_service(accounts_services.use_api_token, raw or "", now=now, ip=request.remote_addr)
    except accounts_services.TokenRefused as exc:
        raise Unauthorized(str(exc), www_authenticate=WWWAuthenticate(
            "bearer", {"realm": "Commissioning Commons API", "error": "invalid_token"})) from None
    g.api_user = user



def install(bp: Blueprint) -> None:
    """Bearer authentication and the per-token rate limit on every route of `bp`."""
    bp.before_request(authenticate)
    limiter.limit(api_rate_limit, key_func=rate_limit_key)(bp)
