"""Account and organisation operations: the only code that changes them.

Every function checks its rule, makes the change and writes its audit event in
the caller's transaction; the view or CLI command commits once.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pyotp
from flask import current_app
from sqlalchemy import func, select

import trail
from accounts import policy
from accounts.models import LEGAL_FORMS, ORG_KINDS, PROVIDER_TYPES, AccountToken, ApiToken, Organisation, User
from accounts.notifications import notify
from accounts.passwords import DUMMY_HASH, check_password, hash_password, password_problem
from core.clock import utcnow
from core.errors import DomainError, NotPermitted, RuleViolation
from core.extensions import db
from core.markdown import render_markdown
from core.urls import external_url, url_for_path
from trail.events import record_refusal
from trail.outbox import queue_email


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# ---------------------------------------------------------------- organisations


@dataclass
class NewOrganisation:
    name: str
    kind: str
    provider_type: str | None = None
    council: str | None = None
    region: str | None = None
    website: str | None = None
    about_md: str = ""
    legal_form: str | None = None  # a key of LEGAL_FORMS, optional at registration


def create_organisation(details: NewOrganisation, actor: User | None = None) -> Organisation:
    name = " ".join((details.name or "").split())
    if not name:
        raise RuleViolation({"org_name": "Enter the name of your organisation"})
    if details.kind not in ORG_KINDS or details.kind == "operator" and actor is not None:
        raise RuleViolation({"org_kind": "Select what kind of organisation it is"})
    if details.kind == "provider" and details.provider_type not in PROVIDER_TYPES:
        raise RuleViolation({"provider_type": "Select what kind of provider it is"})
    if details.provider_type == "in_house" and not (details.council or "").strip():
        raise RuleViolation({"council": "Enter the council the in-house provider unit belongs to"})
    if details.legal_form and details.legal_form not in LEGAL_FORMS:
        raise RuleViolation({"legal_form": "Select the organisation's legal form from the list"})
    exists = db.session.scalar(select(Organisation.id).where(func.lower(Organisation.name) == name.lower()))
    if exists:
        raise RuleViolation({"org_name": f"{name} is already registered: choose it from the list instead"})
    org = Organisation(
        name=name,
        kind=details.kind,
        provider_type=details.provider_type if details.kind == "provider" else None,
        council=(details.council or "").strip() or None,
        region=(details.region or "").strip() or None,
        website=(details.website or "").strip() or None,
        about_md=details.about_md or "",
        about_html=render_markdown(details.about_md or ""),
        legal_form=details.legal_form or None,
        created_at=utcnow(),
    )
    db.session.add(org)
    db.session.flush()
    trail.record(
        "organisation.created",
        actor=actor,
        subject=org,
        audience="public",
        summary=f"Organisation registered: {org.name} ({org.kind_label})",
        payload={"name": org.name, "kind": org.kind, "provider_type": org.provider_type, "council": org.council,
                 "legal_form": org.legal_form},
    )
    return org


def set_legal_form(org: Organisation, actor: User, legal_form: str | None) -> Organisation:
    """Record the organisation's legal form (company, CIC, charity...): public, and shown on its profile."""
    if not policy.can_set_legal_form(actor, org):
        record_refusal(actor, "organisation.legal_form", "not a member of the organisation or an administrator",
                       detail={"organisation_id": org.id})
        raise NotPermitted("Only the organisation's own people or an administrator can record its legal form.")
    if legal_form not in LEGAL_FORMS:
        raise RuleViolation({"legal_form": "Select the organisation's legal form"})
    before = org.legal_form
    org.legal_form = legal_form
    db.session.flush()
    trail.record("organisation.legal_form_set", actor=actor, subject=org, audience="public",
                 summary=f"{org.name}'s legal form recorded: {org.legal_form_label}",
                 payload={"before": before, "after": legal_form})
    return org


