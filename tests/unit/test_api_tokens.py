"""Personal API tokens: who may hold one, what is stored, revoking, and every way a token stops working."""
from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from accounts import policy, services
from accounts.models import ApiToken
from core.errors import NotPermitted, RuleViolation
from trail.models import AuditEvent

NOW = datetime(2026, 11, 23, 12, 0)


def _events(db, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)))


def _refusals(db, attempted: str) -> list[AuditEvent]:
    return [e for e in _events(db, "security.refused") if f'"attempted":"{attempted}"' in (e.payload or "")]


@pytest.mark.parametrize("role", ["commissioner", "auditor"])
def test_commissioners_and_auditors_can_hold_tokens(user_factory, role):
    assert policy.can_hold_api_token(user_factory(role))


@pytest.mark.parametrize("role", ["provider", "admin", None])
def test_other_roles_cannot_hold_tokens(user_factory, role):
    assert not policy.can_hold_api_token(user_factory(role))


def test_a_commissioner_without_two_factor_cannot_hold_a_token(user_factory):
    assert not policy.can_hold_api_token(user_factory("commissioner", totp=False))


def test_a_suspended_auditor_cannot_hold_a_token(db, user_factory):
    auditor = user_factory("auditor")
    auditor.is_suspended = True
    assert not policy.can_hold_api_token(auditor)


def test_only_the_sha256_of_a_new_token_is_stored_and_the_creation_is_audited(db, user_factory):
    auditor = user_factory("auditor")
    token, raw = services.create_api_token(auditor, name="  Spend   report ", expires_on=None, now=NOW)
    assert raw.startswith("ccapi_") and services.well_formed_api_token(raw)
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.name == "Spend report" and token.expires_at is None
    stored = db.session.execute(select(ApiToken.__table__)).mappings().one()
    assert raw not in {str(value) for value in stored.values()}
    created = _events(db, "api_token.created")
    assert len(created) == 1 and created[0].actor_user_id == auditor.id
    assert raw not in created[0].payload and raw not in created[0].summary


def test_two_tokens_are_never_the_same(user_factory):
    auditor = user_factory("auditor")
    assert services.create_api_token(auditor, name="a", expires_on=None, now=NOW)[1] != \
        services.create_api_token(auditor, name="b", expires_on=None, now=NOW)[1]


def test_a_provider_asking_for_a_token_is_refused_and_audited(db, user_factory):
    provider = user_factory("provider")
    with pytest.raises(NotPermitted):
        services.create_api_token(provider, name="Scraper", expires_on=None, now=NOW)
    assert len(_refusals(db, "api_token.create")) == 1
    assert db.session.scalar(select(ApiToken.id)) is None


@pytest.mark.parametrize("name, expires_on, field", [
    ("", None, "name"), ("   ", None, "name"), ("x" * 101, None, "name"),
    ("Report", date(2026, 11, 23), "expires_on"), ("Report", date(2026, 1, 1), "expires_on"),
    ("Report", date(2027, 12, 1), "expires_on"),
])
def test_bad_names_and_expiry_dates_are_refused(db, user_factory, name, expires_on, field):
    with pytest.raises(RuleViolation) as refused:
        services.create_api_token(user_factory("auditor"), name=name, expires_on=expires_on, now=NOW)
    assert field in refused.value.reasons
    assert db.session.scalar(select(ApiToken.id)) is None


def test_an_expiry_date_ends_the_token_at_the_start_of_that_day(user_factory):
    token, raw = services.create_api_token(user_factory("auditor"), name="Report", expires_on=date(2026, 12, 1),
                                           now=NOW)
    assert token.expires_at == datetime(2026, 12, 1)
    assert services.use_api_token(raw, now=datetime(2026, 11, 30, 23, 59)) is token.user
    with pytest.raises(services.TokenRefused):
        services.use_api_token(raw, now=datetime(2026, 12, 1))


def test_revoking_stops_the_token_and_is_audited(db, user_factory):
    commissioner = user_factory("commissioner")
    token, raw = services.create_api_token(commissioner, name="Dashboard", expires_on=None, now=NOW)
    services.revoke_api_token(token, commissioner, now=NOW)
    assert token.revoked_at == NOW and token.revoked_by_id == commissioner.id
    assert len(_events(db, "api_token.revoked")) == 1
    with pytest.raises(services.TokenRefused):
        services.use_api_token(raw, now=NOW)
    with pytest.raises(RuleViolation):
        services.revoke_api_token(token, commissioner, now=NOW)


