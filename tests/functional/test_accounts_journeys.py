"""Registration, confirmation, sign-in, two-factor and password reset over HTTP."""
from __future__ import annotations

import re

import pyotp
from sqlalchemy import func, select

from accounts import services
from accounts.models import Organisation, User
from core.models import OutboxMessage
from tests.conftest import PASSWORD, submit, totp_code
from trail.models import AuditEvent

STRONG = "maple-orbit-lantern-47"


def _register(client, **overrides):
    data = {"full_name": "Jo Bloggs", "email": "jo@provider.example", "password": STRONG,
            "password_confirm": STRONG, "organisation": "new", "org_name": "Hilltop Homes",
            "org_kind": "provider", "provider_type": "voluntary", "council": "", "region": "North West"}
    data.update(overrides)
    return submit(client, "/register", data)


def _emailed_link(db, email: str) -> str:
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email)
                                 .order_by(OutboxMessage.id.desc())).first()
    return re.search(r"http://localhost(/\S+)", message.body).group(1)


def test_provider_registers_confirms_email_and_signs_in(client, db):
    response = _register(client)
    assert response.status_code == 302 and "/register/check-email" in response.headers["Location"]
    link = _emailed_link(db, "jo@provider.example")
    page = client.get(link)
    assert "Confirm my email address" in page.get_data(as_text=True)
    response = submit(client, link, {}, follow_redirects=True)
    assert "your email address is confirmed" in response.get_data(as_text=True)
    response = submit(client, "/sign-in", {"email": "jo@provider.example", "password": STRONG})
    assert response.status_code == 302 and response.headers["Location"] == "/my-work"
    assert "Your account" in client.get("/").get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.email == "jo@provider.example"))
    assert user.role == "provider" and user.organisation.name == "Hilltop Homes"


def test_registration_errors_keep_everything_the_user_typed(client, db):
    response = _register(client, password="short", password_confirm="short", org_name="Unique Name Ltd")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html and "at least 12 characters" in html
    assert 'value="jo@provider.example"' in html and 'value="Unique Name Ltd"' in html
    assert 'value="Jo Bloggs"' in html
    assert db.session.scalar(select(Organisation).where(Organisation.name == "Unique Name Ltd")) is None


def _without_csrf(html: str) -> str:
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]+"', r'\1"', html)


def _registration_seen_by_a_stranger(app, data: dict) -> tuple:
    """What a fresh browser sees: the response, then the page it is sent on to."""
    browser = app.test_client()
    response = _register(browser, **data)
    shown = browser.get(response.headers["Location"]) if response.status_code == 302 else response
    return (response.status_code, response.headers.get("Location"), _without_csrf(response.get_data(as_text=True)),
            shown.status_code, _without_csrf(shown.get_data(as_text=True)))


def test_registering_an_existing_address_looks_exactly_like_registering_a_new_one(app, db, org_factory):
    org = org_factory("provider", name="Hilltop Homes Ltd")
    data = {"organisation": str(org.id), "org_name": "", "org_kind": "", "provider_type": ""}
    as_new = _registration_seen_by_a_stranger(app, data)
    users = db.session.scalar(select(func.count(User.id)))
    as_existing = _registration_seen_by_a_stranger(app, data)
    assert as_existing == as_new
    assert as_new[0] == 302 and "/register/check-email" in as_new[1]
    assert db.session.scalar(select(func.count(User.id))) == users, "no second account"


def test_a_refused_registration_looks_the_same_for_an_existing_address(app, db, user_factory):
    owner = user_factory("provider")
    weak = {"password": "short", "password_confirm": "short"}
    as_new = _registration_seen_by_a_stranger(app, {**weak, "email": "nobody-yet@example.org"})
    as_existing = _registration_seen_by_a_stranger(app, {**weak, "email": owner.email})
    assert as_existing[0] == as_new[0] == 200
    assert as_existing[2] == as_new[2].replace("nobody-yet@example.org", owner.email)


def test_the_owner_of_an_existing_address_is_emailed_when_someone_registers_with_it(client, db, user_factory):
    owner = user_factory("provider")
    _register(client, email=owner.email, org_name="Someone Else's Homes")
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == owner.email)
                                 .order_by(OutboxMessage.id.desc())).first()
    assert "you already have an account" in message.body and "http://localhost/sign-in" in message.body
    assert services.authenticate(owner.email, PASSWORD) == owner, "the password is unchanged"


