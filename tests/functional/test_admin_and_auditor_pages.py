"""Admins verify organisations and assign roles; auditors read and verify the trail."""
from __future__ import annotations

from sqlalchemy import select

from tests.conftest import submit
from trail.models import AuditEvent


def test_admin_verifies_a_provider_organisation(client, db, user_factory, org_factory, auth):
    auth.sign_in(user_factory("admin"))
    org = org_factory("provider", name="Brookside Care")
    assert "Brookside Care" in client.get("/admin/organisations").get_data(as_text=True)
    response = submit(client, f"/admin/organisations/{org.id}", {"note": "looked fine"})
    assert "Enter at least one of the Ofsted URN" in response.get_data(as_text=True)
    assert 'looked fine' in response.get_data(as_text=True)
    response = submit(client, f"/admin/organisations/{org.id}", {"ofsted_urn": "SC123456", "note": "Ofsted register"})
    assert response.status_code == 302
    db.session.refresh(org)
    assert org.is_verified
    assert "Yes, on" in client.get(f"/organisations/{org.id}").get_data(as_text=True)


def test_admin_grants_a_council_officer_the_commissioner_role(client, db, user_factory, org_factory, auth):
    auth.sign_in(user_factory("admin"))
    officer = user_factory(None, organisation=org_factory("commissioning_unit"))
    response = submit(client, f"/admin/users/{officer.id}/role", {f"u{officer.id}-role": "commissioner"},
                      form_url="/admin/users", prefix=f"u{officer.id}-")
    assert response.status_code == 302
    db.session.refresh(officer)
    assert officer.role == "commissioner"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "account.role_changed")).first()
    assert event.subject_id == str(officer.id)


def test_admin_cannot_make_in_house_provider_staff_commissioners(client, db, user_factory, org_factory, auth):
    auth.sign_in(user_factory("admin"))
    unit = org_factory("provider", provider_type="in_house", council="Calderbrook Council")
    person = user_factory("provider", organisation=unit)
    response = submit(client, f"/admin/users/{person.id}/role", {f"u{person.id}-role": "commissioner"},
                      form_url="/admin/users", prefix=f"u{person.id}-")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "can only hold these roles: provider" in page
    db.session.refresh(person)
    assert person.role == "provider"


def test_auditor_sees_account_events_and_failed_sign_ins(client, db, user_factory, auth):
    provider = user_factory("provider")
    submit(client, "/sign-in", {"email": provider.email, "password": "definitely-wrong"})
    auth.sign_in(user_factory("auditor"))
    html = client.get("/audit/").get_data(as_text=True)
    assert "auth.sign_in_failed" in html and "account.created" in html
    filtered = client.get("/audit/?action=auth.sign_in_failed").get_data(as_text=True)
    # The action list offers every action; the table lists only the matching events.
    assert "<code>auth.sign_in_failed</code>" in filtered and "<code>account.created</code>" not in filtered
    seq = db.session.scalars(select(AuditEvent.seq).where(AuditEvent.action == "auth.sign_in_failed")).first()
    assert "wrong password" in client.get(f"/audit/events/{seq}").get_data(as_text=True)


def test_auditor_verifies_the_chain_from_the_page(client, db, user_factory, auth):
    auth.sign_in(user_factory("auditor"))
    response = submit(client, "/audit/verify", {})
    assert "The chain is intact" in response.get_data(as_text=True)
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "audit.chain_verified")).first()


def test_public_organisation_pages_need_no_account(client, db, org_factory):
    org = org_factory("provider", name="Open Door Fostering")
    assert "Open Door Fostering" in client.get("/organisations").get_data(as_text=True)
    assert client.get(f"/organisations/{org.id}").status_code == 200
    assert client.get("/organisations/999999").status_code == 404


def test_admin_suspends_an_account_from_the_people_page(client, db, user_factory, auth):
    auth.sign_in(user_factory("admin"))
    person = user_factory("provider")
    response = submit(client, f"/admin/users/{person.id}/account",
                      {f"a{person.id}-action": "suspend", f"a{person.id}-reason": ""},
                      form_url="/admin/users", prefix=f"a{person.id}-")
    assert "Give the reason" in client.get(response.headers["Location"]).get_data(as_text=True)
    submit(client, f"/admin/users/{person.id}/account",
           {f"a{person.id}-action": "suspend", f"a{person.id}-reason": "Left the company"},
           form_url="/admin/users", prefix=f"a{person.id}-")
    db.session.refresh(person)
    assert person.is_suspended
