"""Cautions shown on the "check your answers" page before a tender notice is published.

None of them refuses the act: each says what looks wrong and the rule behind it, so the commissioner
decides with the reason in front of them. The minimum response window is the larger of the platform's
configured minimum (TENDERS_MIN_RESPONSE_DAYS) and any statutory minimum for the regime.
"""
from __future__ import annotations

from datetime import datetime

from flask import current_app

from core.check_answers import Caution
from core.timezones import in_uk, uk_date, uk_when
from tenders.models import Procurement
from tenders.thresholds import ProcurementRegime

# PA23 s.54(3): the minimum tendering period for an open procedure where tenders are submitted
# electronically and the tender documents are available with the notice, and no qualifying planned
# procurement notice was published. PA23 sets no minimum for light-touch contracts.
PA23_OPEN_PROCEDURE_MIN_DAYS = 25
PA23_MIN_BASIS = "Procurement Act 2023 s.54(3), open procedure, electronic tenders"


def minimum_response_window(regime: ProcurementRegime) -> tuple[int, str]:
    """The fewest whole days a response window should run, and the rule that says so."""
    configured = int(current_app.config["TENDERS_MIN_RESPONSE_DAYS"])
    statutory = (regime.regime.code == "public_contract" and regime.regime.framework == "pa23")
    if statutory and configured <= PA23_OPEN_PROCEDURE_MIN_DAYS:
        return PA23_OPEN_PROCEDURE_MIN_DAYS, PA23_MIN_BASIS
    return configured, "platform policy"


def response_window_caution(regime: ProcurementRegime, response_deadline: datetime,
                            now: datetime) -> Caution | None:
    """A window shorter than the minimum (counted in UK calendar days from publication)."""
    days, basis = minimum_response_window(regime)
    window = (in_uk(response_deadline).date() - in_uk(now).date()).days
    if window >= days:
        return None
    return Caution(f"Responses are due {window} day{'s' if window != 1 else ''} after publication, fewer than "
                   f"the minimum of {days} days. Providers may not have time to prepare a response.", basis)


def engagement_cautions(procurement: Procurement, response_deadline: datetime) -> list[Caution]:
    """A deadline before the engagement notice's closing date, or before one of its listed events."""
    cautions: list[Caution] = []
    basis = ("Procurement Regulations 2024 reg 17: what the engagement notice published; providers rely on it "
             "(platform policy)")
    closes_on = procurement.engagement_closes_on
    if closes_on is not None and in_uk(response_deadline).date() < closes_on:
        cautions.append(Caution(f"Responses are due before engagement closes on {uk_date(closes_on)}.", basis))
    for event in procurement.events:
        if not event.is_cancelled and response_deadline < event.when:
            cautions.append(Caution(f"Responses are due before the engagement event “{event.title}” on "
                                    f"{uk_when(event.when)}.", basis))
    return cautions


def tender_cautions(procurement: Procurement, regime: ProcurementRegime, response_deadline: datetime | None,
                    now: datetime) -> list[Caution]:
    """Every caution for publishing this tender with this response deadline."""
    if response_deadline is None:
        return []
    window = response_window_caution(regime, response_deadline, now)
    return ([window] if window else []) + engagement_cautions(procurement, response_deadline)
