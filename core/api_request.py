"""What an API view reads from its request: the token's holder and the documented query parameters.

Apart from core.api so that the OpenAPI decorator (core.openapi), which core.api
uses to describe its own routes, can parse and check a request without a circle.
Who holds the token is set in `g.api_user` by whoever authenticates the request
(accounts.api_tokens, installed on the API blueprint by the app factory).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import g, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import BadRequest, Forbidden, Unauthorized

from core.guards import record_refusal_now

if TYPE_CHECKING:
    from core.openapi import Param

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


def record_api_refusal(attempted: str, reason: str) -> None:
    """Audit a refused API request, as its token's holder if known, else as the anonymous address."""
    record_refusal_now(g.get("api_user"), attempted, reason, actor_label=f"anonymous ({request.remote_addr})",
                       detail={"path": request.path})


def api_user() -> Any:
    """The holder of the request's valid token, or None (anonymous)."""
    return g.get("api_user")


def require_token_holder(allowed: Callable[[Any], bool], attempted: str) -> None:
    """For operations that are not public: no token is a 401, a holder the predicate refuses a 403 (audited)."""
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

