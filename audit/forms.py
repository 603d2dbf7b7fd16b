"""Auditor forms."""
from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional, ValidationError

from audit import registers
from core.forms import AppForm


class TrailFilterForm(AppForm):
    """A GET form: filters are part of the URL so an auditor can share a view."""

    class Meta:
        csrf = False

    action = StringField("Action starts with", widget=GovTextInput(), validators=[Optional(), Length(max=80)],
                         description="For example auth. or account.role_changed")
    submit = SubmitField("Filter", widget=GovSubmitInput())


class VerifyForm(AppForm):
    submit = SubmitField("Verify the whole chain now", widget=GovSubmitInput())


class CheckpointEmailsForm(AppForm):
    """One button: the hidden value says which way, so a repeated post cannot flip it back."""

    subscribe = HiddenField(validators=[AnyOf(["1", "0"], message="Choose whether to get the emails")])
    submit = SubmitField("Email me each new checkpoint", widget=GovSubmitInput())


class RedactForm(AppForm):
    reason = TextAreaField("Why the payload must be redacted", widget=GovTextArea(),
                           validators=[InputRequired(message="Give the reason for the redaction"), Length(max=2000)])
    submit = SubmitField("Redact the payload", widget=GovSubmitInput())


def iso_date(form: FlaskForm, field: StringField) -> None:
    """Dates as YYYY-MM-DD: unambiguous, and the same in the URL an auditor shares."""
    text = (field.data or "").strip()
    if not text:
        field.parsed = None
        return
    try:
        field.parsed = date.fromisoformat(text)
    except ValueError:
        field.parsed = None
        raise ValidationError(f"{field.label.text} must be a real date written as YYYY-MM-DD, "
                              "for example 2026-03-01") from None


class DateRange:
    """The from/to date filters the record and the registers share (a range that ends before it starts is refused)."""

    date_from = StringField("From (date)", widget=GovTextInput(), validators=[Optional(), iso_date],
                            description="YYYY-MM-DD, UTC")
    date_to = StringField("To (date, included)", widget=GovTextInput(), validators=[Optional(), iso_date],
                          description="YYYY-MM-DD, UTC")

    def validate_date_to(self, field: StringField) -> None:
        start, end = getattr(self.date_from, "parsed", None), getattr(field, "parsed", None)
        if start and end and end < start:
            raise ValidationError("The end date must be the same as or after the start date")


class RecordFilterForm(DateRange, AppForm):
    """The procurement record's filters (a GET form, so a filtered record is a link an auditor can share)."""

    class Meta:
        csrf = False

    organisation = SelectField("Acting organisation", widget=GovSelect(), choices=[("", "Any organisation")],
                               default="", validate_choice=True)
    action = StringField("Action starts with", widget=GovTextInput(), validators=[Optional(), Length(max=80)],
                         description="For example tender. or response.")
    submit = SubmitField("Filter the record", widget=GovSubmitInput())


class RegisterFilterForm(DateRange, AppForm):
    """A GET form, so a filtered register is a link an auditor can share."""

    class Meta:
        csrf = False

    procurement = StringField("Procurement", widget=GovTextInput(), validators=[Optional(), Length(max=30)],
                              description="Its reference (for example CC-2026-00012) or its number")
    organisation = SelectField("Organisation", widget=GovSelect(), choices=[("", "Any organisation")], default="",
                               validate_choice=True,
                               description="What its people did, and everything on the procurements it owns")
    action = SelectField("Action", widget=GovSelect(), choices=[("", "Any action in this register")], default="",
                         validate_choice=True)
    submit = SubmitField("Filter the register", widget=GovSubmitInput())

    def validate_procurement(self, field: StringField) -> None:
        field.found = None
        if (field.data or "").strip():
            field.found = registers.find_procurement(field.data)
            if field.found is None:
                raise ValidationError("There is no procurement with that reference or number")