def verify_organisation(org: Organisation, actor: User, *, ofsted_urn: str = "", companies_house_number: str = "",
                        charity_number: str = "", gss_code: str = "", note: str = "") -> Organisation:
    """An admin checks a public register and records what they checked."""
    if not policy.can_administer(actor):
        record_refusal(actor, "organisation.verify", "not an administrator", detail={"organisation_id": org.id})
        raise NotPermitted("Only administrators can verify organisations.")
    identifiers = {
        "ofsted_urn": ofsted_urn.strip(),
        "companies_house_number": companies_house_number.strip(),
        "charity_number": charity_number.strip(),
        "gss_code": gss_code.strip(),
    }
    if org.is_verified:
        raise RuleViolation({"": f"{org.name} is already verified"})
    if org.is_provider and not any(identifiers[k] for k in ("ofsted_urn", "companies_house_number", "charity_number")):
        raise RuleViolation(
            {"ofsted_urn": "Enter at least one of the Ofsted URN, Companies House number or charity number you checked"}
        )
    if org.is_commissioning and not identifiers["gss_code"] and not note.strip():
        raise RuleViolation({"gss_code": "Enter the council's GSS code, or say in the note how you checked it"})
    if not org.is_provider and not org.is_commissioning and not note.strip():
        raise RuleViolation({"note": "Say how you checked this organisation"})
    for key, value in identifiers.items():
        if value:
            setattr(org, key, value)
    org.verified_at = utcnow()
    org.verified_by_id = actor.id
    org.verification_note = note.strip() or None
    db.session.flush()
    trail.record(
        "organisation.verified",
        actor=actor,
        subject=org,
        audience="public",
        summary=f"{org.name} verified",
        payload={**{k: v for k, v in identifiers.items() if v}, "note": org.verification_note},
    )
    _tell_people_verified(org)
    return org


def _tell_people_verified(org: Organisation) -> None:
    """Everyone in the organisation learns it is verified: an email now, and a notification in the app."""
    people = list(db.session.scalars(
        select(User).where(User.organisation_id == org.id, User.is_suspended.is_(False)).order_by(User.id)))
    what_now = ("You can now submit responses to open tenders." if org.is_provider
                else "People in it can now be given their roles.")
    for person in people:
        queue_email(
            person.email,
            f"{org.name} is verified on Commissioning Commons",
            f"Hello {person.full_name},\n\nAn administrator has checked {org.name} and verified it. {what_now}\n\n"
            f"Open tenders: {external_url('tenders.index')}\n"
            f"Your organisation: {external_url('accounts.organisation', org_id=org.id)}\n",
        )
    notify(people, title=f"{org.name} is verified: "
                         + ("you can now respond to open tenders" if org.is_provider else "it can now take part fully"),
           url=url_for_path("accounts.organisation", org_id=org.id), event="organisation.verified")


# ---------------------------------------------------------------- registration


def _revoke_tokens(user: User, purpose: str) -> None:
    """End every live link of this kind the person has been sent.

    Called when a newer link goes out and when what the links were for has
    happened (the password changed, the address is confirmed), so only the
    latest email can ever be acted on.
    """
    now = utcnow()
    for token in db.session.scalars(select(AccountToken).where(
            AccountToken.user_id == user.id, AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None), AccountToken.revoked_at.is_(None))):
        token.revoked_at = now


def _issue_token(user: User, purpose: str, lifetime: timedelta) -> str:
    """A new link of this kind; every earlier one stops working."""
    _revoke_tokens(user, purpose)
    raw = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(AccountToken(user_id=user.id, purpose=purpose, token_hash=_hash_token(raw),
                                created_at=now, expires_at=now + lifetime))
    db.session.flush()
    return raw


def _set_password(user: User, new_password: str) -> None:
    """Every password change goes through here: it signs out every session and ends every reset link."""
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    _revoke_tokens(user, "reset_password")


