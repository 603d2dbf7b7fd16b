"""Session fixation and revocation.

Sessions are signed cookies: whatever sits in the cookie before sign-in must
be gone after it, and a copy of a signed-in cookie must stop working once its
owner signs out or resets their password.
"""
from __future__ import annotations

from tests.conftest import PASSWORD, Auth, submit


def _authenticated(app, cookie_value: str) -> bool:
    """Does this cookie, replayed by another browser, reach a signed-in page?"""
    thief = app.test_client()
    thief.set_cookie("session", cookie_value)
    response = thief.get("/account")
    return response.status_code == 200


def test_sign_in_rebuilds_the_session(app, db, user_factory):
    user = user_factory("provider")
    client = app.test_client()
    client.get("/sign-in")
    with client.session_transaction() as session:
        session["planted_by_attacker"] = "fixed"
        session["_user_id"] = "999999:1"
    before = client.get_cookie("session").value
    assert not _authenticated(app, before)

    assert Auth(client).sign_in(user).status_code == 302
    after = client.get_cookie("session").value
    assert after != before
    with client.session_transaction() as session:
        assert "planted_by_attacker" not in session
        assert session["_user_id"] == user.get_id()
    assert _authenticated(app, after)
    assert not _authenticated(app, before)


def test_two_factor_sign_in_rebuilds_the_session(app, db, user_factory):
    user = user_factory("commissioner")
    client = app.test_client()
    client.get("/sign-in")
    with client.session_transaction() as session:
        session["planted_by_attacker"] = "fixed"
    before = client.get_cookie("session").value
    assert Auth(client).sign_in(user).status_code == 302
    with client.session_transaction() as session:
        assert "planted_by_attacker" not in session and "pending_user" not in session
    assert client.get_cookie("session").value != before
    assert not _authenticated(app, before)


def test_half_signed_in_session_is_not_signed_in(app, db, user_factory):
    """Password accepted, two-factor code not yet given: that cookie reaches nothing."""
    user = user_factory("commissioner")
    client = app.test_client()
    response = submit(client, "/sign-in", {"email": user.email, "password": PASSWORD})
    assert "/two-factor" in response.headers["Location"]
    assert not _authenticated(app, client.get_cookie("session").value)


def test_a_copied_session_cookie_stops_working_after_sign_out(app, db, user_factory):
    user = user_factory("provider")
    client = app.test_client()
    auth = Auth(client)
    auth.sign_in(user)
    stolen = client.get_cookie("session").value
    assert _authenticated(app, stolen)
    assert auth.sign_out().status_code == 302
    assert client.get("/account").status_code == 302
    assert not _authenticated(app, stolen), "the cookie from before sign-out still signs people in"


def test_password_reset_signs_out_every_other_session(app, db, user_factory):
    from datetime import timedelta

    from accounts.services import tokens

    user = user_factory("provider")
    other = app.test_client()
    Auth(other).sign_in(user)
    assert other.get("/account").status_code == 200

    token = tokens.issue_token(user, "reset_password", timedelta(minutes=30))
    resetter = app.test_client()
    new_password = "an-entirely-new-passphrase-42"
    response = submit(resetter, f"/password/reset/{token}", {"password": new_password,
                                                             "password_confirm": new_password})
    assert response.status_code == 302
    bounced = other.get("/account")
    assert bounced.status_code == 302 and "/sign-in" in bounced.headers["Location"]
    assert Auth(app.test_client()).sign_in(user, new_password).status_code == 302


def test_session_cookie_cannot_be_forged_without_the_secret(app, db, user_factory):
    from flask.sessions import SecureCookieSessionInterface

    user = user_factory("provider")
    forged_app = type("Forged", (), {"secret_key": "not-the-secret", "config": app.config})
    serializer = SecureCookieSessionInterface().get_signing_serializer(forged_app)
    forged = serializer.dumps({"_user_id": user.get_id(), "_fresh": True})
    assert not _authenticated(app, forged)
