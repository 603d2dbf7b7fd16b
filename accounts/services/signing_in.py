"""Signing in and out: the password, the second factor (TOTP), and the session loader."""
from __future__ import annotations

import hmac
import time

import pyotp
from flask import current_app
from sqlalchemy import select

import trail
from accounts.models import User
from accounts.passwords import DUMMY_HASH, check_password
from accounts.services.registration import normalise_email
from core.clock import utcnow
from core.errors import RuleViolation
from core.extensions import db
from trail.events import record_refusal


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
