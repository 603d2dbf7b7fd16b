"""Request plumbing of the JSON API under /api/v1: errors, bearer tokens, rate limits, query parsing, cursors.

The clients are programs, so every answer under /api/v1 is JSON, errors
included (`{"error": {"status", "title", "message"}}`), even for requests
that match no route or use the wrong method, and never a stack trace.

Identity comes only from `Authorization: Bearer <token>`: the API ignores the
browser session, so a page of another site cannot read drafts with a signed-in
visitor's cookie. The raw token is kept only in `g` for the request; it is
never logged, echoed in an error or written to the audit trail (refusals name
the token by id). A token in the query string is refused before anything else.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from flask import Blueprint, Response, current_app, g, request
from flask_limiter.util import get_remote_address
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import Select
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import BadRequest, Forbidden, HTTPException, Unauthorized
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.routing import RequestRedirect

from core.database import MAX_ID
from core.extensions import db, limiter
from core.openapi import Param, build_spec, operation, schema
from core.transactions import call_service
from core.urls import external_url

API_PREFIX = "/api/v1"
DEFAULT_API_RATE_LIMIT = "300 per minute"
# Query parameter names that can only mean someone put a token in the address.
QUERY_TOKEN_NAMES = frozenset({"token", "access_token", "api_token", "apitoken", "api_key", "apikey", "key",
                               "bearer", "auth", "authorization"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")

CURSOR = Param("cursor", "Opaque position in the list: use the `next` link of the previous page. "
                         "Leave it out for the first page.", max_length=400)
LIMIT = Param("limit", "Items per page, 1 to 100.", type="integer", minimum=1, maximum=100, default=20)
PAGE_PARAMS = (CURSOR, LIMIT)


# ---------------------------------------------------------------- responses


def iso(moment: datetime | date | None) -> str | None:
    """Naive UTC datetimes as ISO 8601 with Z; dates as YYYY-MM-DD."""
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return moment.isoformat() + "Z"
    return moment.isoformat()


def json_response(body: Any, status: int = 200, headers: Iterable[tuple[str, str]] = ()) -> Response:
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data: other sites' scripts may read it
    if g.get("api_user") is not None:
        response.headers["Cache-Control"] = "private, no-store"  # may hold drafts: never in a shared cache
    for name, value in headers:
        response.headers[name] = value
    return response


def error_response(status: int, message: str, *, title: str | None = None,
                   headers: Iterable[tuple[str, str]] = ()) -> Response:
    title = title or HTTP_STATUS_CODES.get(status, "Error")
    return json_response({"error": {"status": status, "title": title, "message": message, "detail": message}},
                         status, headers)


def http_error_response(error: HTTPException) -> Response:
    """An HTTP error as JSON, keeping its headers (Allow on a 405, WWW-Authenticate on a 401)."""
    status = error.code or 500
    if status >= 500:
        db.session.rollback()
        return unexpected_error_response()
    if status == 429:
        _audit_refusal("api.rate_limit", str(error.description))
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    return error_response(status, str(error.description), title=error.name, headers=headers)


def unexpected_error_response() -> Response:
    db.session.rollback()
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return error_response(500, "Sorry, there is a problem with the service. Try again later.")


def _audit_refusal(attempted: str, reason: str) -> None:
    from core.guards import record_refusal_now

    record_refusal_now(g.get("api_user"), attempted, reason, actor_label=f"anonymous ({request.remote_addr})",
                       detail={"path": request.path})


# ---------------------------------------------------------------- tokens


def _presented() -> tuple[str, str | None]:
    """("none" | "malformed" | "bearer", raw token or None), read once per request."""
    if "api_presented" not in g:
        from accounts.services import well_formed_api_token

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
        from accounts.services import find_api_token

        kind, raw = _presented()
        g.api_token_row = find_api_token(raw) if kind == "bearer" and raw else None
    return g.api_token_row


def rate_limit_key() -> str:
    """One bucket per known token; everyone else (no token, or a bad one) by address."""
    token = _token_row()
    if token is not None:
        return f"api-token:{token.id}"
    return f"api-address:{get_remote_address()}"


def api_rate_limit() -> str:
    return current_app.config.get("API_RATE_LIMIT", DEFAULT_API_RATE_LIMIT)


def _refuse_tokens_in_query() -> None:
    from accounts.services import API_TOKEN_PREFIX

    for name, value in request.args.items(multi=True):
        if name.lower() in QUERY_TOKEN_NAMES or API_TOKEN_PREFIX in name or API_TOKEN_PREFIX in value:
            _audit_refusal("api_token.query_string", "token sent in the query string")
            raise BadRequest("Send an API token only in the Authorization header (Authorization: Bearer ...), "
                             "never in the address, where it gets logged. If you sent a real token, revoke it "
                             "on your account page and make a new one.")


def authenticate() -> None:
    """Set g.api_user from the bearer token, or refuse with a 401 (the refusal is audited)."""
    from accounts import services as accounts_services
    from audit.services import utcnow

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


def api_user() -> Any:
    """The holder of the request's valid token, or None (anonymous)."""
    return g.get("api_user")