def _mark_email_confirmed(user: User) -> None:
    """However the address is confirmed, no other confirmation link is left working."""
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    _revoke_tokens(user, "confirm_email")


def _send_confirmation(user: User) -> None:
    raw = _issue_token(user, "confirm_email", timedelta(hours=current_app.config["EMAIL_TOKEN_HOURS"]))
    link = external_url("accounts.confirm_email", token=raw)
    queue_email(
        user.email,
        "Confirm your email address for Commissioning Commons",
        f"Hello {user.full_name},\n\nConfirm your email address to finish registering:\n\n{link}\n\n"
        f"The link works once and expires in {current_app.config['EMAIL_TOKEN_HOURS']} hours.\n"
        "If you did not register, ignore this email.",
    )


def _tell_owner_about_registration(owner: User) -> None:
    """Someone registered with an address that has an account: tell its owner, and nobody else.

    An owner who has not confirmed yet gets a new confirmation link, since
    that is most likely why they registered again.
    """
    confirm = ""
    if owner.email_confirmed_at is None:
        hours = current_app.config["EMAIL_TOKEN_HOURS"]
        raw = _issue_token(owner, "confirm_email", timedelta(hours=hours))
        link = external_url("accounts.confirm_email", token=raw)
        confirm = (f"You have not confirmed your address yet. Confirm it here (the link works once and expires in "
                   f"{hours} hours):\n\n{link}\n\n")
    queue_email(
        owner.email,
        "Someone tried to register with your email address",
        f"Hello {owner.full_name},\n\nSomeone (we hope you) tried to register on Commissioning Commons with this "
        f"email address, but you already have an account.\n\n{confirm}"
        f"Sign in here:\n\n{external_url('accounts.sign_in')}\n\n"
        f"Forgotten your password? Reset it here:\n\n{external_url('accounts.forgot_password')}\n\n"
        "If it was not you, ignore this email: nothing about your account has changed.",
    )
    trail.record("account.registration_existing_email", actor_label="anonymous", subject=owner,
                 summary="Registration tried with the email address of an existing account: its owner was emailed",
                 payload={"email": owner.email})


def register(*, full_name: str, email: str, password: str, job_title: str = "",
             organisation: Organisation | None = None, new_organisation: NewOrganisation | None = None) -> User | None:
    """Open registration: anyone may register, into an existing or a new organisation.

    Provider staff get the provider role at once (engagement must be open to
    all); commissioners, auditors and admins wait for an administrator to
    grant their role, so nobody can claim a council's powers by signing up.

    An address that already has an account gets the same answer as a new one,
    so the form cannot be used to find out who has an account: no account is
    made or changed, the owner is emailed instead (as a reset request for an
    unknown address is answered the same as for a known one), and the result
    is None.
    """
    email = normalise_email(email)
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise RuleViolation({"full_name": "Enter your full name"})
    problem = password_problem(password, email=email, full_name=full_name)
    if problem:
        raise RuleViolation({"password": problem})
    if (organisation is None) == (new_organisation is None):
        raise RuleViolation({"organisation": "Choose your organisation, or register a new one"})
    if organisation is None:
        # Made whoever owns the address: a new organisation that appeared only for new addresses
        # would tell anyone who looks at the list which addresses have an account.
        organisation = create_organisation(new_organisation)
    password_hash = hash_password(password)  # either way, so neither answer is quicker
    existing = db.session.scalar(select(User).where(User.email == email))
    if existing is not None:
        _tell_owner_about_registration(existing)
        return None
    user = User(
        email=email,
        full_name=full_name,
        job_title=(job_title or "").strip() or None,
        password_hash=password_hash,
        organisation_id=organisation.id,
        role="provider" if organisation.kind == "provider" else None,
        created_at=utcnow(),
        session_version=1,
        is_suspended=False,
    )
    db.session.add(user)
    db.session.flush()
    trail.record(
        "account.created",
        actor=user,
        subject=user,
        summary=f"{user.full_name} registered with {organisation.name}",
        payload={"email": user.email, "organisation_id": organisation.id, "role": user.role},
    )
    _send_confirmation(user)
    return user


