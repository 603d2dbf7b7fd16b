"""GOV.UK "Check your answers": the step between a form and an act that cannot be undone in public.

The form posts once and is shown back as a summary, with any cautions (each with its legal basis or
"platform policy"); the act happens only when that summary page is confirmed. Nothing is stored between
the two steps: the summary page carries what was typed in hidden fields, so "Change your answers" puts
the form back exactly as it was, and a second person or a changed rule is still checked when the act is
confirmed, by the service, as on any other post.
"""
from __future__ import annotations

from dataclasses import dataclass

import wtforms
from flask import request
from wtforms import FileField, MultipleFileField
from wtforms.csrf.core import CSRFTokenField

# The name of the summary page's two buttons; its value says which was pressed.
CHOICE = "check_answers"
CONFIRMED = "confirmed"
CHANGE = "change"


@dataclass(frozen=True)
class Answer:
    """One row of the summary list."""

    key: str
    value: str


@dataclass(frozen=True)
class Caution:
    """Something the person should weigh before confirming, and the rule that says so."""

    message: str
    basis: str


def confirmed() -> bool:
    """The post came from the summary page's confirm button: the act may now happen."""
    return request.form.get(CHOICE) == CONFIRMED


def changing() -> bool:
    """The post came from the summary page's "Change your answers" button: show the form again, filled in."""
    return request.form.get(CHOICE) == CHANGE


def carried(form: wtforms.Form) -> list[tuple[str, str]]:
    """The name and value of every field as sent, to carry through the summary page unchanged.

    The CSRF token is rendered afresh by the page; files cannot be carried and none of the acts take one.
    """
    pairs: list[tuple[str, str]] = []
    for field in form:
        if isinstance(field, (CSRFTokenField, FileField, MultipleFileField)):
            continue
        pairs.extend((field.name, str(value)) for value in (field.raw_data or []))
    return pairs
