"""The audit actions of accounts, organisations, sign-in and API tokens (registered by the app factory)."""

DOMAIN = "Accounts and sign-in"
ACTIONS = {
    "account.created": "A person registered an account",
    "account.confirmation_resent": "A new email-address confirmation link was sent",
    "account.email_confirmed": "A person confirmed their email address",
    "account.registration_existing_email": "Someone tried to register with an email address that has an account",
    "account.password_reset_requested": "A person asked for a password reset link",
    "account.password_reset_unknown": "A password reset was asked for an email address with no account",
    "account.password_reset": "A person set a new password with a reset link",
    "account.role_changed": "An administrator changed a person's role",
    "account.suspended": "An administrator suspended an account",
    "account.reinstated": "An administrator reinstated a suspended account",
    "account.totp_enabled": "A person turned on two-step sign-in with an authenticator app",
    "account.totp_reset": "An administrator reset a person's two-step sign-in",
    "auth.signed_in": "A person signed in",
    "auth.signed_out": "A person signed out",
    "auth.sign_in_failed": "A sign-in failed (wrong email address or password, or a suspended account)",
    "auth.totp_failed": "A two-step sign-in code was wrong",
    "auth.totp_setup_failed": "A code given while turning on two-step sign-in was wrong",
    "organisation.created": "An organisation was registered",
    "organisation.verified": "An administrator verified an organisation",
    "organisation.legal_form_set": "An organisation's legal form was recorded",
    "organisation.consortium_members_set": "The members of a consortium were recorded",
    "api_token.created": "A person created an API token",
    "api_token.revoked": "An API token was revoked",
    "notifications.read": "A person marked their notifications as read",
}