REVOKED_LINK_MESSAGE = {
    "reset_password": "This link no longer works: a newer reset link was sent, or the password has been changed "
                      "since. Use the link in the newest email, or ask for a new one.",
    "confirm_email": "This link no longer works: a newer confirmation link was sent, or the address is already "
                     "confirmed. Use the link in the newest email, or sign in.",
}


def _redeem_token(raw: str, purpose: str) -> AccountToken:
    """Find a live token or refuse, auditing why: expired and reused links are security events."""
    token = db.session.scalar(select(AccountToken).where(AccountToken.token_hash == _hash_token(raw or "")))
    if token is None or token.purpose != purpose:
        record_refusal(None, f"token.{purpose}", "unknown token")
        raise RuleViolation({"": "This link is not valid. Check you copied the whole link from the email."})
    if token.used_at is not None:
        record_refusal(token.user, f"token.{purpose}", "token already used", detail={"token_id": token.id})
        raise RuleViolation({"": "This link has already been used. Links work once only: ask for a new one."})
    if token.revoked_at is not None:
        record_refusal(token.user, f"token.{purpose}", "token revoked", detail={"token_id": token.id})
        raise RuleViolation({"": REVOKED_LINK_MESSAGE[purpose]})
    if token.expires_at < utcnow():
        record_refusal(token.user, f"token.{purpose}", "token expired", detail={"token_id": token.id})
        raise RuleViolation({"": "This link has expired. Ask for a new one."})
    token.used_at = utcnow()
    return token


def check_token(raw: str, purpose: str) -> AccountToken | None:
    """Read-only: is this link still usable? (For showing the form it leads to.)"""
    token = db.session.scalar(select(AccountToken).where(AccountToken.token_hash == _hash_token(raw or "")))
    if (token is None or token.purpose != purpose or token.used_at is not None or token.revoked_at is not None
            or token.expires_at < utcnow()):
        return None
    return token


def confirm_email(raw_token: str) -> User:
    token = _redeem_token(raw_token, "confirm_email")
    user = token.user
    _mark_email_confirmed(user)
    db.session.flush()
    trail.record(
        "account.email_confirmed", actor=user, subject=user, summary=f"{user.full_name} confirmed their email address"
    )
    return user


