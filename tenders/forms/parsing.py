"""Reading what was typed: pounds, whole numbers, times and dates and times in UK time; the validators that
say so on the form; and row errors promoted to the error summary."""
from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import Form, StringField
from wtforms.validators import ValidationError

from core.parsing import parse_clock_time
from core.timezones import uk_to_utc

MAX_POUNDS = Decimal(10) ** 11  # £100bn: anything larger is a typing slip, and would overflow the column


def parse_pounds(text: str | None) -> int | None:
    """'£1,250,000.50' → 125000050 pence; None if empty; ValueError if not money."""
    cleaned = (text or "").replace("£", "").replace(",", "").strip()
    if not cleaned:
        return None
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError("not an amount") from exc
    if not amount.is_finite() or abs(amount) >= MAX_POUNDS:
        raise ValueError("not a sensible amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError("too many decimal places")
    return int(amount * 100)


def parse_time(text: str | None) -> time | None:
    """A time typed the way people write it ("14:30", "10am", "2:30pm"); None if empty or not a time."""
    try:
        return parse_clock_time(text) if text and text.strip() else None
    except ValueError:
        return None


def combine(day: date | None, at: str | None) -> datetime | None:
    """A date and time typed on a form, read as UK time, as the naive UTC the database holds."""
    moment = parse_time(at)
    return uk_to_utc(day, moment) if day and moment else None


def parse_int(text: str | None) -> int | None:
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    if not re.fullmatch(r"-?\d{1,9}", cleaned):
        raise ValueError("not a whole number")
    return int(cleaned)


def validate_time(form: Form, field: StringField) -> None:
    if field.data and field.data.strip():
        try:
            parse_clock_time(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


def validate_money(form: Form, field: StringField) -> None:
    try:
        parse_pounds(field.data)
    except ValueError:
        raise ValidationError("Enter an amount in pounds, like 1250000 or £1,250,000.00") from None


def validate_whole(form: Form, field: StringField) -> None:
    try:
        parse_int(field.data)
    except ValueError:
        raise ValidationError("Enter a whole number") from None


def promote_row_errors(form: FlaskForm, list_name: str, label: str) -> None:
    """Row errors inside a FieldList also go to the error summary, which lists only top-level fields."""
    for index, entry in enumerate(form[list_name], start=1):
        for field in entry.form:
            for message in field.errors:
                form.form_errors.append(f"{label} {index}, {field.label.text.lower()}: {message}")
