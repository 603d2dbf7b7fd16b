"""The procurement regime, derived from the one thresholds table.

Thresholds change (they are revised every two years), so they live in the
`procurement_threshold` table with effective dates, seeded by the migration;
`regime_for` is the only code that reads them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from core.extensions import db
from tenders.models import Threshold

REGIMES = {
    "light_touch": "Light-touch contract (Procurement Act 2023)",
    "notifiable_below_threshold": "Notifiable below-threshold contract",
    "below_threshold": "Below-threshold contract (not notifiable)",
    "unknown": "Not known until the estimated value is set",
}


@dataclass(frozen=True)
class Regime:
    code: str
    label: str
    threshold_pence: int | None  # the threshold that put it in this regime


def threshold_amount(code: str, on: date) -> int | None:
    """The amount (pence, incl. VAT) of a threshold in force on a date, from the table."""
    return db.session.scalar(
        select(Threshold.amount_pence)
        .where(Threshold.code == code, Threshold.effective_from <= on,
               or_(Threshold.effective_to.is_(None), Threshold.effective_to >= on))
        .order_by(Threshold.effective_from.desc()).limit(1)
    )


def regime_for(value_pence: int | None, on: date) -> Regime:
    """Which regime a contract of this value (incl. VAT) falls under on this date."""
    if value_pence is None:
        return Regime("unknown", REGIMES["unknown"], None)
    light_touch = threshold_amount("light_touch", on)
    if light_touch is not None and value_pence >= light_touch:
        return Regime("light_touch", REGIMES["light_touch"], light_touch)
    notifiable = threshold_amount("notifiable_below_threshold", on)
    if notifiable is not None and value_pence >= notifiable:
        return Regime("notifiable_below_threshold", REGIMES["notifiable_below_threshold"], notifiable)
    return Regime("below_threshold", REGIMES["below_threshold"], None)