def resend_confirmation(email: str) -> None:
    """Send a fresh link if there is an unconfirmed account; say nothing either way."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or user.email_confirmed_at is not None:
        return
    _send_confirmation(user)
    trail.record("account.confirmation_resent", actor=user, subject=user, summary="Confirmation email sent again")


# ---------------------------------------------------------------- signing in


def authenticate(email: str, password: str, *, ip: str | None = None) -> User:
    """Check a password; every failure is audited with the address it came from."""
    email = normalise_email(email)
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        check_password(DUMMY_HASH, password or "")
        trail.record("auth.sign_in_failed", actor_label="anonymous", summary="Sign-in failed: unknown email address",
                     payload={"email": email, "ip": ip, "reason": "unknown email"})
        raise RuleViolation({"email": "The email address or password is wrong"})
    if not check_password(user.password_hash, password or ""):
        trail.record("auth.sign_in_failed", actor=user, subject=user, summary="Sign-in failed: wrong password",
                     payload={"email": email, "ip": ip, "reason": "wrong password"})
        raise RuleViolation({"email": "The email address or password is wrong"})
    if user.is_suspended:
        record_refusal(user, "auth.sign_in", "account suspended", detail={"ip": ip})
        raise RuleViolation({"email": "This account is suspended. Contact the platform administrators."})
    if user.email_confirmed_at is None:
        trail.record("auth.sign_in_failed", actor=user, subject=user, summary="Sign-in refused: email not confirmed",
                     payload={"email": email, "ip": ip, "reason": "email not confirmed"})
        raise RuleViolation(
            {"email": "Confirm your email address first: use the link we sent you, or ask for a new one"}
        )
    return user


def complete_sign_in(user: User, *, ip: str | None = None, method: str = "password") -> None:
    user.last_sign_in_at = utcnow()
    db.session.flush()
    trail.record("auth.signed_in", actor=user, subject=user, summary=f"{user.full_name} signed in",
                 payload={"ip": ip, "method": method})


def sign_out(user: User) -> None:
    # Sessions are signed cookies: clearing this browser's copy does not stop a copied one.
    # A new session_version revokes every cookie issued so far (load_user refuses them).
    user.session_version += 1
    db.session.flush()
    trail.record("auth.signed_out", actor=user, subject=user, summary=f"{user.full_name} signed out")


def _totp_step(secret: str, code: str) -> int | None:
    """The time step a code belongs to (one step of clock drift allowed), or None."""
    code = "".join((code or "").split())
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    moment = int(time.time())
    for offset in (-1, 0, 1):
        if hmac.compare_digest(totp.at(moment, counter_offset=offset), code):
            return moment // totp.interval + offset
    return None


def check_totp(user: User, code: str, *, ip: str | None = None) -> None:
    """Second step of sign-in. Wrong and replayed codes are refused and audited."""
    step = _totp_step(user.totp_secret or "", code)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        reason = "wrong code" if step is None else "code already used"
        trail.record("auth.totp_failed", actor=user, subject=user, summary=f"Two-factor sign-in failed: {reason}",
                     payload={"ip": ip, "reason": reason})
        raise RuleViolation(
            {"code": "The code is wrong or has already been used: enter the current code from your app"}
        )
    user.totp_last_step = step
    db.session.flush()


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=current_app.config["TOTP_ISSUER"])


def enable_totp(user: User, secret: str, code: str) -> None:
    """Turn on two-factor sign-in once the person proves their app makes the right codes."""
    if user.has_totp:
        raise RuleViolation({"code": "Two-factor sign-in is already set up"})
    step = _totp_step(secret, code)
    if step is None:
        trail.record("auth.totp_setup_failed", actor=user, subject=user, summary="Two-factor set-up failed: wrong code")
        raise RuleViolation({"code": "The code is wrong: check the time on your phone and enter the current code"})
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    db.session.flush()
    trail.record(
        "account.totp_enabled", actor=user, subject=user, summary=f"{user.full_name} set up two-factor sign-in"
    )


# ---------------------------------------------------------------- passwords


def request_password_reset(email: str, *, ip: str | None = None) -> None:
    """Email a reset link if the account exists; the page says the same either way."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        trail.record("account.password_reset_unknown", actor_label="anonymous",
                     summary="Password reset asked for an unknown email address",
                     payload={"email": normalise_email(email), "ip": ip})
        return
    minutes = current_app.config["RESET_TOKEN_MINUTES"]
    raw = _issue_token(user, "reset_password", timedelta(minutes=minutes))
    link = external_url("accounts.reset_password", token=raw)
    queue_email(
        user.email,
        "Reset your Commissioning Commons password",
        f"Hello {user.full_name},\n\nSomeone (we hope you) asked to reset your password. Choose a new one here:\n\n"
        f"{link}\n\nThe link works once and expires in {minutes} minutes. If it was not you, ignore this email: "
        "your password has not changed.",
    )
    trail.record("account.password_reset_requested", actor=user, subject=user, summary="Password reset requested",
                 payload={"ip": ip})


def reset_password(raw_token: str, new_password: str) -> User:
    token = check_token(raw_token, "reset_password")
    user = token.user if token else None
    if user is not None:
        problem = password_problem(new_password, email=user.email, full_name=user.full_name)
        if problem:
            raise RuleViolation({"password": problem})
    token = _redeem_token(raw_token, "reset_password")
    user = token.user
    _set_password(user, new_password)
    _mark_email_confirmed(user)  # they proved they read the inbox
    db.session.flush()
    trail.record("account.password_reset", actor=user, subject=user, summary=f"{user.full_name} reset their password")
    return user


