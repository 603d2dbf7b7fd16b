"""Which nation's procurement law binds a contracting authority: England or Wales.

Thresholds, publication duties (PA23 s.77 does not bind devolved Welsh
authorities) and the Provider Selection Regime (England only) all depend on
it. A council's GSS code says it exactly (E… England, W… Wales); an
organisation without one falls back to its region, and then to England.
"""
from __future__ import annotations

from enum import StrEnum
from typing import Protocol


class Nation(StrEnum):
    ENGLAND = "england"
    WALES = "wales"


NATION_LABELS = {Nation.ENGLAND: "England", Nation.WALES: "Wales"}


class _HasPlace(Protocol):
    gss_code: str | None
    region: str | None


def nation_of(org: _HasPlace) -> Nation:
    """The nation whose procurement law binds this organisation."""
    code = (org.gss_code or "").strip().upper()
    if code.startswith("W"):
        return Nation.WALES
    if code.startswith("E"):
        return Nation.ENGLAND
    return Nation.WALES if (org.region or "").strip().lower() == "wales" else Nation.ENGLAND
