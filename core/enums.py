"""Closed sets of values (stages, statuses, decisions) and the CHECK constraint that holds a column to one.

A stage or status is a `StrEnum` declared next to its model. Its members are strings, so code that still compares
with a literal keeps working, and the column stays a plain string column; the database refuses any other value
through a CHECK constraint generated from the same enum, so the list is written once.
"""
from __future__ import annotations

from enum import StrEnum

from sqlalchemy import CheckConstraint


def one_of(column: str, values: type[StrEnum]) -> CheckConstraint:
    """A CHECK constraint holding `column` to the values of `values`, named `ck_<table>_<column>`.

    NULL passes (SQL's IN is unknown for NULL), so a nullable column stays nullable.
    """
    listed = ", ".join(f"'{member.value}'" for member in values)
    return CheckConstraint(f"{column} IN ({listed})", name=column)