# ---------------------------------------------------------------- administration


def assign_role(target: User, role: str | None, actor: User) -> User:
    role = role or None
    if not policy.can_administer(actor):
        record_refusal(
            actor, "account.assign_role", "not an administrator", detail={"user_id": target.id, "role": role}
        )
        raise NotPermitted("Only administrators can assign roles.")
    if not policy.can_assign_role(actor, target, role):
        allowed = ", ".join(sorted(policy.allowed_roles(target.organisation))) or "none"
        raise RuleViolation({"role": f"People in {target.organisation.name} can only hold these roles: {allowed}"})
    if target.id == actor.id and role != "admin":
        raise RuleViolation({"role": "You cannot remove your own administrator role: ask another administrator"})
    old = target.role
    if old == role:
        raise RuleViolation({"role": f"{target.full_name} already has that role"})
    target.role = role
    target.session_version += 1  # new powers (or fewer) take effect at next sign-in
    db.session.flush()
    trail.record(
        "account.role_changed",
        actor=actor,
        subject=target,
        summary=f"{target.full_name}: role changed from {old or 'none'} to {role or 'none'}",
        payload={"user_id": target.id, "from": old, "to": role},
    )
    return target


def create_admin(
    *, email: str, full_name: str, password: str, operator_name: str = "Commissioning Commons operations"
) -> User:
    """Bootstrap an administrator from the command line (there is no other way to get the first)."""
    problem = password_problem(password, email=email, full_name=full_name)
    if problem:
        raise RuleViolation({"password": problem})
    operator = db.session.scalar(select(Organisation).where(Organisation.kind == "operator"))
    if operator is None:
        operator = create_organisation(NewOrganisation(name=operator_name, kind="operator"))
        operator.verified_at = utcnow()
        operator.verification_note = "Platform operator, created at installation"
    email = normalise_email(email)
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise RuleViolation({"email": "An account with this email address already exists"})
    user = User(email=email, full_name=full_name, password_hash=hash_password(password), organisation_id=operator.id,
                role="admin", email_confirmed_at=utcnow(), created_at=utcnow(), session_version=1, is_suspended=False)
    db.session.add(user)
    db.session.flush()
    trail.record("account.created", subject=user, summary=f"Administrator {full_name} created from the command line",
                 payload={"email": email, "role": "admin", "organisation_id": operator.id})
    return user


def load_user(session_id: str) -> User | None:
    """Flask-Login's loader: a stale session_version means the session was revoked."""
    try:
        user_id, version = (int(part) for part in session_id.split(":"))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.session_version != version:
        return None
    return user


def admin_confirm_email(user: User, actor: User | None, *, reason: str) -> User:
    """An administrator vouches for an address (e.g. confirmed by phone). Always with a reason."""
    if actor is not None and not policy.can_administer(actor):
        record_refusal(actor, "account.admin_confirm_email", "not an administrator", detail={"user_id": user.id})
        raise NotPermitted("Only administrators can confirm an email address for someone else.")
    if not reason.strip():
        raise RuleViolation({"reason": "Say how the email address was confirmed"})
    if user.email_confirmed_at is not None:
        raise RuleViolation({"": f"{user.email} is already confirmed"})
    _mark_email_confirmed(user)
    db.session.flush()
    trail.record("account.email_confirmed", actor=actor, subject=user,
                 summary=f"Email address of {user.full_name} confirmed by an administrator",
                 payload={"reason": reason.strip()})
    return user


