"""Forms shared across packages."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import flash
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField

from core.errors import RuleViolation
from core.transactions import call_service

F = TypeVar("F", bound=FlaskForm)
T = TypeVar("T")


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


@dataclass
class Outcome(Generic[T]):
    """What a form's service call came to: `ok` with the service's `value`, or refused."""

    ok: bool
    value: T | None = None


def attempt(form: FlaskForm | None, service: Callable[..., T], *args: Any, **kwargs: Any) -> Outcome[T]:
    """Run one service for a submitted form; a refusal is shown, not raised.

    Every form view ends the same way: on a refusal the reasons go onto the
    form next to their fields (or, for a one-button form with nothing to
    show them on, `form=None`, into an error banner) and the page is shown
    again with everything the person typed.
    """
    try:
        return Outcome(True, call_service(service, *args, **kwargs))
    except RuleViolation as exc:
        if form is None:
            flash(str(exc), "error")
        else:
            apply_violation(form, exc)
        return Outcome(False)


def apply_violation(form: FlaskForm, violation: RuleViolation) -> None:
    """Show a service's refusal on the form, next to the field it concerns.

    The form keeps everything the user typed; only the messages are added.
    An overridable refusal (a warning) also reveals the form's confirmation box.
    """
    if violation.overridable and hasattr(form, "show_confirm"):
        form.show_confirm = True
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
