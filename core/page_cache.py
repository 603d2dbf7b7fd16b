"""Whole-page caching of public pages for readers who are not signed in.

Why: most traffic to an open forum is people and feed readers who are not
signed in, reading the same threads. Rendering a 25-post thread through the
ORM and Jinja costs tens of times what serving it from memory does, so a busy
public thread would otherwise cap what a server can take (bench/RESULTS.md).

What makes it safe:
  * Only requests that carry no cookie, no Authorization header and no
    conditional header are served from or stored in the cache, so nobody signed
    in (or holding a session at all) ever sees a page built for someone else.
  * Only a 200 whose rendering left the session untouched is stored: a page
    that set a CSRF token or flashed a message is never shared.
  * The key includes the audit trail's head. Every committed change writes an
    audit event in its own transaction, so any post, edit, hiding or
    moderation anywhere moves the head and retires every cached page at once.
  * Entries also expire after PAGE_CACHE_SECONDS, which bounds how long a
    page that depends on the clock (a meeting moving from upcoming to past)
    can lag. PAGE_CACHE_SECONDS = 0 turns caching off (the test default).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, request, session

from core.extensions import cache

CONDITIONAL_HEADERS = ("If-None-Match", "If-Modified-Since")

_version: Callable[[], int] | None = None


def register_version(version: Callable[[], int]) -> None:
    """What versions every cached page: the trail's head, registered by the app factory (the trail is above)."""
    global _version
    _version = version


def _bypass() -> bool:
    return (current_app.config["PAGE_CACHE_SECONDS"] <= 0 or request.method not in ("GET", "HEAD")
            or bool(request.cookies) or "Authorization" in request.headers
            or any(header in request.headers for header in CONDITIONAL_HEADERS))


def _key() -> str:
    if _version is None:
        raise RuntimeError("No page cache version is registered: the app factory registers the trail's head")
    return f"page:{_version()}:{request.path}?{request.query_string.decode('latin-1')}"


def _status(rv: Any) -> int:
    if isinstance(rv, tuple):
        return next((part for part in rv[1:] if isinstance(part, int)), 200)
    return getattr(rv, "status_code", 200)


def _shareable(rv: Any) -> bool:
    return _status(rv) == 200 and not session.modified


def public_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve `view` from the shared cache to anonymous, cookie-less readers."""
    return cache.cached(unless=_bypass, make_cache_key=lambda *args, **kwargs: _key(),
                        response_filter=_shareable)(view)
