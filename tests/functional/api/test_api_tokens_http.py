"""Personal API tokens over HTTP: the account page, the bearer header, refusals, rate limits and logs."""
from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from accounts import services as account_services
from accounts.models import ApiToken
from core.clock import utcnow
from tests.conftest import FreshGlobalsClient, make_test_app, submit
from tests.functional.api.conftest import bearer, token_for
from trail.models import AuditEvent

TOKEN_ON_PAGE = re.compile(r'id="new-token">(ccapi_[A-Za-z0-9_-]{43})<')


def _refusals(db, attempted: str) -> list[AuditEvent]:
    return [e for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == "security.refused"))
            if f'"attempted":"{attempted}"' in (e.payload or "")]


# ---------------------------------------------------------------- the account page


def test_an_auditor_creates_a_token_on_the_account_page_and_sees_it_once(client, auth, db, user_factory):
    auditor = user_factory("auditor")
    auth.sign_in(auditor)
    assert "Personal API tokens" in client.get("/account").get_data(as_text=True)
    response = submit(client, "/account/api-tokens", {"name": "Spend report", "expires_on": ["", "", ""]})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    raw = TOKEN_ON_PAGE.search(response.get_data(as_text=True)).group(1)
    again = client.get("/account/api-tokens").get_data(as_text=True)
    assert raw not in again and "Spend report" in again and "Active" in again
    assert client.get("/api/v1/procurements", headers=bearer(raw)).status_code == 200
    assert len(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "api_token.created")).all()) == 1


def test_a_token_with_an_expiry_date_from_the_form(client, auth, db, user_factory):
    commissioner = user_factory("commissioner")
    auth.sign_in(commissioner)
    soon = utcnow().date() + timedelta(days=30)
    response = submit(client, "/account/api-tokens", {"name": "Dashboard",
                                                      "expires_on": [str(soon.day), str(soon.month), str(soon.year)]})
    assert TOKEN_ON_PAGE.search(response.get_data(as_text=True))
    assert db.session.scalar(select(ApiToken.expires_at)).date() == soon


def test_a_past_expiry_date_is_a_clear_error_that_keeps_the_name(client, auth, db, user_factory):
    auth.sign_in(user_factory("auditor"))
    response = submit(client, "/account/api-tokens", {"name": "Old report", "expires_on": ["1", "1", "2020"]})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "The expiry date must be in the future" in text
    assert 'value="Old report"' in text and not TOKEN_ON_PAGE.search(text)
    assert db.session.scalar(select(ApiToken.id)) is None


def test_a_provider_cannot_open_the_token_page(client, auth, db, user_factory):
    auth.sign_in(user_factory("provider"))
    assert client.get("/account/api-tokens").status_code == 403
    assert "Personal API tokens" not in client.get("/account").get_data(as_text=True)


def test_revoking_from_the_page_stops_the_token(client, auth, db, user_factory):
    auditor = user_factory("auditor")
    raw = token_for(auditor, name="Leaving soon")
    token = db.session.scalar(select(ApiToken))
    auth.sign_in(auditor)
    response = submit(client, f"/account/api-tokens/{token.id}/revoke", {}, form_url="/account/api-tokens",
                      prefix=f"r{token.id}-")
    assert response.status_code == 302
    assert "Revoked" in client.get("/account/api-tokens").get_data(as_text=True)
    assert client.get("/api/v1/procurements", headers=bearer(raw)).status_code == 401


def test_someone_elses_token_cannot_be_revoked(client, auth, db, user_factory):
    raw = token_for(user_factory("auditor"))
    token = db.session.scalar(select(ApiToken))
    intruder = user_factory("auditor")
    token_for(intruder)  # so the intruder's page has a revoke form (and a CSRF token) to borrow
    auth.sign_in(intruder)
    mine = db.session.scalars(select(ApiToken).where(ApiToken.user_id == intruder.id)).one()
    response = submit(client, f"/account/api-tokens/{token.id}/revoke", {}, form_url="/account/api-tokens",
                      prefix=f"r{mine.id}-")
    assert response.status_code == 403
    db.session.refresh(token)
    assert token.revoked_at is None
    assert client.get("/api/v1/procurements", headers=bearer(raw)).status_code == 200


# ---------------------------------------------------------------- the bearer header


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token ccapi_" + "a" * 43,
                                    "Bearer ccapi_short", "Bearer ccapi_" + "a" * 43 + " extra", "bearer;drop"])
def test_malformed_authorization_headers_are_json_401s(client, db, header):
    response = client.get("/api/v1/procurements", headers={"Authorization": header})
    assert response.status_code == 401 and response.mimetype == "application/json"
    assert response.get_json()["error"]["status"] == 401
    assert response.headers["WWW-Authenticate"].lower().startswith("bearer")
    assert len(_refusals(db, "api_token.use")) == 1


