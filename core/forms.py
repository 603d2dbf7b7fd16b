"""Forms shared across packages."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField

from core.errors import RuleViolation


class ConfirmForm(FlaskForm):
    """A button and a CSRF token: for actions that need no input (sign out, confirm)."""

    submit = SubmitField("Continue", widget=GovSubmitInput())


def apply_violation(form: FlaskForm, violation: RuleViolation) -> None:
    """Show a service's refusal on the form, next to the field it concerns.

    The form keeps everything the user typed; only the messages are added.
    """
    for field_name, message in violation.reasons.items():
        field = form._fields.get(field_name) if field_name else None
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)


def error_list(form: FlaskForm) -> list[dict[str, str]]:
    """Items for the GOV.UK error summary: each message links to its field."""
    items = [{"text": message, "href": "#main-content"} for message in form.form_errors]
    for name, field in form._fields.items():
        for message in field.errors:
            if isinstance(message, str):
                items.append({"text": message, "href": f"#{field.id}"})
    return items