def reset_two_factor(target: User, actor: User, *, reason: str) -> User:
    """For a lost phone: the person sets up two-factor again at their next sign-in."""
    if not policy.can_administer(actor):
        record_refusal(actor, "account.reset_two_factor", "not an administrator", detail={"user_id": target.id})
        raise NotPermitted("Only administrators can reset two-factor sign-in.")
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation({"reason": "Say how you confirmed who asked for the reset"})
    if not target.has_totp:
        raise RuleViolation({"reason": f"{target.full_name} has no two-factor sign-in to reset"})
    target.totp_secret = None
    target.totp_enabled_at = None
    target.totp_last_step = None
    target.session_version += 1  # signs them out everywhere
    db.session.flush()
    trail.record("account.totp_reset", actor=actor, subject=target,
                 summary=f"Two-factor sign-in reset for {target.full_name}", payload={"reason": reason})
    return target


def set_suspended(target: User, suspended: bool, actor: User, *, reason: str) -> User:
    """Suspending keeps the account and everything it did on the record; it only stops sign-in."""
    if not policy.can_administer(actor):
        record_refusal(actor, "account.suspend", "not an administrator", detail={"user_id": target.id})
        raise NotPermitted("Only administrators can suspend accounts.")
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation({"reason": "Give the reason"})
    if target.id == actor.id:
        raise RuleViolation({"reason": "You cannot suspend yourself"})
    if target.is_suspended == suspended:
        raise RuleViolation({"reason": f"{target.full_name} is already {'suspended' if suspended else 'active'}"})
    target.is_suspended = suspended
    target.session_version += 1
    db.session.flush()
    trail.record("account.suspended" if suspended else "account.reinstated", actor=actor, subject=target,
                 summary=f"{target.full_name} {'suspended' if suspended else 'reinstated'}", payload={"reason": reason})
    return target


def set_consortium_members(consortium: Organisation, members: list[Organisation], actor: User) -> Organisation:
    """Which councils commission together: their commissioners may run the consortium's forums."""
    if not policy.can_administer(actor):
        record_refusal(actor, "organisation.consortium_members", "not an administrator",
                       detail={"organisation_id": consortium.id})
        raise NotPermitted("Only administrators can change a consortium's members.")
    if consortium.kind != "consortium":
        raise RuleViolation({"": f"{consortium.name} is not a consortium"})
    if any(member.kind != "commissioning_unit" for member in members):
        raise RuleViolation({"members": "A consortium's members must be councils' commissioning units"})
    before = sorted(member.id for member in consortium.consortium_members)
    consortium.consortium_members = list(members)
    db.session.flush()
    trail.record("organisation.consortium_members_set", actor=actor, subject=consortium, audience="public",
                 summary=f"{consortium.name}: members now {', '.join(m.name for m in members) or 'none'}",
                 payload={"from": before, "to": sorted(member.id for member in members)})
    return consortium


# ---------------------------------------------------------------- personal API tokens

API_TOKEN_PREFIX = "ccapi_"
API_TOKEN_MAX_DAYS = 366
# A request refreshes last_used_at only when it is older than this, so reads are not all writes.
API_TOKEN_USE_GRANULARITY = timedelta(minutes=1)
_API_TOKEN_BODY = re.compile(r"^[A-Za-z0-9_-]{43}$")


class TokenRefused(DomainError):
    """A token the API does not accept (malformed, unknown, revoked, expired, or its holder may not use it)."""


def well_formed_api_token(raw: str) -> bool:
    return raw.startswith(API_TOKEN_PREFIX) and bool(_API_TOKEN_BODY.match(raw[len(API_TOKEN_PREFIX):]))


