"""Read-only lookups the account pages need."""
from __future__ import annotations

from sqlalchemy import select

from accounts.models import ORG_KINDS, Organisation, User
from core.extensions import db


def organisation_choices() -> list[tuple[str, str]]:
    """Registered organisations for the registration form, plus a way out for new ones."""
    orgs = db.session.scalars(
        select(Organisation).where(Organisation.kind != "operator").order_by(Organisation.name)
    ).all()
    return [("", "Choose your organisation"), *[(str(o.id), f"{o.name} — {o.kind_label}") for o in orgs],
            ("new", "Not listed: register a new organisation")]


def organisations_for_review():
    """Unverified first, oldest first: the admin's to-do list."""
    return db.session.scalars(
        select(Organisation).order_by(Organisation.verified_at.is_not(None), Organisation.created_at)
    ).all()


def public_organisations(kind: str | None = None):
    query = select(Organisation).where(Organisation.kind != "operator").order_by(Organisation.name)
    if kind in ORG_KINDS:
        query = query.where(Organisation.kind == kind)
    return db.session.scalars(query).all()


def users_page(page: int, per_page: int = 50):
    return db.paginate(select(User).order_by(User.role.is_not(None), User.created_at.desc()),
                       page=page, per_page=per_page, error_out=False)


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def user_by_id(user_id: int) -> User | None:
    """The person with this id, or None: how the trail finds who started a verification run."""
    return db.session.get(User, user_id)
