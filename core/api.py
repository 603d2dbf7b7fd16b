"""The JSON API under /api/v1: its blueprint, errors, rate limit, cursors and the OpenAPI document.

The clients are programs, so every answer under /api/v1 is JSON, errors
included (`{"error": {"status", "title", "message"}}`), even for requests
that match no route or use the wrong method, and never a stack trace.

Each package that serves part of the API collects its views in an `ApiRoutes`;
the app factory makes the blueprint (`make_blueprint`) and registers every
package's routes on it, so nothing is added to the API as a side effect of an
import. Who holds the token is decided by accounts.api_tokens, installed by the
factory too; a view reads it with core.api_request.api_user.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from flask import Blueprint, Response, current_app, g, request
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import Select
from werkzeug.exceptions import BadRequest, HTTPException, NotFound
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.routing import RequestRedirect

from core.api_request import record_api_refusal
from core.database import MAX_ID
from core.extensions import db
from core.openapi import Param, build_spec, operation, schema
from core.urls import external_url

API_PREFIX = "/api/v1"
DEFAULT_API_RATE_LIMIT = "300 per minute"

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
        record_api_refusal("api.rate_limit", str(error.description))
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    return error_response(status, str(error.description), title=error.name, headers=headers)


def unexpected_error_response() -> Response:
    db.session.rollback()
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return error_response(500, "Sorry, there is a problem with the service. Try again later.")


def api_rate_limit() -> str:
    return current_app.config.get("API_RATE_LIMIT", DEFAULT_API_RATE_LIMIT)

# ---------------------------------------------------------------- keyset pagination


def _cursor_serializer(resource: str) -> URLSafeSerializer:
    key = current_app.secret_key
    if key is None:  # the app factory refuses to start without one (commons.app)
        raise RuntimeError("SECRET_KEY must be set")
    return URLSafeSerializer(key, salt=f"api-cursor:{resource}")


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
        if request.endpoint is None:  # only a routed request is paged
            raise RuntimeError("paginate is called only from a routed API view")
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
    """JSON for every error (routing errors too) and /openapi.json on `bp`."""
    # The app's own 429 handler is code-specific, so it would win over the blueprint's HTTPException one.
    bp.register_error_handler(429, http_error_response)
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


@operation(summary="Any other path: a JSON 404", tag="About", response="", not_found=True,
           path_params={"unknown_path": "Anything that is not one of the paths above."}, parse_query=False)
def unknown(unknown_path: str) -> Response:
    """Anything else under /api/v1 is a JSON 404 too (the app's own 404 page is HTML, for people)."""
    raise NotFound(f"There is no API resource at /api/v1/{unknown_path}.")


def make_blueprint() -> Blueprint:
    """A new API blueprint for one app (`flask export ...` is its command group); the factory adds the routes."""
    bp = Blueprint("api", __name__, url_prefix=API_PREFIX, cli_group="export")
    bp.cli.help = "Export open data."
    bp.register_error_handler(HTTPException, http_error_response)
    bp.register_error_handler(Exception, lambda error: unexpected_error_response())
    install(bp)
    bp.add_url_rule("/<path:unknown_path>", view_func=unknown, methods=["GET"])
    return bp


class ApiRoutes:
    """One package's API views, collected where they are defined and added to the blueprint by the app factory."""

    def __init__(self) -> None:
        self._routes: list[tuple[str, Callable[..., Any]]] = []

    def get(self, rule: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Collect a GET view at `rule` (relative to /api/v1), named for its function as `api.<name>`."""
        def collect(view: Callable[..., Any]) -> Callable[..., Any]:
            self._routes.append((rule, view))
            return view

        return collect

    def register(self, bp: Blueprint) -> None:
        for rule, view in self._routes:
            bp.add_url_rule(rule, view_func=view, methods=["GET"])
