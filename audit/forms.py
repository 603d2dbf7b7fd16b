"""Auditor forms."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional


class TrailFilterForm(FlaskForm):
    """A GET form: filters are part of the URL so an auditor can share a view."""

    class Meta:
        csrf = False

    action = StringField("Action starts with", widget=GovTextInput(), validators=[Optional(), Length(max=80)],
                         description="For example auth. or account.role_changed")
    submit = SubmitField("Filter", widget=GovSubmitInput())


class VerifyForm(FlaskForm):
    submit = SubmitField("Verify the whole chain now", widget=GovSubmitInput())


class RedactForm(FlaskForm):
    reason = TextAreaField("Why the payload must be redacted", widget=GovTextArea(),
                           validators=[InputRequired(message="Give the reason for the redaction"), Length(max=2000)])
    submit = SubmitField("Redact the payload", widget=GovSubmitInput())
