"""A new provider knows where it stands: a banner until it is verified, and an email and notice when it is."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from accounts import services as account_services
from core import clock
from core.models import OutboxMessage
from forum.models import Notification
from tests.unit.tenders.builders import T0, in_tender, make_world


@pytest.fixture
def at():
    clock.set_now(T0)
    yield
    clock.set_now(None)


def test_unverified_provider_sees_why_it_cannot_respond_on_its_pages_and_on_an_open_tender(
        client, auth, org_factory, user_factory, at, app):
    world = make_world(org_factory, user_factory)
    p = in_tender(world)
    auth.sign_in(world.unverified)
    account = client.get("/account").get_data(as_text=True)
    assert 'id="verification-banner"' in account
    assert "must be verified before it can respond to a tender" in account
    assert "only verified provider organisations can submit tender responses" in account
    assert "Ofsted unique reference number (URN), its Companies House number or its charity number" in account
    assert "within 2 working days" in account
    tender = client.get(f"/tenders/{p.id}").get_data(as_text=True)
    assert "You can't respond to this tender yet" in tender
    app.config["VERIFICATION_TARGET_WORKING_DAYS"] = 5
    try:
        assert "within 5 working days" in client.get("/forums").get_data(as_text=True)
    finally:
        app.config["VERIFICATION_TARGET_WORKING_DAYS"] = 2


def test_verified_provider_and_commissioner_see_no_verification_banner(client, auth, org_factory, user_factory, at):
    world = make_world(org_factory, user_factory)
    p = in_tender(world)
    for person in (world.p1, world.c1):
        auth.sign_in(person)
        assert 'id="verification-banner"' not in client.get(f"/tenders/{p.id}").get_data(as_text=True)
        auth.sign_out()


def test_verifying_an_organisation_emails_and_notifies_its_people_in_the_same_transaction(db, org_factory,
                                                                                         user_factory):
    org = org_factory("provider", name="Little Acorns Test")
    first = user_factory("provider", organisation=org, email="first@acorns.example")
    second = user_factory("provider", organisation=org, email="second@acorns.example")
    admin = user_factory("admin")
    account_services.verify_organisation(org, admin, charity_number="1234567", note="Charity register")
    for person in (first, second):
        mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == person.email,
                                                              OutboxMessage.subject.contains("is verified"))).one()
        assert "Little Acorns Test" in mail.body and "submit responses to open tenders" in mail.body
        notice = db.session.scalars(select(Notification).where(Notification.user_id == person.id)).one()
        assert "Little Acorns Test is verified" in notice.text
    db.session.rollback()
    assert db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.subject.contains("is verified"))) is None
