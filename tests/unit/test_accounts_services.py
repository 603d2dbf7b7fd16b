"""Account and organisation services: their rules, and the audit events they leave."""
from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import func, select

from accounts import services
from accounts.models import AccountToken, Organisation, User
from core.clock import utcnow
from core.errors import NotPermitted, RuleViolation
from core.models import OutboxMessage
from trail.models import AuditEvent

STRONG = "maple-orbit-lantern-47"


def _last_event(db, action: str | None = None) -> AuditEvent:
    query = select(AuditEvent).order_by(AuditEvent.seq.desc())
    if action:
        query = query.where(AuditEvent.action == action)
    return db.session.scalars(query.limit(1)).first()


def _link_token(db, email: str) -> str:
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email)
                                 .order_by(OutboxMessage.id.desc())).first()
    return re.search(r"/(?:confirm|password/reset)/([\w-]+)", message.body).group(1)


def _register_provider(db, org_factory, email="jo@provider.example", **kwargs):
    org = kwargs.pop("organisation", None) or org_factory("provider")
    return services.register(full_name="Jo Bloggs", email=email, password=STRONG, organisation=org, **kwargs)


def test_provider_staff_get_the_provider_role_on_registration(db, org_factory):
    user = _register_provider(db, org_factory)
    assert user.role == "provider"
    assert user.email_confirmed_at is None
    event = _last_event(db, "account.created")
    assert event.actor_user_id == user.id and event.subject_id == str(user.id)


def test_council_staff_wait_for_an_administrator_to_grant_their_role(db, org_factory):
    council = org_factory("commissioning_unit")
    user = services.register(full_name="Kim Lee", email="kim@council.example", password=STRONG, organisation=council)
    assert user.role is None


def test_registering_with_a_new_organisation_creates_it_on_the_public_record(db):
    user = services.register(full_name="Ann Other", email="ann@new.example", password=STRONG,
                             new_organisation=services.NewOrganisation(name="Hilltop Homes", kind="provider",
                                                                       provider_type="voluntary"))
    assert user.organisation.name == "Hilltop Homes" and user.role == "provider"
    assert _last_event(db, "organisation.created").audience == "public"


def test_in_house_unit_must_name_its_council(db):
    with pytest.raises(RuleViolation) as exc:
        services.create_organisation(
            services.NewOrganisation(name="Our Homes", kind="provider", provider_type="in_house")
        )
    assert "council" in exc.value.reasons


def test_duplicate_organisation_name_is_refused_whatever_the_case(db, org_factory):
    org_factory("provider", name="Sunrise Care")
    with pytest.raises(RuleViolation, match="already registered"):
        services.create_organisation(services.NewOrganisation(name="sunrise  care", kind="provider",
                                                              provider_type="independent"))


def test_registering_an_existing_address_changes_nothing_and_emails_its_owner(db, org_factory, user_factory):
    owner = user_factory("provider", email="jo@provider.example")
    before = (owner.password_hash, owner.full_name, owner.organisation_id, owner.session_version, owner.role)
    users = db.session.scalar(select(func.count(User.id)))
    assert _register_provider(db, org_factory, email="  JO@provider.example ") is None
    assert db.session.scalar(select(func.count(User.id))) == users
    assert (owner.password_hash, owner.full_name, owner.organisation_id, owner.session_version, owner.role) == before
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == owner.email)
                                 .order_by(OutboxMessage.id.desc())).first()
    assert message.subject == "Someone tried to register with your email address"
    assert "/sign-in" in message.body and "/password/forgot" in message.body and "/confirm/" not in message.body
    event = _last_event(db, "account.registration_existing_email")
    assert event.subject_id == str(owner.id) and event.actor_user_id is None


def test_an_unconfirmed_owner_who_registers_again_gets_a_working_confirmation_link(db, org_factory):
    owner = _register_provider(db, org_factory)
    first = _link_token(db, owner.email)
    assert _register_provider(db, org_factory) is None
    again = _link_token(db, owner.email)
    assert again != first and services.confirm_email(again) is owner


def test_a_new_organisation_is_registered_whether_or_not_the_address_has_an_account(db, org_factory, user_factory):
    """Otherwise the public list of organisations would tell which addresses have an account."""
    owner = user_factory("provider")
    services.register(full_name="Jo Bloggs", email=owner.email, password=STRONG,
                      new_organisation=services.NewOrganisation(name="Probe Homes", kind="provider",
                                                                provider_type="voluntary"))
    assert db.session.scalar(select(Organisation).where(Organisation.name == "Probe Homes")) is not None