def test_new_organisation_needs_a_name_and_kind(client, db):
    response = _register(client, org_name="", org_kind="")
    html = response.get_data(as_text=True)
    assert "Enter the name of your organisation" in html and "Select what kind of organisation" in html


def test_register_into_an_existing_organisation(client, db, org_factory):
    org = org_factory("commissioning_unit", name="Northmere Commissioning")
    response = _register(client, organisation=str(org.id), org_name="", org_kind="", provider_type="")
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "jo@provider.example"))
    assert user.organisation_id == org.id and user.role is None


def test_reused_confirmation_link_gets_a_clear_message(client, db):
    _register(client)
    link = _emailed_link(db, "jo@provider.example")
    submit(client, link, {})
    response = submit(client, link, {})
    assert response.status_code == 400
    assert "already been used" in response.get_data(as_text=True)


def test_wrong_password_shows_an_error_and_is_audited(client, db, user_factory):
    user = user_factory("provider")
    response = submit(client, "/sign-in", {"email": user.email, "password": "not-the-password"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "email address or password is wrong" in html
    assert f'value="{user.email}"' in html
    failure = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.sign_in_failed")).first()
    assert failure is not None and failure.actor_user_id == user.id


def test_commissioner_signs_in_with_a_totp_code(client, db, user_factory):
    user = user_factory("commissioner")
    response = submit(client, "/sign-in", {"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/sign-in/two-factor"
    assert client.get("/account").status_code == 302  # not signed in until the code is right
    response = submit(client, "/sign-in/two-factor", {"code": "000000" if totp_code(user) != "000000" else "111111"})
    assert "wrong or has already been used" in response.get_data(as_text=True)
    response = submit(client, "/sign-in/two-factor", {"code": totp_code(user)})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200


def test_commissioner_without_two_factor_must_set_it_up_before_anything_else(client, db, user_factory, auth):
    user = user_factory("commissioner", totp=False)
    response = auth.sign_in(user)
    assert response.headers["Location"] == "/account/two-factor"
    assert client.get("/organisations").headers["Location"] == "/account/two-factor"
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "<svg" in page
    secret = re.search(r'<code class="cc-hash">([A-Z2-7]+)</code>', page).group(1)
    response = submit(client, "/account/two-factor", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert client.get("/organisations").status_code == 200
    db.session.refresh(user)
    assert user.has_totp


def test_sign_out_ends_the_session(client, db, user_factory, auth):
    user = user_factory("provider")
    auth.sign_in(user)
    assert client.get("/account").status_code == 200
    response = auth.sign_out()
    assert response.status_code == 302
    assert client.get("/account").status_code == 302
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.signed_out")).first()


def test_forgotten_password_can_be_reset_by_email(client, db, user_factory):
    user = user_factory("provider")
    response = submit(client, "/password/forgot", {"email": user.email})
    assert "Check your email" in response.get_data(as_text=True)
    link = _emailed_link(db, user.email)
    response = submit(client, link, {"password": "new-harbour-kettle-93", "password_confirm": "new-harbour-kettle-93"})
    assert response.headers["Location"] == "/sign-in"
    response = submit(client, "/sign-in", {"email": user.email, "password": "new-harbour-kettle-93"})
    assert response.status_code == 302 and response.headers["Location"] == "/my-work"


def test_used_reset_link_gets_a_clear_message(client, db, user_factory):
    user = user_factory("provider")
    submit(client, "/password/forgot", {"email": user.email})
    link = _emailed_link(db, user.email)
    submit(client, link, {"password": "new-harbour-kettle-93", "password_confirm": "new-harbour-kettle-93"})
    response = client.get(link)
    assert response.status_code == 400 and "already been used" in response.get_data(as_text=True)


def test_next_parameter_only_returns_to_this_site(client, db, user_factory):
    user = user_factory("provider")
    for target, expected in (("https://evil.example/phish", "/my-work"), ("//evil.example", "/my-work"),
                             ("/\\evil.example", "/my-work"), ("/organisations", "/organisations")):
        client.get(f"/sign-in?next={target}")
        response = submit(client, "/sign-in", {"email": user.email, "password": PASSWORD}, form_url="/sign-in")
        assert response.headers["Location"] == expected, target
        submit(client, "/sign-out", {}, form_url="/account")
