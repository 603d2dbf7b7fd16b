"""Trusting a reverse proxy's forwarded headers, and only as far as configured.

Behind a proxy every request comes from the proxy's address, so the sign-in
rate limit would count everyone together and the audit trail would name the
proxy. Werkzeug's ProxyFix takes the client's address from X-Forwarded-For
(and the scheme from X-Forwarded-Proto), trusting exactly TRUSTED_PROXIES
hops: with 0 (the default) the headers are ignored, because any client can
send them. X-Forwarded-Host, -Port and -Prefix are never trusted: emailed links
are built from PUBLIC_BASE_URL and nothing else needs them.
"""
from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def trusted_proxies(app: Flask) -> int:
    """TRUSTED_PROXIES as a count; anything but a whole number from 0 up stops the app at start-up."""
    value = app.config.get("TRUSTED_PROXIES", 0)
    try:
        count = int(str(value).strip())
    except ValueError:
        count = -1
    if count < 0:
        raise RuntimeError(f"TRUSTED_PROXIES must be a whole number of proxies, 0 or more (got {value!r})")
    return count


def init_proxies(app: Flask) -> None:
    count = trusted_proxies(app)
    if count:
        # Flask documents wrapping the app by assigning wsgi_app, but its class types it as a method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=0, x_port=0, x_prefix=0)
