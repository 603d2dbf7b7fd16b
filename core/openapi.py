"""The OpenAPI 3 document of the JSON API, built with apispec from the views themselves.

Each API view carries its description (`@operation(...)`: summary, query
parameters, response schema) and its docstring; `build_spec` walks the app's
url_map and turns every /api/v1 rule into a path with apispec. The same `Param`
objects that document a query parameter also parse it (core.api.parse_query),
so the document and the behaviour cannot drift apart.

Adding an endpoint (a register for auditors, say) is one `schema(...)` call for
its JSON shape and one view function decorated with `@bp.get(...)` and
`@operation(..., requires=accounts.policy.is_auditor)`: nothing here changes
(see tests/functional/api/test_api_requires.py).
"""
from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from apispec import APISpec
from flask import Flask

from core import api_request
from core.database import MAX_ID

OPENAPI_VERSION = "3.0.3"
API_VERSION = "1.0.0"
SECURITY_SCHEME = "bearerAuth"

# Component schemas by name, registered by the modules that serve them.
SCHEMAS: dict[str, dict[str, Any]] = {}


def schema(name: str, definition: dict[str, Any]) -> str:
    """Register a component schema; returns its name for `operation(response=...)`."""
    if name in SCHEMAS and SCHEMAS[name] != definition:
        raise ValueError(f"Two different OpenAPI schemas are both called {name}")
    SCHEMAS[name] = definition
    return name


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(definition: dict[str, Any]) -> dict[str, Any]:
    return {**definition, "nullable": True}


def page_of(item: str, description: str) -> dict[str, Any]:
    """The shape every paginated list shares: `items` and a `next` link (null on the last page)."""
    return {
        "type": "object",
        "description": description,
        "required": ["items", "next"],
        "properties": {
            "items": {"type": "array", "items": ref(item)},
            "next": nullable({"type": "string", "format": "uri",
                              "description": "The next page, with the same filters; null on the last page."}),
        },
    }


# Shapes every module may use.
TEXT = {"type": "string"}
INTEGER = {"type": "integer"}
DATE = {"type": "string", "format": "date"}
DATE_TIME = {"type": "string", "format": "date-time", "description": "UTC, ISO 8601 with a trailing Z."}
URL = {"type": "string", "format": "uri"}

schema("Error", {
    "type": "object",
    "description": "Every error under /api/v1 has this shape, whatever the status.",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["status", "title", "message"],
        "properties": {
            "status": {"type": "integer", "description": "The HTTP status code, again."},
            "title": {"type": "string", "description": "The status in words, e.g. Not Found."},
            "message": {"type": "string", "description": "What was wrong, for the person writing the client."},
            "detail": {"type": "string", "description": "The same as message (kept for OCDS clients)."},
        },
    }},
})

ERROR_DESCRIPTIONS = {
    400: "A parameter is unknown, malformed or out of range, the cursor is not one this API gave out, "
         "or a token was sent in the query string.",
    401: "The Authorization header is malformed, or its token is unknown, revoked or expired, or its holder "
         "can no longer use the API.",
    403: "Your token's holder may not read this (for example: only auditors may read registers).",
    404: "Nothing visible to you has that identifier.",
    429: "Too many requests for this token (or, without a token, this address). Wait and try again.",
}


@dataclass(frozen=True)
class Param:
    """One query parameter: documented in the OpenAPI document and parsed by core.api from the same object."""

    name: str
    description: str
    type: str = "string"  # string | integer
    enum: tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    default: Any = None
    format: str | None = None  # e.g. "date" or "date-time": documented; the view parses the text


    def json_schema(self) -> dict[str, Any]:
        result: dict[str, Any] = {"type": self.type}
        if self.enum is not None:
            result["enum"] = list(self.enum)
        if self.minimum is not None:
            result["minimum"] = self.minimum
        if self.maximum is not None:
            result["maximum"] = self.maximum
        if self.max_length is not None:
            result["maxLength"] = self.max_length
        if self.default is not None:
            result["default"] = self.default
        if self.format is not None:
            result["format"] = self.format
        return result


@dataclass(frozen=True)
class Operation:
    summary: str
    response: str
    tag: str
    params: tuple[Param, ...] = ()
    path_params: dict[str, str] = field(default_factory=dict)
    # The only values a string path parameter can take (a register's slug), so clients and fuzzers know them.
    path_choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    errors: tuple[int, ...] = (400, 401, 429)
    description: str = ""
    # False for views that parse their own query (the OCDS endpoints keep their historical parsing).
    parse_query: bool = True
    # A predicate over the token's holder (e.g. accounts.policy.is_auditor): then a token is required.
    requires: Callable[[Any], bool] | None = None
    # The response's media type: JSON by default; "text/csv" for a CSV twin of a JSON list.
    media_type: str = "application/json"


