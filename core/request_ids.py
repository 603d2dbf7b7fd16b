"""A request id on every request, every log line and every response.

A proxy or load balancer in front may send `X-Request-ID`; a well-formed one
is kept so one id follows the request through every hop, and a new one is made
otherwise. The id is echoed in the response's `X-Request-ID` (gunicorn's
access log prints it from there) and added to every log record made while the
request is handled, so `LOG_JSON` lines can be joined up.
"""
from __future__ import annotations

import logging
import re
import uuid

from flask import Flask, g, has_request_context, request
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

HEADER = "X-Request-ID"
# Whatever a client sends lands in logs: only short ids of safe characters are kept.
_WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{8,128}")


def current_request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


class RequestIdFilter(logging.Filter):
    """Puts `request_id` on every record (None outside a request), for formatters to print."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


def _assign() -> ResponseReturnValue | None:
    offered = request.headers.get(HEADER, "")
    g.request_id = offered if _WELL_FORMED.fullmatch(offered) else uuid.uuid4().hex
    return None


def _echo(response: Response) -> Response:
    if (request_id := g.get("request_id")) is not None:
        response.headers[HEADER] = request_id
    return response


def init_request_ids(app: Flask) -> None:
    # First of every before_request, so whatever else runs or logs has the id.
    app.before_request_funcs.setdefault(None, []).insert(0, _assign)
    app.after_request(_echo)