def create_api_token(actor: User, *, name: str, expires_on: date | None, now: datetime) -> tuple[ApiToken, str]:
    """Make a token for the actor and return it with its secret (shown once, never stored)."""
    if not policy.can_hold_api_token(actor):
        record_refusal(actor, "api_token.create", "not an auditor or commissioner who may sign in")
        raise NotPermitted("Only auditors and commissioners can have API tokens.")
    name = " ".join((name or "").split())
    if not name:
        raise RuleViolation({"name": "Enter a name for the token, like the program that will use it"})
    if len(name) > 100:
        raise RuleViolation({"name": "The name must be 100 characters or fewer"})
    expires_at = None
    if expires_on is not None:
        if expires_on <= now.date():
            raise RuleViolation({"expires_on": "The expiry date must be in the future"})
        if expires_on > now.date() + timedelta(days=API_TOKEN_MAX_DAYS):
            raise RuleViolation({"expires_on": "The expiry date must be within a year from today"})
        expires_at = datetime.combine(expires_on, datetime.min.time())
    raw = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=actor.id, name=name, token_hash=_hash_token(raw), created_at=now, expires_at=expires_at)
    db.session.add(token)
    db.session.flush()
    trail.record("api_token.created", actor=actor, subject=token,
                 summary=f"{actor.full_name} created the API token “{name}”",
                 payload={"token_id": token.id, "name": name,
                          "expires_at": expires_at.isoformat() if expires_at else None})
    return token, raw


def revoke_api_token(token: ApiToken, actor: User, *, now: datetime) -> ApiToken:
    if not policy.can_revoke_api_token(actor, token):
        record_refusal(actor, "api_token.revoke", "not the token's holder", detail={"token_id": token.id})
        raise NotPermitted("You can only revoke your own API tokens.")
    if token.is_revoked:
        raise RuleViolation({"": f"The token “{token.name}” is already revoked"})
    token.revoked_at = now
    token.revoked_by_id = actor.id
    db.session.flush()
    trail.record("api_token.revoked", actor=actor, subject=token,
                 summary=f"API token “{token.name}” of {token.user.full_name} revoked",
                 payload={"token_id": token.id, "holder_id": token.user_id})
    return token


def api_tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(),
                                             ApiToken.id.desc())))


def find_api_token(raw: str) -> ApiToken | None:
    """Read-only lookup by hash (the raw value is never compared or stored)."""
    if not well_formed_api_token(raw):
        return None
    return db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash_token(raw)))


def api_token_problem(token: ApiToken | None, now: datetime) -> str | None:
    """Why the API would refuse this token (for the audit trail), or None if it works."""
    if token is None:
        return "unknown token"
    if token.is_revoked:
        return "revoked token"
    if token.is_expired(now):
        return "expired token"
    if not policy.can_hold_api_token(token.user):
        return "holder may not use API tokens (suspended, role removed or two-factor reset)"
    return None


def api_token_needs_write(token: ApiToken | None, now: datetime) -> bool:
    """Whether using this token writes anything: a refusal to audit, or a stale last-used time."""
    if api_token_problem(token, now) is not None:
        return True
    return token.last_used_at is None or now - token.last_used_at >= API_TOKEN_USE_GRANULARITY


def use_api_token(raw: str, *, now: datetime, ip: str | None = None) -> User:
    """Accept a presented token and return its holder, or audit the refusal and raise TokenRefused.

    The audit record names the token by id when it exists, never by value.
    """
    if not well_formed_api_token(raw):
        record_refusal(None, "api_token.use", "malformed token", actor_label=f"anonymous ({ip})")
        raise TokenRefused("The bearer token is malformed.")
    token = find_api_token(raw)
    problem = api_token_problem(token, now)
    if problem is not None:
        if token is None:
            record_refusal(None, "api_token.use", problem, actor_label=f"anonymous ({ip})")
        else:
            record_refusal(token.user, "api_token.use", problem,
                           detail={"token_id": token.id, "holder_id": token.user_id, "ip": ip})
        raise TokenRefused("The bearer token is not valid: it is unknown, revoked or expired, "
                           "or its holder can no longer use the API.")
    if token.last_used_at is None or now - token.last_used_at >= API_TOKEN_USE_GRANULARITY:
        token.last_used_at = now
        db.session.flush()
    return token.user