def test_unknown_revoked_and_expired_tokens_are_401s(client, db, user_factory):
    auditor = user_factory("auditor")
    unknown = "ccapi_" + "b" * 43
    revoked = token_for(auditor, name="Revoked")
    account_services.revoke_api_token(db.session.scalars(select(ApiToken)).one(), auditor, now=utcnow())
    expired = token_for(auditor, name="Expiring", expires_on=utcnow().date() + timedelta(days=1))
    row = db.session.scalar(select(ApiToken).where(ApiToken.name == "Expiring"))
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    for raw in (unknown, revoked, expired):
        response = client.get("/api/v1/forums", headers=bearer(raw))
        assert response.status_code == 401, raw
        assert raw not in response.get_data(as_text=True)
    assert len(_refusals(db, "api_token.use")) == 3


def test_a_suspended_auditors_token_is_a_401(client, db, user_factory):
    auditor = user_factory("auditor")
    raw = token_for(auditor)
    assert client.get("/api/v1/forums", headers=bearer(raw)).status_code == 200
    account_services.set_suspended(auditor, True, user_factory("admin"), reason="Investigation")
    db.session.commit()
    assert client.get("/api/v1/forums", headers=bearer(raw)).status_code == 401


def test_using_a_token_records_when_it_was_last_used(client, db, user_factory):
    raw = token_for(user_factory("auditor"))
    assert db.session.scalar(select(ApiToken.last_used_at)) is None
    client.get("/api/v1/forums", headers=bearer(raw))
    db.session.expire_all()
    used = db.session.scalar(select(ApiToken.last_used_at))
    assert used is not None and utcnow() - used < timedelta(minutes=1)


@pytest.mark.parametrize("query", ["token={raw}", "access_token={raw}", "api_key=anything", "q={raw}",
                                   "stage=tender&{raw}=1"])
def test_a_token_in_the_query_string_is_refused_and_never_echoed(client, db, user_factory, query):
    raw = token_for(user_factory("auditor"))
    response = client.get("/api/v1/procurements?" + query.format(raw=raw))
    assert response.status_code == 400 and response.mimetype == "application/json"
    assert "Authorization header" in response.get_json()["error"]["message"]
    assert raw not in response.get_data(as_text=True)
    assert len(_refusals(db, "api_token.query_string")) == 1
    assert client.get("/api/v1/ocds/releases.json?token=" + raw).status_code == 400


def test_tokens_never_appear_in_the_logs(client, db, user_factory, caplog):
    raw = token_for(user_factory("auditor"))
    revoked = token_for(user_factory("commissioner"))
    account_services.revoke_api_token(db.session.scalars(select(ApiToken).order_by(ApiToken.id.desc())).first(),
                                      db.session.scalars(select(ApiToken).order_by(ApiToken.id.desc())).first().user,
                                      now=utcnow())
    db.session.commit()
    with caplog.at_level(logging.DEBUG):
        for headers, url in [(bearer(raw), "/api/v1/procurements"), (bearer(revoked), "/api/v1/forums"),
                             (bearer(raw), "/api/v1/procurements/999999"), ({}, f"/api/v1/forums?token={raw}"),
                             (bearer(raw + "x"), "/api/v1/needs"), (bearer(raw), "/api/v1/nowhere")]:
            assert client.get(url, headers=headers).status_code < 500
            client.post(url, headers=headers)
    assert caplog.records, "the requests above were logged at debug level somewhere"
    assert raw not in caplog.text and revoked not in caplog.text


# ---------------------------------------------------------------- rate limits


@pytest.fixture
def limited(scratch_database_url):
    app = make_test_app(scratch_database_url, API_RATE_LIMIT="3 per minute")
    app.test_client_class = FreshGlobalsClient
    with app.app_context():
        from core.extensions import db

        yield app, db
        db.session.remove()
        db.engine.dispose()


def test_the_rate_limit_is_per_token_and_answers_json_429s(limited):
    app, db = limited
    auditors = []
    for n in (1, 2):
        org = account_services.create_organisation(account_services.NewOrganisation(
            name=f"Audit body {n}", kind="auditor_body"))
        person = account_services.register(full_name=f"Aud Itor{n}", email=f"aud{n}@x.example",
                                           password="purple-kettle-marching-band", organisation=org)
        person.role, person.email_confirmed_at = "auditor", utcnow()
        person.totp_secret, person.totp_enabled_at = account_services.new_totp_secret(), utcnow()
        auditors.append(person)
    db.session.flush()
    first, second = (account_services.create_api_token(a, name="Limited", expires_on=None, now=utcnow())[1]
                     for a in auditors)
    db.session.commit()
    client = app.test_client()
    statuses = [client.get("/api/v1/forums", headers=bearer(first)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/forums", headers=bearer(first))
    assert refused.mimetype == "application/json" and refused.get_json()["error"]["status"] == 429
    assert client.get("/api/v1/forums", headers=bearer(second)).status_code == 200, "another token, its own count"
    assert client.get("/api/v1/forums").status_code == 200, "anonymous callers are counted by address"
