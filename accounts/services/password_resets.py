"""Forgotten passwords: the reset link and the new password."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

import trail
from accounts.models import User
from accounts.passwords import password_problem
from accounts.services.registration import normalise_email
from accounts.services.tokens import check_token, issue_token, mark_email_confirmed, redeem_token, set_password
from core.errors import RuleViolation
from core.extensions import db
from core.urls import external_url
from trail.outbox import queue_email


def request_password_reset(email: str, *, ip: str | None = None) -> None:
    """Email a reset link if the account exists; the page says the same either way."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        trail.record("account.password_reset_unknown", actor_label="anonymous",
                     summary="Password reset asked for an unknown email address",
                     payload={"email": normalise_email(email), "ip": ip})
        return
    minutes = current_app.config["RESET_TOKEN_MINUTES"]
    raw = issue_token(user, "reset_password", timedelta(minutes=minutes))
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
    token = redeem_token(raw_token, "reset_password")
    user = token.user
    set_password(user, new_password)
    mark_email_confirmed(user)  # they proved they read the inbox
    db.session.flush()
    trail.record("account.password_reset", actor=user, subject=user, summary=f"{user.full_name} reset their password")
    return user
