"""Personal API tokens: created, listed, revoked, and checked on every API request."""
from __future__ import annotations

import re
import secrets
from datetime import date, datetime, timedelta

from sqlalchemy import select

import trail
from accounts import policy
from accounts.models import ApiToken, User
from accounts.services.tokens import hash_token
from core.errors import DomainError, NotPermitted, RuleViolation
from core.extensions import db
from trail.events import record_refusal

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
    token = ApiToken(user_id=actor.id, name=name, token_hash=hash_token(raw), created_at=now, expires_at=expires_at)
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
    return db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(raw)))


UNKNOWN_TOKEN = "unknown token"


def api_token_problem(token: ApiToken | None, now: datetime) -> str | None:
    """Why the API would refuse this token (for the audit trail), or None if it works."""
    if token is None:
        return UNKNOWN_TOKEN
    if token.is_revoked:
        return "revoked token"
    if token.is_expired(now):
        return "expired token"
    if not policy.can_hold_api_token(token.user):
        return "holder may not use API tokens (suspended, role removed or two-factor reset)"
    return None


def api_token_needs_write(token: ApiToken | None, now: datetime) -> bool:
    """Whether using this token writes anything: a refusal to audit, or a stale last-used time."""
    if api_token_problem(token, now) is not None or token is None:  # no token is always a problem
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
    if problem is not None or token is None:  # no token is always a problem
        problem = problem or UNKNOWN_TOKEN
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
