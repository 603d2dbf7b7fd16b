"""URLs: the whole numbers a path may hold, and absolute links for emails.

Absolute links are built from PUBLIC_BASE_URL, never from the request's Host
header, so a forged Host cannot turn a password-reset email into a link to
someone else's site.
"""
from __future__ import annotations

import builtins
from typing import Any

from flask import current_app
from werkzeug.routing import IntegerConverter, Map

from core.database import MAX_ID


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` for every route: a whole number from 0 to MAX_ID, or the route does not match (a 404).

    Every number in a path names a row (or a position in a short list), and
    ids are 32-bit. A larger one names nothing; without the bound it would
    reach the database and overflow there (a 500). Installed as the app's
    `int` converter, so no route can forget it and no view checks it again.
    """

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None,
                 max: int | None = None, signed: bool = False) -> None:
        bound = MAX_ID if max is None else builtins.min(max, MAX_ID)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=bound, signed=signed)


def external_url(endpoint: str, **values: Any) -> str:
    adapter = current_app.url_map.bind("localhost")
    path = adapter.build(endpoint, values)
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def url_for_path(endpoint: str, **values: Any) -> str:
    """A site-relative link, buildable outside a request (services, the CLI, jobs) as well as inside one."""
    return current_app.url_map.bind("localhost").build(endpoint, values)
