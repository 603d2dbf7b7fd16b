"""The sign-in limit (per address) also covers the two-factor and password-reset forms.

tests/functional/test_security_and_errors.py already shows /sign-in itself
blocking the fourth attempt under a 3-a-minute limit; these add the other
forms that guess at a secret or send mail, and show the count is kept per
address, not per browser session.
"""
from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from core.clock import utcnow
from tests.conftest import FreshGlobalsClient, make_test_app, submit

LIMIT = "3 per minute"


@pytest.fixture
def limited(scratch_database_url):
    app = make_test_app(scratch_database_url, SIGNIN_RATE_LIMIT=LIMIT)
    app.test_client_class = FreshGlobalsClient  # several browsers, one app context: no shared `g`
    with app.app_context():
        from core.extensions import db

        yield app, db
        db.session.remove()
        db.engine.dispose()


def _client(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_sign_in_limit_is_per_address_not_per_session(limited):
    app, _ = limited
    attempts = [submit(_client(app, "192.0.2.10"), "/sign-in",
                       {"email": "nobody@x.example", "password": "wrong-password-1"}).status_code for _ in range(4)]
    assert attempts == [200, 200, 200, 429], "a fresh cookie jar must not reset the count"
    other = submit(_client(app, "192.0.2.11"), "/sign-in", {"email": "nobody@x.example", "password": "wrong-1"})
    assert other.status_code == 200


def test_two_factor_codes_are_rate_limited(limited):
    from accounts import services

    app, db = limited
    user = services.create_admin(email="ops@x.example", full_name="Ada Admin", password="purple-kettle-marching-band")
    user.totp_secret = services.new_totp_secret()
    user.totp_enabled_at = utcnow()
    db.session.commit()
    client = _client(app, "192.0.2.20")
    with client.session_transaction() as session:
        session["pending_user"] = user.get_id()
        session["pending_since"] = time.time()
    codes = [submit(client, "/sign-in/two-factor", {"code": "000000"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    from trail.models import AuditEvent

    assert db.session.scalars(select(AuditEvent).where(AuditEvent.summary.contains("rate_limit"))).first()


def test_password_reset_requests_are_rate_limited(limited):
    app, _ = limited
    client = _client(app, "192.0.2.30")
    codes = [submit(client, "/password/forgot", {"email": f"someone{n}@x.example"}).status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]


def test_registration_and_confirmation_resends_are_rate_limited(limited):
    """Both send email: unlimited, they would let anyone flood an inbox from this service."""
    app, _ = limited
    client = _client(app, "192.0.2.40")
    codes = [submit(client, "/confirm/resend", {"email": f"someone{n}@x.example"}).status_code for n in range(4)]
    assert codes[-1] == 429 and 429 not in codes[:3]
    client = _client(app, "192.0.2.41")
    codes = [submit(client, "/register", {"full_name": "", "email": "bad"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
