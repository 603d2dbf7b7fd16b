"""Log lines: plain text for a developer's terminal, one JSON object a line in production (`LOG_JSON`).

Every record carries the request id (core.request_ids), so a line in the
application's log can be matched to gunicorn's access log and to what the
client or the proxy in front recorded.
"""
from __future__ import annotations

import logging
import sys

from flask import Flask
from pythonjsonlogger.json import JsonFormatter

from core.request_ids import RequestIdFilter

JSON_FIELDS = ["asctime", "levelname", "name", "message", "request_id"]
_HANDLER_NAME = "commons"


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (a test's capture, a daemon's redirect), never a stale one."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


def json_formatter() -> logging.Formatter:
    """The JSON formatter shared by the app's and gunicorn's logs (gunicorn.conf.py)."""
    return JsonFormatter(JSON_FIELDS, rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                         timestamp=False)


def init_logs(app: Flask) -> None:
    """One handler on the root logger, so the app's, SQLAlchemy's and Huey's records all come out alike.

    Made once per process: a second app in the same process (tests) reuses it.
    """
    root = logging.getLogger()
    handler = next((h for h in root.handlers if h.get_name() == _HANDLER_NAME), None)
    if handler is None:
        handler = _StderrHandler()
        handler.set_name(_HANDLER_NAME)
        handler.addFilter(RequestIdFilter())
        root.addHandler(handler)
        # The root keeps its level (WARNING): libraries' chatter stays out; the app's own logger says INFO.
    handler.setFormatter(json_formatter() if app.config.get("LOG_JSON") else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
    # Flask's own handler would print every app record a second time.
    from flask.logging import default_handler

    app.logger.removeHandler(default_handler)
