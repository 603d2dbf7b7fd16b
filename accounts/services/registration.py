"""Registering a person (and their organisation, when it is new), and confirming their email address."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

import trail
from accounts.models import Organisation, User
from accounts.passwords import hash_password, password_problem
from accounts.services.organisations import NewOrganisation, create_organisation
from accounts.services.tokens import issue_token, mark_email_confirmed, redeem_token
from core.clock import utcnow
from core.errors import RuleViolation
from core.extensions import db
from core.urls import external_url
from trail.outbox import queue_email


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _send_confirmation(user: User) -> None:
    raw = issue_token(user, "confirm_email", timedelta(hours=current_app.config["EMAIL_TOKEN_HOURS"]))
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
        raw = issue_token(owner, "confirm_email", timedelta(hours=hours))
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
    if new_organisation is not None:  # exactly one of the two was given
        # Made whoever owns the address: a new organisation that appeared only for new addresses
        # would tell anyone who looks at the list which addresses have an account.
        organisation = create_organisation(new_organisation)
    if organisation is None:  # one of the two is always given (refused above)
        raise RuleViolation({"organisation": "Choose your organisation, or register a new one"})
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


def confirm_email(raw_token: str) -> User:
    token = redeem_token(raw_token, "confirm_email")
    user = token.user
    mark_email_confirmed(user)
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