@pytest.mark.parametrize("password, message", [
    ("short", "at least 12"),
    ("aaaaaaaaaaaaaaaa", "too easy"),
    ("password1234", "too easy"),
    ("jo-bloggs-is-great", "name"),
])
def test_weak_passwords_are_refused_with_a_reason(db, org_factory, password, message):
    with pytest.raises(RuleViolation) as exc:
        services.register(full_name="Jo Bloggs", email="jo@x.example", password=password,
                          organisation=org_factory("provider"))
    assert message in exc.value.reasons["password"]
    assert db.session.scalar(select(User).where(User.email == "jo@x.example")) is None


def test_confirmation_link_works_once(db, org_factory):
    user = _register_provider(db, org_factory)
    token = _link_token(db, user.email)
    assert services.confirm_email(token).email_confirmed_at is not None
    with pytest.raises(RuleViolation, match="already been used"):
        services.confirm_email(token)
    refusal = _last_event(db, "security.refused")
    assert refusal.actor_user_id == user.id and "already used" in refusal.summary


def test_expired_confirmation_link_is_refused_and_audited(db, org_factory):
    user = _register_provider(db, org_factory)
    token = _link_token(db, user.email)
    stored = db.session.scalar(select(AccountToken).where(AccountToken.user_id == user.id))
    stored.expires_at = utcnow() - timedelta(minutes=1)
    with pytest.raises(RuleViolation, match="expired"):
        services.confirm_email(token)
    assert "expired" in _last_event(db, "security.refused").summary
    assert user.email_confirmed_at is None


def test_unknown_link_is_refused(db):
    with pytest.raises(RuleViolation, match="not valid"):
        services.confirm_email("not-a-real-token")


def test_tokens_are_stored_only_as_hashes(db, org_factory):
    user = _register_provider(db, org_factory)
    token = _link_token(db, user.email)
    assert db.session.scalar(select(AccountToken).where(AccountToken.token_hash == token)) is None


def test_sign_in_failures_are_audited_with_the_reason(db, user_factory):
    user = user_factory("provider")
    with pytest.raises(RuleViolation):
        services.authenticate(user.email, "wrong-password-here", ip="192.0.2.1")
    event = _last_event(db, "auth.sign_in_failed")
    assert event.actor_user_id == user.id and '"wrong password"' in event.payload and "192.0.2.1" in event.payload
    with pytest.raises(RuleViolation):
        services.authenticate("nobody@nowhere.example", "whatever-it-is", ip="192.0.2.1")
    assert "unknown email" in _last_event(db, "auth.sign_in_failed").summary


def test_unconfirmed_account_cannot_sign_in(db, user_factory):
    from tests.conftest import PASSWORD

    user = user_factory("provider", confirmed=False)
    with pytest.raises(RuleViolation, match="Confirm your email"):
        services.authenticate(user.email, PASSWORD)


def test_wrong_and_replayed_totp_codes_are_refused_and_audited(db, user_factory):
    user = user_factory("commissioner")
    with pytest.raises(RuleViolation):
        services.check_totp(user, "000000")
    assert _last_event(db, "auth.totp_failed") is not None
    code = pyotp.TOTP(user.totp_secret).now()
    services.check_totp(user, code)
    with pytest.raises(RuleViolation, match="already been used"):
        services.check_totp(user, code)
    assert "already used" in _last_event(db, "auth.totp_failed").summary


def test_enabling_totp_needs_a_correct_code(db, user_factory):
    user = user_factory("auditor", totp=False)
    secret = services.new_totp_secret()
    with pytest.raises(RuleViolation):
        services.enable_totp(user, secret, "123456" if pyotp.TOTP(secret).now() != "123456" else "654321")
    assert not user.has_totp
    services.enable_totp(user, secret, pyotp.TOTP(secret).now())
    assert user.has_totp and _last_event(db, "account.totp_enabled").actor_user_id == user.id


def test_password_reset_changes_the_password_and_signs_out_other_sessions(db, user_factory):
    user = user_factory("provider")
    version = user.session_version
    services.request_password_reset(user.email)
    token = _link_token(db, user.email)
    services.reset_password(token, "new-harbour-kettle-93")
    assert services.authenticate(user.email, "new-harbour-kettle-93") is user
    assert user.session_version == version + 1
    with pytest.raises(RuleViolation, match="already been used"):
        services.reset_password(token, "another-harbour-kettle-93")


def test_password_reset_refuses_a_weak_password_and_keeps_the_link_usable(db, user_factory):
    user = user_factory("provider")
    services.request_password_reset(user.email)
    token = _link_token(db, user.email)
    with pytest.raises(RuleViolation):
        services.reset_password(token, "short")
    assert services.check_token(token, "reset_password") is not None


