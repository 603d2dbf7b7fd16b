"""Behind a reverse proxy: the client's address comes from X-Forwarded-For, trusting exactly TRUSTED_PROXIES hops.

With a trusted proxy, each client has its own sign-in rate-limit count and the
audit trail names the client, not the proxy. With none trusted (the default),
the header is whatever a client chose to send, so it is ignored.
"""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.conftest import FreshGlobalsClient, make_test_app, submit
from trail.models import AuditEvent

PROXY = "10.0.0.2"
LIMIT = "3 per minute"


@pytest.fixture
def proxied(scratch_database_url):
    """An app told how many proxies to trust, and a way to make browsers that reach it through one."""
    apps = []

    def make(trusted: int | str):
        app = make_test_app(scratch_database_url, SIGNIN_RATE_LIMIT=LIMIT, TRUSTED_PROXIES=trusted)
        app.test_client_class = FreshGlobalsClient
        context = app.app_context()
        context.push()
        apps.append(context)
        return app

    yield make
    from core.extensions import db

    for context in reversed(apps):
        db.session.remove()
        db.engine.dispose()
        context.pop()


def _browser(app, forwarded_for: str):
    client = app.test_client()
    client.environ_base.update(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    return client


def _failed_sign_in(app, forwarded_for: str) -> int:
    return submit(_browser(app, forwarded_for), "/sign-in",
                  {"email": "nobody@x.example", "password": "wrong-password-1"}).status_code


def _last_failure_address(app) -> str:
    from core.extensions import db

    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.sign_in_failed")
                               .order_by(AuditEvent.seq.desc())).first()
    return json.loads(event.payload)["ip"]


def test_with_one_trusted_proxy_each_client_has_its_own_sign_in_count(proxied):
    app = proxied(1)
    assert [_failed_sign_in(app, "203.0.113.5") for _ in range(4)] == [200, 200, 200, 429]
    assert _failed_sign_in(app, "203.0.113.6") == 200, "another client behind the same proxy is not blocked"


def test_with_one_trusted_proxy_the_audit_trail_names_the_client(proxied):
    app = proxied(1)
    _failed_sign_in(app, "203.0.113.7")
    assert _last_failure_address(app) == "203.0.113.7"


def test_with_one_trusted_proxy_only_the_address_the_proxy_added_counts(proxied):
    """A client's own X-Forwarded-For arrives first in the list; the proxy appends the real address."""
    app = proxied(1)
    _failed_sign_in(app, "198.51.100.99, 203.0.113.8")
    assert _last_failure_address(app) == "203.0.113.8"


def test_with_no_trusted_proxy_a_forged_header_is_ignored(proxied):
    app = proxied(0)
    codes = [_failed_sign_in(app, f"203.0.113.{n}") for n in range(10, 14)]
    assert codes == [200, 200, 200, 429], "a new forged address each time must not reset the count"
    assert _last_failure_address(app) == PROXY


@pytest.mark.parametrize("setting", ["-1", "two", "1.5"])
def test_a_trusted_proxies_setting_that_is_not_a_count_stops_the_app(setting):
    with pytest.raises(RuntimeError, match="TRUSTED_PROXIES"):
        make_test_app("sqlite://", TRUSTED_PROXIES=setting)