@pytest.mark.parametrize("role", ["commissioner", "auditor", "admin"])
def test_nobody_else_can_revoke_your_token(db, user_factory, role):
    token, _raw = services.create_api_token(user_factory("auditor"), name="Mine", expires_on=None, now=NOW)
    with pytest.raises(NotPermitted):
        services.revoke_api_token(token, user_factory(role), now=NOW)
    assert token.revoked_at is None
    assert len(_refusals(db, "api_token.revoke")) == 1


def test_a_working_token_returns_its_holder_and_keeps_the_last_use_to_the_minute(user_factory):
    auditor = user_factory("auditor")
    token, raw = services.create_api_token(auditor, name="Report", expires_on=None, now=NOW)
    assert token.last_used_at is None
    assert services.use_api_token(raw, now=NOW) is auditor
    assert token.last_used_at == NOW
    assert not services.api_token_needs_write(token, NOW + timedelta(seconds=59))
    services.use_api_token(raw, now=NOW + timedelta(seconds=30))
    assert token.last_used_at == NOW
    assert services.api_token_needs_write(token, NOW + timedelta(minutes=1))
    services.use_api_token(raw, now=NOW + timedelta(minutes=2))
    assert token.last_used_at == NOW + timedelta(minutes=2)


@pytest.mark.parametrize("raw", ["", "ccapi_", "ccapi_short", "Bearer", "x" * 49, "ccapi_" + "!" * 43,
                                 "CCAPI_" + "a" * 43])
def test_malformed_tokens_are_refused_and_audited_without_their_value(db, raw):
    with pytest.raises(services.TokenRefused):
        services.use_api_token(raw, now=NOW, ip="192.0.2.1")
    refusals = _refusals(db, "api_token.use")
    assert len(refusals) == 1 and "malformed" in refusals[0].payload
    assert not raw or raw not in refusals[0].payload


def test_an_unknown_well_formed_token_is_refused(db):
    raw = "ccapi_" + "a" * 43
    with pytest.raises(services.TokenRefused):
        services.use_api_token(raw, now=NOW)
    assert "unknown token" in _refusals(db, "api_token.use")[0].payload


def test_a_suspended_holders_token_stops_working(db, user_factory):
    auditor = user_factory("auditor")
    _token, raw = services.create_api_token(auditor, name="Report", expires_on=None, now=NOW)
    services.set_suspended(auditor, True, user_factory("admin"), reason="Left the audit body")
    with pytest.raises(services.TokenRefused):
        services.use_api_token(raw, now=NOW)
    assert f'"holder_id":{auditor.id}' in _refusals(db, "api_token.use")[0].payload


def test_a_reset_two_factor_stops_the_holders_tokens(user_factory):
    commissioner = user_factory("commissioner")
    _token, raw = services.create_api_token(commissioner, name="Report", expires_on=None, now=NOW)
    services.reset_two_factor(commissioner, user_factory("admin"), reason="Lost phone, checked by video call")
    with pytest.raises(services.TokenRefused):
        services.use_api_token(raw, now=NOW)


def test_a_removed_role_stops_the_holders_tokens(user_factory):
    commissioner = user_factory("commissioner")
    _token, raw = services.create_api_token(commissioner, name="Report", expires_on=None, now=NOW)
    services.assign_role(commissioner, None, user_factory("admin"))
    with pytest.raises(services.TokenRefused):
        services.use_api_token(raw, now=NOW)


def test_tokens_are_listed_active_first_newest_first(user_factory):
    auditor = user_factory("auditor")
    old, _ = services.create_api_token(auditor, name="Old", expires_on=None, now=NOW - timedelta(days=2))
    new, _ = services.create_api_token(auditor, name="New", expires_on=None, now=NOW)
    gone, _ = services.create_api_token(auditor, name="Gone", expires_on=None, now=NOW + timedelta(days=1))
    services.revoke_api_token(gone, auditor, now=NOW)
    services.create_api_token(user_factory("auditor"), name="Someone else's", expires_on=None, now=NOW)
    assert services.api_tokens_of(auditor) == [new, old, gone]
