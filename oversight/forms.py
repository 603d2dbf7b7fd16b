"""Auditor forms."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional, ValidationError

from core.forms import AppForm
from core.parsing import parse_uk_date
from oversight import registers


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


def uk_date(form: FlaskForm, field: StringField) -> None:
    """A whole UK day, written day first (3/12/2026, 3 December 2026; an ISO date is read too)."""
    text = (field.data or "").strip()
    if not text:
        field.parsed = None
        return
    try:
        field.parsed = parse_uk_date(text)
    except ValueError:
        field.parsed = None
        raise ValidationError(f"{field.label.text} must be a real date, like 3/12/2026 or 3 December 2026") from None


class DateRange:
    """The from/to date filters the trail, the record and the registers share: whole days on the UK calendar,
    both ends included (a range that ends before it starts is refused)."""

    date_from = StringField("From (date)", widget=GovTextInput(), validators=[Optional(), uk_date],
                            description="UK date, for example 3/12/2026")
    date_to = StringField("To (date, included)", widget=GovTextInput(), validators=[Optional(), uk_date],
                          description="UK date, for example 31/12/2026")

    def validate_date_to(self, field: StringField) -> None:
        start, end = getattr(self.date_from, "parsed", None), getattr(field, "parsed", None)
        if start and end and end < start:
            raise ValidationError("The end date must be the same as or after the start date")


class ProcurementFilter:
    """A procurement typed by reference or number; `found` holds it once the form is validated."""

    procurement = StringField("Procurement", widget=GovTextInput(), validators=[Optional(), Length(max=30)],
                              description="Its reference (for example CC-2026-00012) or its number")

    def validate_procurement(self, field: StringField) -> None:
        field.found = None
        if (field.data or "").strip():
            field.found = registers.find_procurement(field.data)
            if field.found is None:
                raise ValidationError("There is no procurement with that reference or number")


class TrailFilterForm(DateRange, ProcurementFilter, AppForm):
    """A GET form: filters are part of the URL so an auditor can share a view.

    The person, organisation and action lists are filled by the view (oversight.views).
    """

    class Meta:
        csrf = False

    actor = SelectField("Person", widget=GovSelect(), choices=[("", "Anyone")], default="", validate_choice=True)
    organisation = SelectField("Organisation", widget=GovSelect(), choices=[("", "Any organisation")], default="",
                               validate_choice=True, description="What its people did")
    action = SelectField("Action", widget=GovSelect(), choices=[("", "Any action")], default="",
                         validate_choice=True)
    submit = SubmitField("Filter", widget=GovSubmitInput())


class RecordFilterForm(DateRange, AppForm):
    """The procurement record's filters (a GET form, so a filtered record is a link an auditor can share)."""

    class Meta:
        csrf = False

    organisation = SelectField("Acting organisation", widget=GovSelect(), choices=[("", "Any organisation")],
                               default="", validate_choice=True)
    action = SelectField("Action", widget=GovSelect(), choices=[("", "Any action")], default="",
                         validate_choice=True)
    submit = SubmitField("Filter the record", widget=GovSubmitInput())


class RegisterFilterForm(DateRange, ProcurementFilter, AppForm):
    """A GET form, so a filtered register is a link an auditor can share."""

    class Meta:
        csrf = False

    organisation = SelectField("Organisation", widget=GovSelect(), choices=[("", "Any organisation")], default="",
                               validate_choice=True,
                               description="What its people did, and everything on the procurements it owns")
    action = SelectField("Action", widget=GovSelect(), choices=[("", "Any action in this register")], default="",
                         validate_choice=True)
    submit = SubmitField("Filter the register", widget=GovSubmitInput())
