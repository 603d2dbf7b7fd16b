"""Account forms. They validate input; services apply the rules and save."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import PasswordField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional, ValidationError

from accounts.models import LEGAL_FORMS, ORG_KINDS, PROVIDER_TYPES, ROLES
from core.forms import AppForm, DateField
from core.vocabulary import REGIONS

EMAIL_VALIDATORS = [
    InputRequired(message="Enter your email address"),
    Length(max=254, message="Email address must be 254 characters or fewer"),
    Email(message="Enter an email address in the correct format, like name@example.org", check_deliverability=False),
]

REGISTRABLE_KINDS = [(k, v) for k, v in ORG_KINDS.items() if k != "operator"]


class RegisterForm(AppForm):
    full_name = StringField("Full name", widget=GovTextInput(),
                            validators=[InputRequired(message="Enter your full name"), Length(max=200)])
    email = StringField("Email address", widget=GovTextInput(), validators=EMAIL_VALIDATORS,
                        description="Use your work email address. We will send you a link to confirm it.")
    job_title = StringField("Job title (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    password = PasswordField(
        "Password", widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter a password"), Length(max=256)],
        description="At least 12 characters. Three or four random words are easy to remember and hard to guess.",
    )
    password_confirm = PasswordField(
        "Confirm password", widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter the password again"),
                    EqualTo("password", message="The passwords do not match")],
    )
    organisation = SelectField(
        "Your organisation", widget=GovSelect(), validate_choice=True,
        description="Choose it if it is already registered. Otherwise choose “Not listed” and tell us about it below.",
    )
    org_name = StringField("Organisation name", widget=GovTextInput(), validators=[Length(max=200)])
    # Checked below, only when a new organisation is being registered.
    org_kind = RadioField("What kind of organisation is it?", widget=GovRadioInput(),
                          choices=REGISTRABLE_KINDS, validate_choice=False)
    provider_type = RadioField("If it is a provider, what kind?", widget=GovRadioInput(),
                               choices=list(PROVIDER_TYPES.items()), validate_choice=False)
    council = StringField("Council (for a council's commissioning unit or in-house provider unit)",
                          widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    region = SelectField("Region (optional)", widget=GovSelect(),
                         choices=[("", "Choose a region")] + [(r, r) for r in REGIONS], default="",
                         validators=[Optional()])
    legal_form = SelectField("Legal form (optional)", widget=GovSelect(), validate_choice=False,
                             choices=[("", "Not given")] + list(LEGAL_FORMS.items()))
    submit = SubmitField("Register", widget=GovSubmitInput())

    def validate_org_name(self, field: StringField) -> None:
        if self.organisation.data == "new" and not (field.data or "").strip():
            raise ValidationError("Enter the name of your organisation")

    def validate_org_kind(self, field: RadioField) -> None:
        if self.organisation.data == "new" and field.data not in dict(REGISTRABLE_KINDS):
            raise ValidationError("Select what kind of organisation it is")

    def validate_provider_type(self, field: RadioField) -> None:
        if self.organisation.data == "new" and self.org_kind.data == "provider" and field.data not in PROVIDER_TYPES:
            raise ValidationError("Select what kind of provider it is")


class SignInForm(AppForm):
    email = StringField("Email address", widget=GovTextInput(), validators=EMAIL_VALIDATORS)
    password = PasswordField("Password", widget=GovPasswordInput(),
                             validators=[InputRequired(message="Enter your password"), Length(max=256)])
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class TotpForm(AppForm):
    code = StringField(
        "Code from your authenticator app", widget=GovTextInput(),
        validators=[InputRequired(message="Enter the 6-digit code from your authenticator app"), Length(max=12)],
        description="The 6-digit code changes every 30 seconds.",
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class EmailForm(AppForm):
    email = StringField("Email address", widget=GovTextInput(), validators=EMAIL_VALIDATORS)
    submit = SubmitField("Send the link", widget=GovSubmitInput())


class ResetPasswordForm(AppForm):
    password = PasswordField("New password", widget=GovPasswordInput(),
                             validators=[InputRequired(message="Enter a new password"), Length(max=256)],
                             description="At least 12 characters.")
    password_confirm = PasswordField(
        "Confirm new password", widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter the new password again"),
                    EqualTo("password", message="The passwords do not match")],
    )
    submit = SubmitField("Save new password", widget=GovSubmitInput())


class VerifyOrganisationForm(AppForm):
    ofsted_urn = StringField("Ofsted URN", widget=GovTextInput(), validators=[Optional(), Length(max=20)])
    companies_house_number = StringField("Companies House number", widget=GovTextInput(),
                                         validators=[Optional(), Length(max=20)])
    charity_number = StringField("Charity number", widget=GovTextInput(), validators=[Optional(), Length(max=20)])
    gss_code = StringField("Council GSS code", widget=GovTextInput(), validators=[Optional(), Length(max=20)],
                           description="For example E08000025")
    note = TextAreaField("How you checked", widget=GovTextArea(), validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Verify organisation", widget=GovSubmitInput())


class LegalFormForm(AppForm):
    legal_form = RadioField("What is the organisation's legal form?", widget=GovRadioInput(),
                            choices=list(LEGAL_FORMS.items()), validate_choice=False)
    submit = SubmitField("Save the legal form", widget=GovSubmitInput())


class AssignRoleForm(AppForm):
    role = SelectField("Role", widget=GovSelect(), choices=[("", "No role")] + list(ROLES.items()),
                       validate_choice=True)
    submit = SubmitField("Change role", widget=GovSubmitInput())


class AccountActionForm(AppForm):
    """An administrator's action on someone's account, always with a reason."""

    action = SelectField("Action", widget=GovSelect(), validate_choice=True, choices=[
        ("reset_two_factor", "Reset two-factor sign-in (lost phone)"),
        ("suspend", "Suspend the account"),
        ("reinstate", "Reinstate the account"),
    ])
    reason = StringField("Reason", widget=GovTextInput(),
                         validators=[InputRequired(message="Give the reason"), Length(max=500)])
    submit = SubmitField("Apply", widget=GovSubmitInput())


class ApiTokenForm(AppForm):
    name = StringField("Token name", widget=GovTextInput(),
                       validators=[InputRequired(message="Enter a name for the token"),
                                   Length(max=100, message="The name must be 100 characters or fewer")],
                       description="Say what will use it, like “Quarterly spend report script”.")
    expires_on = DateField("Expiry date (optional)",
                           validators=[Optional()],
                           description="For example, 27 3 2027. Leave it blank for a token that works until you "
                                       "revoke it. At most a year from today.")
    submit = SubmitField("Create token", widget=GovSubmitInput())
