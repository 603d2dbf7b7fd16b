"""Who may do what with accounts, organisations and the trail.

Plain predicates over a user (anonymous users included). Views call them to
allow or refuse; templates get them as flags so buttons and routes agree.
A role only counts once the account is complete: a commissioner, auditor or
admin without two-factor sign-in has no powers until it is set up.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeGuard

if TYPE_CHECKING:
    from typing_extensions import TypeIs  # typing.TypeIs from Python 3.13

from accounts.models import COMMISSIONING_KINDS, Organisation, User, Viewer

TWO_FACTOR_ROLES = {"commissioner", "auditor", "admin"}

# Which roles an organisation's people can hold. A council's in-house provider
# unit is a provider organisation, so its people can only ever be providers.
ROLES_FOR_KIND = {
    "commissioning_unit": {"commissioner"},
    "consortium": {"commissioner"},
    "provider": {"provider"},
    "auditor_body": {"auditor"},
    "operator": {"admin"},
}


def _authenticated(user: Viewer) -> TypeIs[User]:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def requires_two_factor(user: Viewer) -> TypeGuard[User]:
    return _authenticated(user) and user.role in TWO_FACTOR_ROLES


def needs_two_factor_setup(user: Viewer) -> bool:
    return requires_two_factor(user) and not user.has_totp


def effective_role(user: Viewer) -> str | None:
    """The role the user can act in now, or None."""
    if not _authenticated(user) or user.email_confirmed_at is None:
        return None
    if needs_two_factor_setup(user):
        return None
    if user.role not in ROLES_FOR_KIND.get(user.organisation.kind, set()):
        return None
    return user.role


def is_provider(user: Viewer) -> TypeGuard[User]:
    return effective_role(user) == "provider"


def is_commissioner(user: Viewer) -> TypeGuard[User]:
    return effective_role(user) == "commissioner" and user.organisation.kind in COMMISSIONING_KINDS


def is_auditor(user: Viewer) -> TypeGuard[User]:
    return effective_role(user) == "auditor"


def is_admin(user: Viewer) -> TypeGuard[User]:
    return effective_role(user) == "admin"


def can_administer(user: Viewer) -> bool:
    """Verify organisations, assign roles, suspend accounts."""
    return is_admin(user)


def can_set_legal_form(user: Viewer, organisation: Any) -> bool:
    """An organisation's own people record its legal form; administrators can for anyone."""
    if is_admin(user):
        return True
    return effective_role(user) is not None and user.organisation_id == organisation.id \
        and organisation.kind != "operator"


def can_view_audit_trail(user: Viewer) -> bool:
    return is_auditor(user) or is_admin(user)


def can_verify_chain(user: Viewer) -> bool:
    return is_auditor(user) or is_admin(user)


def can_redact_audit_payload(user: Viewer) -> bool:
    return is_admin(user)


def can_submit_tender_responses(user: Viewer) -> bool:
    """Registration is open to every provider; bidding needs a verified organisation."""
    return is_provider(user) and user.organisation.is_verified


def awaits_verification(user: Viewer) -> bool:
    """A provider whose organisation an administrator has not yet checked: told why it cannot bid yet."""
    return is_provider(user) and not user.organisation.is_verified


def allowed_roles(organisation: Organisation) -> set[str]:
    return set(ROLES_FOR_KIND.get(organisation.kind, set()))


def can_assign_role(actor: Viewer, target: Any, role: str | None) -> bool:
    if not can_administer(actor):
        return False
    return role is None or role in allowed_roles(target.organisation)


def navigation_flags(user: Viewer) -> dict[str, bool]:
    return {
        "signed_in": _authenticated(user),
        "administer": can_administer(user),
        "audit": can_view_audit_trail(user),
        "awaits_verification": awaits_verification(user),
    }


# ---------------------------------------------------------------- personal API tokens


def can_hold_api_token(user: Viewer) -> bool:
    """Auditors and commissioners who may sign in now (two-factor set up, not suspended).

    Checked again on every API request, so a suspension, a removed role or a
    reset two-factor stops the person's tokens at once.
    """
    return (_authenticated(user) and not user.is_suspended
            and (is_auditor(user) or is_commissioner(user)))


def can_revoke_api_token(user: Viewer, token: Any) -> bool:
    """Your own tokens only. (An administrator stops someone's tokens by suspending the account.)"""
    return _authenticated(user) and token.user_id == user.id


def can_open_notification(user: Viewer, notification: Any) -> bool:
    """A notification is its recipient's alone: nobody else may follow it (or, by following, mark it read)."""
    return _authenticated(user) and notification.user_id == user.id