def test_password_reset_for_unknown_email_reveals_nothing_and_sends_nothing(db):
    before = db.session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()))
    services.request_password_reset("ghost@nowhere.example")
    assert db.session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc())) == before
    assert _last_event(db).action == "account.password_reset_unknown"


def test_admin_verifies_a_provider_against_a_register(db, user_factory, org_factory):
    admin = user_factory("admin")
    org = org_factory("provider")
    with pytest.raises(RuleViolation) as exc:
        services.verify_organisation(org, admin, note="looked fine")
    assert "ofsted_urn" in exc.value.reasons and not org.is_verified
    services.verify_organisation(org, admin, ofsted_urn="SC123456")
    assert org.is_verified and org.ofsted_urn == "SC123456"
    event = _last_event(db, "organisation.verified")
    assert event.audience == "public" and event.actor_user_id == admin.id


def test_non_admin_cannot_verify_and_the_attempt_is_audited(db, user_factory, org_factory):
    commissioner = user_factory("commissioner")
    org = org_factory("provider")
    with pytest.raises(NotPermitted):
        services.verify_organisation(org, commissioner, ofsted_urn="SC1")
    assert not org.is_verified
    assert _last_event(db, "security.refused").actor_user_id == commissioner.id


def test_role_change_is_audited_with_before_and_after(db, user_factory, org_factory):
    admin = user_factory("admin")
    person = user_factory(None, organisation=org_factory("commissioning_unit"))
    services.assign_role(person, "commissioner", admin)
    event = _last_event(db, "account.role_changed")
    assert '"from":null' in event.payload and '"to":"commissioner"' in event.payload


def test_in_house_provider_staff_cannot_be_made_commissioners(db, user_factory, org_factory):
    admin = user_factory("admin")
    unit = org_factory("provider", provider_type="in_house", council="Calderbrook Council")
    person = user_factory("provider", organisation=unit)
    with pytest.raises(RuleViolation, match="can only hold"):
        services.assign_role(person, "commissioner", admin)
    assert person.role == "provider"


def test_admin_cannot_remove_their_own_admin_role(db, user_factory):
    admin = user_factory("admin")
    with pytest.raises(RuleViolation, match="your own"):
        services.assign_role(admin, None, admin)


def test_admin_sets_a_consortiums_member_councils_on_the_public_record(db, org_factory, user_factory):
    admin = user_factory("admin")
    a, b = org_factory("commissioning_unit"), org_factory("commissioning_unit")
    consortium = org_factory("consortium")
    services.set_consortium_members(consortium, [a, b], admin)
    assert {o.id for o in db.session.get(Organisation, consortium.id).consortium_members} == {a.id, b.id}
    assert _last_event(db, "organisation.consortium_members_set").audience == "public"
    with pytest.raises(RuleViolation):
        services.set_consortium_members(consortium, [org_factory("provider")], admin)
    with pytest.raises(NotPermitted):
        services.set_consortium_members(consortium, [], user_factory("commissioner"))
    assert len(db.session.get(Organisation, consortium.id).consortium_members) == 2


def test_admin_resets_a_lost_two_factor_and_the_person_must_set_it_up_again(db, user_factory):
    from accounts import policy

    admin, commissioner = user_factory("admin"), user_factory("commissioner")
    with pytest.raises(RuleViolation):
        services.reset_two_factor(commissioner, admin, reason=" ")
    services.reset_two_factor(commissioner, admin, reason="Phone lost; identity checked by a video call")
    assert not commissioner.has_totp and policy.needs_two_factor_setup(commissioner)
    assert _last_event(db, "account.totp_reset").actor_user_id == admin.id


def test_suspended_people_cannot_sign_in_but_their_record_stays(db, user_factory):
    from tests.conftest import PASSWORD

    admin, provider = user_factory("admin"), user_factory("provider")
    services.set_suspended(provider, True, admin, reason="Left the organisation")
    with pytest.raises(RuleViolation, match="suspended"):
        services.authenticate(provider.email, PASSWORD)
    services.set_suspended(provider, False, admin, reason="Returned")
    assert services.authenticate(provider.email, PASSWORD) is provider


def test_only_admins_reset_two_factor_or_suspend(db, user_factory):
    auditor, target = user_factory("auditor"), user_factory("commissioner")
    with pytest.raises(NotPermitted):
        services.reset_two_factor(target, auditor, reason="x")
    with pytest.raises(NotPermitted):
        services.set_suspended(target, True, auditor, reason="x")
    assert target.has_totp and not target.is_suspended
