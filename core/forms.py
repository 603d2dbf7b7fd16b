"""Forms shared across packages."""
from __future__ import annotations

from typing import Any, TypeVar

from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField

from core.errors import RuleViolation

F = TypeVar("F", bound=FlaskForm)


class ConfirmForm(FlaskForm):
    """A button and a CSRF token: for actions that need no input (sign out, confirm)."""

    submit = SubmitField("Continue", widget=GovSubmitInput())


def signed_in_form(form_class: type[F], **kwargs: Any) -> F | None:
    """The form, for a signed-in person; None for anyone else.

    Making a FlaskForm puts a CSRF token in the session, which sends a cookie
    and makes the page private. Public pages read by people who are not signed
    in show them no forms, so they get none and stay cookie-free, which lets
    core.page_cache share one rendering between them.
    """
    return form_class(**kwargs) if current_user.is_authenticated else None


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