def operation(*, summary: str, response: str, tag: str, params: tuple[Param, ...] = (),
              path_params: dict[str, str] | None = None, path_choices: dict[str, tuple[str, ...]] | None = None,
              not_found: bool = False,
              parse_query: bool = True, requires: Callable[[Any], bool] | None = None,
              media_type: str = "application/json",
              ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Describe a GET view of the API. With `parse_query`, the view gets the parsed query as `query=`.

    With `requires`, only a token whose holder satisfies the predicate gets in:
    no token is a 401, anyone else a 403 (audited), and the document says so.
    """

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        errors = (400, 401) + ((403,) if requires else ()) + ((404,) if not_found else ()) + (429,)
        described = Operation(summary=summary, response=response, tag=tag, params=params,
                              path_params=dict(path_params or {}), path_choices=dict(path_choices or {}),
                              errors=errors, description=inspect.getdoc(view) or "", parse_query=parse_query,
                              requires=requires, media_type=media_type)

        def wrapper(**kwargs: Any) -> Any:
            if described.requires is not None:
                api_request.require_token_holder(described.requires, view.__name__)
            if described.parse_query:
                return view(**kwargs, query=api_request.parse_query(described.params))
            return view(**kwargs)

        wrapper.__name__ = view.__name__
        wrapper.__doc__ = view.__doc__
        wrapper.__module__ = view.__module__
        wrapper.__openapi__ = described  # type: ignore[attr-defined]
        return wrapper

    return decorate


_CONVERTER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def _path(rule: str) -> str:
    return _CONVERTER.sub(lambda m: "{" + m.group(2) + "}", rule)


def _path_parameters(rule: Any, described: Operation) -> list[dict[str, Any]]:
    parameters = []
    for converter, name in _CONVERTER.findall(rule.rule):
        kind = {"int": {"type": "integer", "minimum": 0, "maximum": MAX_ID}}.get(converter, {"type": "string"})
        if name in described.path_choices:
            kind = {"type": "string", "enum": list(described.path_choices[name])}
        parameters.append({"name": name, "in": "path", "required": True, "schema": kind,
                           "description": described.path_params.get(name, name)})
    return parameters


def _responses(described: Operation) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    if described.response:
        body = ref(described.response) if described.media_type == "application/json" else {"type": "string"}
        responses["200"] = {"description": "OK", "content": {described.media_type: {"schema": body}}}
    for status in described.errors:
        responses[str(status)] = {"$ref": f"#/components/responses/Error{status}"}
    return responses


def build_spec(app: Flask, *, blueprint: str = "api") -> dict[str, Any]:
    """The whole document, from every documented rule of the blueprint (undocumented rules are left out:
    tests/functional/api/test_openapi.py fails if there is one)."""
    spec = APISpec(
        title="Commissioning Commons API",
        version=API_VERSION,
        openapi_version=OPENAPI_VERSION,
        info={"description": (
            "Read-only JSON: forums, need statements, published procurements, answered clarifications and "
            "award notices, and OCDS 1.1.5 release packages. Public data needs no token. A personal API token "
            "(Authorization: Bearer <token>, made on your account page) lets an auditor, or a commissioner of "
            "the owning organisation, also read draft procurements. Lists are paginated with an opaque "
            "`cursor`: follow `next`. Every error is JSON: {\"error\": {\"status\", \"title\", \"message\"}}.")},
    )
    spec.components.security_scheme(SECURITY_SCHEME, {
        "type": "http", "scheme": "bearer",
        "description": "A personal API token, only in the Authorization header; a token in the query string "
                       "is refused (400)."})
    for name in sorted(SCHEMAS):
        spec.components.schema(name, SCHEMAS[name])
    for status, description in ERROR_DESCRIPTIONS.items():
        spec.components.response(f"Error{status}", {
            "description": description, "content": {"application/json": {"schema": ref("Error")}}})
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint.rpartition(".")[0] != blueprint:
            continue
        described = getattr(app.view_functions[rule.endpoint], "__openapi__", None)
        if described is None:
            continue
        parameters = _path_parameters(rule, described) + [
            {"name": p.name, "in": "query", "required": False, "description": p.description,
             "schema": p.json_schema()} for p in described.params]
        spec.path(path=_path(rule.rule), operations={"get": {
            "operationId": rule.endpoint.partition(".")[2],
            "summary": described.summary,
            "description": described.description,
            "tags": [described.tag],
            "parameters": parameters,
            "security": [{SECURITY_SCHEME: []}] if described.requires else [{}, {SECURITY_SCHEME: []}],
            "responses": _responses(described),
        }})
    return spec.to_dict()
