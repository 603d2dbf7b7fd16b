"""Forms shared across packages."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Literal, TypeAlias, TypeVar

import wtforms
from flask import flash
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSubmitInput
from wtforms import Field, FieldList, FormField, PasswordField, StringField, SubmitField
from wtforms.utils import unset_value
from wtforms.validators import StopValidation

from core.errors import RuleViolation
from core.text import refusal
from core.transactions import call_service

F = TypeVar("F", bound=FlaskForm)
T = TypeVar("T")

INCOMPLETE_DATE = "Enter a complete date: the day, the month and the year"
NOT_A_DATE = "Enter a real date, like 27 3 2027"


class AppForm(FlaskForm):
    """The base of every form: text that cannot be shown or published is refused, next to its field.

    Every text field (StringField and its kinds: text areas, hidden fields),
    in nested rows too, is checked before, and instead of, its own validators,
    so no validator can skip the check or send such text to the database
    (PostgreSQL refuses a NUL even in a query: a 500). The check refuses rather
    than strips: the person sees which character is wrong and everything they
    typed stays in the box. Passwords are exempt: they are never shown or
    published, only hashed, and refusing one could lock someone out.
    """

    def validate(self, extra_validators: dict[str, list[Any]] | None = None) -> bool:
        refused = [(field, message) for field in text_fields(self)
                   if (message := refusal(typed_text(field))) is not None]
        kept = [(field, field.validators) for field, _ in refused]
        for field, message in refused:
            # The refusal is the field's only check: its others may look the text up in the database, and
            # PostgreSQL cannot even take a NUL in a query.
            field.validators = [_refuse_with(message)]
        try:
            valid = super().validate(extra_validators)
        finally:
            for field, validators in kept:
                field.validators = validators
        return valid and not refused


def _refuse_with(message: str) -> Callable[[Any, Field], None]:
    def refuse(form: Any, field: Field) -> None:
        raise StopValidation(message)

    return refuse


def typed_text(field: Field) -> str | None:
    """What was typed into a text field: its data, or for a field that reads the text into something else (a
    time, an amount of money) the text as sent."""
    if isinstance(field.data, str):
        return field.data
    sent = field.raw_data[0] if field.raw_data else None
    return sent if isinstance(sent, str) else None


def text_fields(form: wtforms.Form) -> Iterator[Field]:
    """The form's text fields (passwords aside), in nested forms and lists of rows too."""
    for field in form:
        if isinstance(field, FormField):
            yield from text_fields(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                if isinstance(entry, FormField):
                    yield from text_fields(entry.form)
                elif isinstance(entry, StringField) and not isinstance(entry, PasswordField):
                    yield entry
        elif isinstance(field, StringField) and not isinstance(field, PasswordField):
            yield field


class DateField(wtforms.DateField):
    """A GOV.UK date input (day, month and year boxes) that every form uses; it survives any request.

    The GOV.UK widget unpacks exactly three parts, but a request can send none,
    one, two or more, and the page shown again with the error would crash. The
    parts are kept as typed (made three), so the boxes show them again; a date
    with some parts missing says so, and that message stands even on an
    optional date (Optional() looks only at the first box and would otherwise
    drop a month and year typed without a day).
    """

    incomplete = False

    def __init__(self, label: str | None = None, validators: list[Any] | None = None,
                 format: str = "%d %m %Y", **kwargs: Any) -> None:
        kwargs.setdefault("widget", GovDateInput())
        super().__init__(label, validators, format=format, **kwargs)

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.incomplete = False
        super().process(formdata, data, extra_filters)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            self.raw_data = None  # nothing sent: the boxes show the field's data, as before any submission
            return
        parts = [str(part) for part in valuelist[:3]]
        self.raw_data = parts = parts + [""] * (3 - len(parts))
        filled = [part.strip() for part in parts if part.strip()]
        self.data = None
        if not filled:
            return
        if len(filled) < 3:
            self.incomplete = True
            raise ValueError(INCOMPLETE_DATE)
        try:
            self.data = datetime.strptime(" ".join(filled), self.strptime_format[0]).date()
        except ValueError:
            raise ValueError(NOT_A_DATE) from None

    def validate(self, form: wtforms.Form, extra_validators: Any = ()) -> bool:
        if self.incomplete:
            self.errors = [INCOMPLETE_DATE]
            return False
        return super().validate(form, extra_validators)


class ConfirmForm(AppForm):
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
class Done(Generic[T]):
    """A service call that went through, with what the service returned."""

    value: T
    ok: Literal[True] = True


@dataclass
class Refused:
    """A service call that was refused: its reasons are already on the form, or in the banner."""

    value: None = None
    ok: Literal[False] = False


# What a form's service call came to: `ok` with the service's `value`, or refused. Checking `ok` tells the
# type checker which, so `value` is the service's own type after it.
Outcome: TypeAlias = Done[T] | Refused


def attempt(form: FlaskForm | None, service: Callable[..., T], *args: Any, **kwargs: Any) -> Outcome[T]:
    """Run one service for a submitted form; a refusal is shown, not raised.

    Every form view ends the same way: on a refusal the reasons go onto the
    form next to their fields (or, for a one-button form with nothing to
    show them on, `form=None`, into an error banner) and the page is shown
    again with everything the person typed.
    """
    try:
        return Done(call_service(service, *args, **kwargs))
    except RuleViolation as exc:
        if form is None:
            flash(str(exc), "error")
        else:
            apply_violation(form, exc)
        return Refused()


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
    for field in form._fields.values():
        for message in field.errors:
            if isinstance(message, str):
                items.append({"text": message, "href": f"#{field.id}"})
    return items
