"""The procurement rules as read-only JSON (GET /api/v1/rules/...): the same answers as the /rules page.

Every parameter has a default, so a bare request answers for today; a
malformed one is a 400 naming the parameter, never a 500.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Response
from werkzeug.exceptions import BadRequest

from core import clock
from core.api import ApiRoutes, json_response
from core.openapi import DATE, INTEGER, TEXT, Param, nullable, operation, schema
from tenders import cpv
from tenders.jurisdiction import Nation
from tenders.regime_rules import AUTHORITIES, FRAMEWORKS, REGIMES, RegimeFacts
from tenders.thresholds import regime_on
from tenders.workingdays import STANDSTILL_BY_REGIME, standstill_for_regime, uk_date

# Added to the API blueprint by the app factory.
routes = ApiRoutes()

TAG = "Procurement rules"
MAX_VALUE_PENCE = 10 ** 13 - 1  # £100bn, as the procurement forms allow

schema("RegimeAnswer", {
    "type": "object", "required": ["regime", "regime_label", "framework", "threshold_pence", "basis"],
    "properties": {
        "regime": {"type": "string", "enum": list(REGIMES)}, "regime_label": TEXT,
        "framework": {"type": "string", "enum": list(FRAMEWORKS)}, "framework_label": TEXT,
        "threshold_pence": nullable({"type": "integer", "description": "The threshold that decided the regime, "
                                                                      "incl. VAT; null when none did."}),
        "basis": {"type": "string", "description": "The law (or \"platform policy\") that decides it."},
        "inputs": {"type": "object", "properties": {
            "value_pence": nullable(INTEGER), "cpv": nullable(TEXT), "cpv_description": TEXT, "started_on": DATE,
            "nation": TEXT, "authority": TEXT}},
    }})
schema("StandstillAnswer", {
    "type": "object", "required": ["ends_on", "contract_from", "working_days_counted", "basis"],
    "properties": {
        "published_on": {**DATE, "description": "The UK (Europe/London) date of publication."},
        "ends_on": {**DATE, "description": "The last day of standstill: it ends at midnight at its end."},
        "contract_from": {**DATE, "description": "The first day the contract may be entered into."},
        "working_days_counted": {"type": "array", "items": DATE},
        "mandatory": {"type": "boolean", "description": "Whether this regime must stand still."},
        "rule": {"type": "string", "enum": ["pa23", "psr"]},
        "basis": TEXT,
    }})

REGIME_PARAMS = (
    Param("value_pence", "Estimated value including VAT, in whole pence. Leave out when not known.",
          type="integer", minimum=0, maximum=MAX_VALUE_PENCE),
    Param("cpv", "The main CPV code: eight digits, optionally with its check digit (60130000 or 60130000-4).",
          max_length=20),
    Param("started_on", "The legal start, YYYY-MM-DD (the first notice or supplier contact). Default: today.",
          max_length=10, format="date"),
    Param("nation", "The contracting authority's nation.", enum=tuple(n.value for n in Nation), default="england"),
    Param("authority", "Sub-central (for example a council) or central government.", enum=tuple(AUTHORITIES),
          default="sub_central"),
)
STANDSTILL_PARAMS = (
    Param("published_at", "When the notice was published: ISO 8601 with a UTC offset or Z, for example "
                          "2026-11-28T10:00:00+00:00. Default: now.", max_length=40, format="date-time"),
    Param("regime", "The contract's regime.", enum=tuple(STANDSTILL_BY_REGIME), default="public_contract"),
)


def _date(name: str, text: str | None) -> date:
    if text is None:
        return uk_date(clock.utcnow())
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise BadRequest(f"{name} must be a date written YYYY-MM-DD, for example 2026-01-01.") from None


def _moment(text: str | None) -> datetime:
    if text is None:
        return clock.utcnow()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadRequest("published_at must be an ISO 8601 date and time with a UTC offset, for example "
                         "2026-11-28T10:00:00+00:00.") from None
    if moment.tzinfo is None:
        raise BadRequest("published_at must say its UTC offset (for example +01:00 or Z): the day depends on it.")
    if not 1900 <= moment.year <= 9000:
        raise BadRequest("published_at must be a year from 1900 to 9000.")
    return moment


@routes.get("/rules/regime")
@operation(summary="Which regime, law and threshold apply to a procurement", response="RegimeAnswer", tag=TAG,
           params=REGIME_PARAMS)
def rules_regime(query: dict[str, Any]) -> Response:
    """Taken at the legal start for the authority's nation: the Provider Selection Regime (England, a health care
    CPV code), light-touch (a PR 2024 Schedule 1 CPV code at or above its threshold), a public contract, or a
    (notifiable) below-threshold contract; PA23 for a start on or after 24 February 2025, PCR 2015 before."""
    started_on = _date("started_on", query["started_on"])
    if not date(1900, 1, 1) <= started_on <= date(9000, 1, 1):
        raise BadRequest("started_on must be a year from 1900 to 9000.")
    code = None
    if query["cpv"] is not None and query["cpv"].strip():
        code = cpv.normalise(query["cpv"])
        if code is None:
            raise BadRequest("cpv must be eight digits, optionally with a check digit: 60130000 or 60130000-4.")
    facts = RegimeFacts(value_pence=query["value_pence"], cpv=code, started_on=started_on,
                        nation=Nation(query["nation"]), authority=query["authority"])
    regime = regime_on(facts)
    return json_response({
        "regime": regime.code, "regime_label": regime.label, "framework": regime.framework,
        "framework_label": regime.framework_label, "threshold_pence": regime.threshold_pence, "basis": regime.basis,
        "inputs": {"value_pence": facts.value_pence, "cpv": code, "cpv_description": cpv.describe(code),
                   "started_on": started_on.isoformat(), "nation": facts.nation.value, "authority": facts.authority}})


@routes.get("/rules/standstill")
@operation(summary="When a standstill period ends", response="StandstillAnswer", tag=TAG, params=STANDSTILL_PARAMS)
def rules_standstill(query: dict[str, Any]) -> Response:
    """PA23 s.51: 8 working days beginning with the day of publication (UK date); PSR reg 12: beginning the day
    after. Working days exclude weekends, Christmas Day, Good Friday and a bank holiday anywhere in the UK."""
    answer = standstill_for_regime(_moment(query["published_at"]), query["regime"])
    period = answer.standstill
    return json_response({
        "published_on": period.published_on.isoformat(), "ends_on": period.ends_on.isoformat(),
        "contract_from": period.contract_from.isoformat(),
        "working_days_counted": [d.isoformat() for d in period.days_counted], "mandatory": answer.mandatory,
        "rule": period.rule, "basis": answer.basis})
