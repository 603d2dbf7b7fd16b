"""Administration: roles, administrators, vouching for an email address, resetting two-factor, suspending."""
from __future__ import annotations

from sqlalchemy import select

import trail
from accounts import policy
from accounts.models import Organisation, User
from accounts.passwords import hash_password, password_problem
from accounts.services.organisations import NewOrganisation, create_organisation
from accounts.services.registration import normalise_email
from accounts.services.tokens import mark_email_confirmed
from core.clock import utcnow
from core.errors import NotPermitted, RuleViolation
from core.extensions import db
from trail.events import record_refusal


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


def admin_confirm_email(user: User, actor: User | None, *, reason: str) -> User:
    """An administrator vouches for an address (e.g. confirmed by phone). Always with a reason."""
    if actor is not None and not policy.can_administer(actor):
        record_refusal(actor, "account.admin_confirm_email", "not an administrator", detail={"user_id": user.id})
        raise NotPermitted("Only administrators can confirm an email address for someone else.")
    if not reason.strip():
        raise RuleViolation({"reason": "Say how the email address was confirmed"})
    if user.email_confirmed_at is not None:
        raise RuleViolation({"": f"{user.email} is already confirmed"})
    mark_email_confirmed(user)
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
