"""Organisations, the people in them, and single-use account tokens."""
from __future__ import annotations

from datetime import datetime

from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import Model, db

# Organisation kinds. A council's in-house provider unit is kind "provider"
# like any other provider: the commissioner/provider split of the seeds.
ORG_KINDS = {
    "commissioning_unit": "Local authority commissioning unit",
    "consortium": "Regional commissioning consortium",
    "provider": "Provider organisation",
    "auditor_body": "Audit body",
    "operator": "Platform operator",
}
COMMISSIONING_KINDS = ("commissioning_unit", "consortium")
PROVIDER_TYPES = {
    "independent": "Independent (private) provider",
    "voluntary": "Voluntary or charitable provider",
    "in_house": "Council in-house provider unit",
}
# A provider's legal form: who may own, and take profit from, a service (the Health and Social Care (Wales)
# Act 2025 restricts profit in Welsh children's homes, fostering and secure accommodation).
LEGAL_FORMS = {
    "company_limited_by_shares": "Company limited by shares",
    "company_limited_by_guarantee": "Company limited by guarantee",
    "cic": "Community interest company (CIC)",
    "charity": "Charity or charitable incorporated organisation (CIO)",
    "community_benefit_society": "Community benefit society",
    "cooperative": "Co-operative society",
    "partnership": "Partnership or limited liability partnership",
    "sole_trader": "Sole trader",
    "public_body": "Public body or council in-house service",
}
# Forms that may distribute profit to owners: the Welsh not-for-profit restrictions bear on them.
PROFIT_DISTRIBUTING_FORMS = ("company_limited_by_shares", "partnership", "sole_trader")
ROLES = {
    "provider": "Provider",
    "commissioner": "Commissioner",
    "auditor": "Auditor",
    "admin": "Administrator",
}

consortium_member = Table(
    "consortium_member",
    db.metadata,
    Column("consortium_id", ForeignKey("organisation.id"), primary_key=True),
    Column("member_id", ForeignKey("organisation.id"), primary_key=True),
)


class Organisation(Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    provider_type: Mapped[str | None] = mapped_column(String(32))
    # The council a commissioning unit or in-house provider unit belongs to;
    # informative only: policy never grants anything because two units share it.
    council: Mapped[str | None] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(100))
    website: Mapped[str | None] = mapped_column(String(300))
    about_md: Mapped[str] = mapped_column(Text, default="")
    about_html: Mapped[str] = mapped_column(Text, default="")
    ofsted_urn: Mapped[str | None] = mapped_column(String(20))
    companies_house_number: Mapped[str | None] = mapped_column(String(20))
    charity_number: Mapped[str | None] = mapped_column(String(20))
    gss_code: Mapped[str | None] = mapped_column(String(20))
    legal_form: Mapped[str | None] = mapped_column(String(40))  # a key of LEGAL_FORMS; None when not recorded
    verified_at: Mapped[datetime | None] = mapped_column(DateTime)
    verified_by_id: Mapped[int | None] = mapped_column(Integer)  # who, in the audit trail too
    verification_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    members: Mapped[list[User]] = relationship(
        back_populates="organisation", foreign_keys="User.organisation_id", order_by="User.full_name"
    )
    consortium_members: Mapped[list[Organisation]] = relationship(
        secondary=consortium_member,
        primaryjoin=id == consortium_member.c.consortium_id,
        secondaryjoin=id == consortium_member.c.member_id,
        order_by="Organisation.name",
    )

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def is_commissioning(self) -> bool:
        return self.kind in COMMISSIONING_KINDS

    @property
    def is_provider(self) -> bool:
        return self.kind == "provider"

    @property
    def legal_form_label(self) -> str:
        return LEGAL_FORMS.get(self.legal_form or "", "Not recorded")

    @property
    def kind_label(self) -> str:
        if self.kind == "provider" and self.provider_type:
            return PROVIDER_TYPES[self.provider_type]
        return ORG_KINDS[self.kind]


class User(UserMixin, Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    # None until someone trusted grants one; providers get theirs on registration.
    role: Mapped[str | None] = mapped_column(String(32))
    email_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(DateTime)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    is_suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Changing this signs the user out everywhere (Flask-Login reads get_id).
    session_version: Mapped[int] = mapped_column(Integer, default=1)

    organisation: Mapped[Organisation] = relationship(back_populates="members", foreign_keys=[organisation_id])

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return not self.is_suspended

    @property
    def has_totp(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def audit_label(self) -> str:
        return f"{self.full_name} ({self.organisation.name})"

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role or "", "No role yet")



# Whoever a permission or a view is about: a signed-in person, an anonymous visitor (Flask-Login's), or nobody.
# Policy predicates take any of them; they check `is_authenticated` before reading a person's role or organisation.
Viewer = User | AnonymousUserMixin | None

class AccountToken(Model):
    """A single-use token sent by email. Only its SHA-256 is stored.

    A link stops working when it is used, when it expires, or when it is
    revoked: by a newer link of the same kind, a password change (reset links)
    or a confirmed address (confirmation links). An old email lying in an inbox
    must not outlive the one the person acted on.
    """

    __tablename__ = "account_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))  # confirm_email | reset_password
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()


class ApiToken(Model):
    """A personal API token for the read-only JSON API. Only its SHA-256 is stored.

    The secret is shown once, when it is made; after that nobody (its owner
    included) can read it back, so a leaked database gives no working tokens.
    """

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Kept to the minute: a request updates it only when the stored time is older than that.
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at


class Notification(Model):
    """Something a person is told in the app (shown in the header with an unread count).

    Every package tells people through `accounts.notifications.notify`; the
    forum's watchers' daily digest reads `email_pending`.
    """

    __tablename__ = "notification"
    __table_args__ = (
        # The header's unread count on every page: one index-only count.
        Index("ix_notification_user_id_read_at", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    event: Mapped[str] = mapped_column(String(60), default="forum.activity")
    text: Mapped[str] = mapped_column(String(500))
    url: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
    # For the forum's daily digests: set until the notification has gone out by email.
    email_pending: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
