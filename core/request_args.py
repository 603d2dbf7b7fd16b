"""Numbers read from a request: page numbers and row ids in the query string or a form.

An id column is a 32-bit integer (core.database.MAX_ID), and a page number
becomes an OFFSET; a larger number names nothing, and handed to the database it
overflows (an OverflowError, a 500) instead of finding nothing. Every page
number and every id that arrives as text goes through here, so a hostile
`?page=9223372036854775808` shows the (empty) last page and a hostile id
finds nothing, like any other id that names no row. Ids in the path are
bounded the same way by core.urls.BoundedIntConverter.
"""
from __future__ import annotations

import re

from flask import request

from core.database import MAX_ID

# A page past the last one is shown empty (paginate's error_out=False), as it always was; past this it stops
# growing, so `(page - 1) * per_page` stays well inside a 64-bit OFFSET.
MAX_PAGE = MAX_ID
_WHOLE_NUMBER = re.compile(r"\s*\+?0*([0-9]{1,10})\s*")
_ANY_WHOLE_NUMBER = re.compile(r"\s*\+?0*([0-9]*)\s*")


def id_number(text: str | None) -> int | None:
    """The row id written in `text`, or None when it is not a whole number from 1 to MAX_ID."""
    match = _WHOLE_NUMBER.fullmatch(text or "")
    if match is None:
        return None
    value = int(match.group(1))
    return value if 1 <= value <= MAX_ID else None


def id_arg(name: str) -> int | None:
    """The query-string argument `name` as a row id, or None (absent, not a number, or naming no possible row)."""
    return id_number(request.args.get(name))


def page_number() -> int:
    """The ?page= argument: 1 when absent or not a whole number, at most MAX_PAGE."""
    match = _ANY_WHOLE_NUMBER.fullmatch(request.args.get("page", ""))
    if match is None:
        return 1
    digits = match.group(1)
    # Compared by length first: a number of thousands of digits is not even converted.
    if len(digits) > len(str(MAX_PAGE)):
        return MAX_PAGE
    return min(max(int(digits or "0"), 1), MAX_PAGE)
