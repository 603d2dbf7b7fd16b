"""Emailed account links: only the newest works, and none outlives what it was for.

A reset link stops working when a newer one is sent or the password changes
by any route; a confirmation link when a newer one is sent or the address is
confirmed by any route. Each refusal is in the audit trail.
"""
from __future__ import annotations

import re
import secrets
from datetime import timedelta

import pytest
from sqlalchemy import select

from accounts import services
from accounts.models import AccountToken
from accounts.services import tokens
from core.clock import utcnow
from core.errors import RuleViolation
from core.models import OutboxMessage
from tests.conftest import PASSWORD, submit
from trail.models import AuditEvent

NEW_PASSWORD = "new-harbour-kettle-93"


def _link_token(db, email: str) -> str:
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email)
                                 .order_by(OutboxMessage.id.desc())).first()
    return re.search(r"/(?:confirm|password/reset)/([\w-]+)", message.body).group(1)


def _outstanding_link(db, user, purpose: str) -> str:
    """A live link made without the issuing service, like one sent before today's rule: only the other
    routes (a password change, a confirmation) can end it."""
    raw = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(AccountToken(user_id=user.id, purpose=purpose, token_hash=tokens.hash_token(raw),
                                created_at=now, expires_at=now + timedelta(hours=1)))
    db.session.flush()
    return raw


def _last_refusal(db) -> AuditEvent:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == "security.refused")
                              .order_by(AuditEvent.seq.desc())).first()


def test_a_newer_reset_link_ends_the_earlier_one(db, user_factory):
    user = user_factory("provider")
    services.request_password_reset(user.email)
    earlier = _link_token(db, user.email)
    services.request_password_reset(user.email)
    newer = _link_token(db, user.email)
    assert services.check_token(earlier, "reset_password") is None
    with pytest.raises(RuleViolation, match="no longer works"):
        services.reset_password(earlier, NEW_PASSWORD)
    assert "token revoked" in _last_refusal(db).summary
    assert services.authenticate(user.email, PASSWORD) is user, "the refused link changed nothing"
    services.reset_password(newer, NEW_PASSWORD)
    assert services.authenticate(user.email, NEW_PASSWORD) is user


def test_a_password_reset_ends_every_other_reset_link(db, user_factory):
    user = user_factory("provider")
    first, second = _outstanding_link(db, user, "reset_password"), _outstanding_link(db, user, "reset_password")
    services.reset_password(second, NEW_PASSWORD)
    with pytest.raises(RuleViolation, match="no longer works"):
        services.reset_password(first, "a-third-harbour-kettle-93")
    assert services.authenticate(user.email, NEW_PASSWORD) is user


def test_a_newer_confirmation_link_ends_the_earlier_one(db, user_factory):
    user = user_factory("provider", confirmed=False)
    earlier = _link_token(db, user.email)
    services.resend_confirmation(user.email)
    newer = _link_token(db, user.email)
    with pytest.raises(RuleViolation, match="no longer works"):
        services.confirm_email(earlier)
    assert user.email_confirmed_at is None and "token revoked" in _last_refusal(db).summary
    assert services.confirm_email(newer).email_confirmed_at is not None


def test_confirming_the_address_ends_every_other_confirmation_link(db, user_factory):
    user = user_factory("provider", confirmed=False)
    other, used = _outstanding_link(db, user, "confirm_email"), _outstanding_link(db, user, "confirm_email")
    services.confirm_email(used)
    assert services.check_token(other, "confirm_email") is None
    with pytest.raises(RuleViolation, match="no longer works"):
        services.confirm_email(other)


def test_an_administrator_confirming_the_address_ends_the_confirmation_links(db, user_factory):
    user = user_factory("provider", confirmed=False)
    emailed = _link_token(db, user.email)
    services.admin_confirm_email(user, user_factory("admin"), reason="Confirmed by phone")
    with pytest.raises(RuleViolation, match="no longer works"):
        services.confirm_email(emailed)


def test_a_password_reset_confirms_the_address_and_ends_the_confirmation_links(db, user_factory):
    user = user_factory("provider", confirmed=False)
    emailed = _link_token(db, user.email)
    services.request_password_reset(user.email)
    services.reset_password(_link_token(db, user.email), NEW_PASSWORD)
    assert user.email_confirmed_at is not None
    assert services.check_token(emailed, "confirm_email") is None


def test_a_newer_link_of_one_kind_leaves_the_other_kind_working(db, user_factory):
    user = user_factory("provider", confirmed=False)
    confirmation = _link_token(db, user.email)
    services.request_password_reset(user.email)
    assert services.check_token(confirmation, "confirm_email") is not None


def test_an_earlier_reset_link_opened_in_the_browser_says_it_was_replaced(client, db, user_factory):
    user = user_factory("provider")
    submit(client, "/password/forgot", {"email": user.email})
    earlier = _link_token(db, user.email)
    submit(client, "/password/forgot", {"email": user.email})
    page = client.get(f"/password/reset/{earlier}")
    assert page.status_code == 400 and "replaced by a newer one" in page.get_data(as_text=True)
    response = submit(
        client,
        f"/password/reset/{earlier}",
        {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
        form_url=f"/password/reset/{_link_token(db, user.email)}",
    )
    assert response.status_code == 400 and "no longer works" in response.get_data(as_text=True)
    assert services.authenticate(user.email, PASSWORD) is user