def require_token_holder(allowed: Callable[[Any], bool], attempted: str) -> None:
    """For operations that are not public: no token is a 401, a holder the predicate refuses a 403 (audited)."""
    from core.guards import record_refusal_now

    user = api_user()
    if user is None:
        raise Unauthorized("This endpoint needs a personal API token: Authorization: Bearer <token>.",
                           www_authenticate=WWWAuthenticate("bearer", {"realm": "Commissioning Commons API"}))
    if not allowed(user):
        record_refusal_now(user, f"api.{attempted}", "not permitted for this role", detail={"path": request.path})
        raise Forbidden("The holder of this token may not read this.")


# ---------------------------------------------------------------- query parameters


def parse_query(params: tuple[Param, ...]) -> dict[str, Any]:
    """The documented parameters, checked; anything else, or anything malformed, is a 400.

    Error messages name the parameter, never repeat its value.
    """
    known = {p.name: p for p in params}
    unknown = sorted(set(request.args) - set(known))
    if unknown:
        names = ", ".join(name[:40] for name in unknown[:5])
        takes = ", ".join(known) or "no parameters"
        raise BadRequest(f"Unknown parameter(s): {names}. This endpoint takes {takes}.")
    parsed: dict[str, Any] = {}
    for name, param in known.items():
        values = request.args.getlist(name)
        if not values:
            parsed[name] = param.default
            continue
        if len(values) > 1:
            raise BadRequest(f"Give {name} once only.")
        parsed[name] = _parse_value(param, values[0])
    return parsed


def _parse_value(param: Param, text: str) -> Any:
    if param.type == "integer":
        if not _WHOLE_NUMBER.fullmatch(text):
            raise BadRequest(f"{param.name} must be a whole number from {param.minimum} to {param.maximum}.")
        value = int(text)
        if (param.minimum is not None and value < param.minimum) or \
                (param.maximum is not None and value > param.maximum):
            raise BadRequest(f"{param.name} must be a whole number from {param.minimum} to {param.maximum}.")
        return value
    if _CONTROL.search(text):
        raise BadRequest(f"{param.name} must not contain control characters.")
    if param.enum is not None and text not in param.enum:
        raise BadRequest(f"{param.name} must be one of: {', '.join(param.enum)}.")
    if param.max_length is not None and len(text) > param.max_length:
        raise BadRequest(f"{param.name} must be {param.max_length} characters or fewer.")
    return text


# ---------------------------------------------------------------- keyset pagination


def _cursor_serializer(resource: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=f"api-cursor:{resource}")


def paginate(query: Select, key: Any, *, resource: str, query_args: dict[str, Any],
             allow: Callable[[Any], bool] | None = None) -> tuple[list[Any], str | None]:
    """A page of `query` in descending `key` order after the cursor, and the `next` URL (or None).

    The cursor is the last key of the previous page, signed (so a client cannot
    forge one, and one list's cursor is refused by another), hence opaque.
    `allow` is the authoritative visibility check applied to every row; the
    query only narrows the candidates, so the cursor still moves past rows it drops.
    """
    limit = query_args.get("limit") or LIMIT.default
    after = None
    if query_args.get("cursor") is not None:
        try:
            after = _cursor_serializer(resource).loads(query_args["cursor"])
        except BadData:
            after = None
        if not isinstance(after, int) or isinstance(after, bool) or not 0 < after <= MAX_ID:
            raise BadRequest("The cursor is not one this API gave out for this list: follow the `next` link "
                             "of the previous page.")
        query = query.where(key < after)
    rows = list(db.session.scalars(query.order_by(key.desc()).limit(limit + 1)))
    page, more = rows[:limit], len(rows) > limit
    next_url = None
    if more:
        values = {k: v for k, v in request.args.items() if k != "cursor"}
        values["cursor"] = _cursor_serializer(resource).dumps(getattr(page[-1], key.key))
        values["limit"] = limit
        next_url = external_url(request.endpoint, **(request.view_args or {}), **values)
    if allow is not None:
        page = [row for row in page if allow(row)]
    return page, next_url


# ---------------------------------------------------------------- installing on the blueprint


schema("OpenApiDocument", {"type": "object", "description": "An OpenAPI 3 document.",
                           "required": ["openapi", "paths"], "properties": {"openapi": {"type": "string"}}})


def openapi_document(query: dict[str, Any]) -> Response:
    """This document: every endpoint of the API, its parameters, responses and errors."""
    document = current_app.extensions.get("api_openapi")
    if document is None:
        document = current_app.extensions["api_openapi"] = build_spec(current_app)
    return json_response(document)


def install(bp: Blueprint) -> None:
    """Bearer authentication, the per-token rate limit, JSON for routing errors, and /openapi.json."""
    bp.before_request(authenticate)
    # The app's own 429 handler is code-specific, so it would win over the blueprint's HTTPException one.
    bp.register_error_handler(429, http_error_response)
    limiter.limit(api_rate_limit, key_func=rate_limit_key)(bp)
    bp.add_url_rule("/openapi.json", "openapi",
                    operation(summary="The OpenAPI 3 document of this API", response="OpenApiDocument",
                              tag="About")(openapi_document))

    @bp.before_app_request
    def _routing_errors_as_json() -> Response | None:
        """No rule matched (or not with this method): the blueprint's handlers never see it, so answer here."""
        error = request.routing_exception
        if error is None or isinstance(error, RequestRedirect):
            return None
        if request.path != API_PREFIX and not request.path.startswith(API_PREFIX + "/"):
            return None
        if isinstance(error, HTTPException):
            return http_error_response(error)
        return None
