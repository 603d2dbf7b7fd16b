"""One-time links (confirming an email address, resetting a password): issued, redeemed once, revoked; and
what redeeming one changes."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from accounts.models import AccountToken, User
from accounts.passwords import hash_password
from core.clock import utcnow
from core.errors import RuleViolation
from core.extensions import db
from trail.events import record_refusal


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def revoke_tokens(user: User, purpose: str) -> None:
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


def issue_token(user: User, purpose: str, lifetime: timedelta) -> str:
    """A new link of this kind; every earlier one stops working."""
    revoke_tokens(user, purpose)
    raw = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(AccountToken(user_id=user.id, purpose=purpose, token_hash=hash_token(raw),
                                created_at=now, expires_at=now + lifetime))
    db.session.flush()
    return raw


def set_password(user: User, new_password: str) -> None:
    """Every password change goes through here: it signs out every session and ends every reset link."""
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    revoke_tokens(user, "reset_password")


def mark_email_confirmed(user: User) -> None:
    """However the address is confirmed, no other confirmation link is left working."""
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    revoke_tokens(user, "confirm_email")


REVOKED_LINK_MESSAGE = {
    "reset_password": "This link no longer works: a newer reset link was sent, or the password has been changed "
                      "since. Use the link in the newest email, or ask for a new one.",
    "confirm_email": "This link no longer works: a newer confirmation link was sent, or the address is already "
                     "confirmed. Use the link in the newest email, or sign in.",
}


def redeem_token(raw: str, purpose: str) -> AccountToken:
    """Find a live token or refuse, auditing why: expired and reused links are security events."""
    token = db.session.scalar(select(AccountToken).where(AccountToken.token_hash == hash_token(raw or "")))
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
    token = db.session.scalar(select(AccountToken).where(AccountToken.token_hash == hash_token(raw or "")))
    if (token is None or token.purpose != purpose or token.used_at is not None or token.revoked_at is not None
            or token.expires_at < utcnow()):
        return None
    return token
