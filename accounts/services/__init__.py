"""Account and organisation operations: the only code that changes them.

Every function checks its rule, makes the change and writes its audit event in
the caller's transaction; the view or CLI command commits once.
"""
from accounts.services.administration import (
    admin_confirm_email,
    assign_role,
    create_admin,
    reset_two_factor,
    set_suspended,
)
from accounts.services.api_tokens import (
    API_TOKEN_MAX_DAYS,
    API_TOKEN_PREFIX,
    API_TOKEN_USE_GRANULARITY,
    TokenRefused,
    api_token_needs_write,
    api_token_problem,
    api_tokens_of,
    create_api_token,
    find_api_token,
    revoke_api_token,
    use_api_token,
    well_formed_api_token,
)
from accounts.services.organisations import (
    NewOrganisation,
    create_organisation,
    set_consortium_members,
    set_legal_form,
    verify_organisation,
)
from accounts.services.password_resets import request_password_reset, reset_password
from accounts.services.registration import confirm_email, normalise_email, register, resend_confirmation
from accounts.services.signing_in import (
    authenticate,
    check_totp,
    complete_sign_in,
    enable_totp,
    load_user,
    new_totp_secret,
    sign_out,
    totp_uri,
)
from accounts.services.tokens import REVOKED_LINK_MESSAGE, check_token

__all__ = [
    "API_TOKEN_MAX_DAYS",
    "API_TOKEN_PREFIX",
    "API_TOKEN_USE_GRANULARITY",
    "NewOrganisation",
    "REVOKED_LINK_MESSAGE",
    "TokenRefused",
    "admin_confirm_email",
    "api_token_needs_write",
    "api_token_problem",
    "api_tokens_of",
    "assign_role",
    "authenticate",
    "check_token",
    "check_totp",
    "complete_sign_in",
    "confirm_email",
    "create_admin",
    "create_api_token",
    "create_organisation",
    "enable_totp",
    "find_api_token",
    "load_user",
    "new_totp_secret",
    "normalise_email",
    "register",
    "request_password_reset",
    "resend_confirmation",
    "reset_password",
    "reset_two_factor",
    "revoke_api_token",
    "set_consortium_members",
    "set_legal_form",
    "set_suspended",
    "sign_out",
    "totp_uri",
    "use_api_token",
    "verify_organisation",
    "well_formed_api_token",
]
