"""Which law and which regime govern a procurement: a pure function of its facts and the thresholds in force.

The facts are fixed at the procurement's LEGAL START, the day its first notice
was published or suppliers were first contacted about it, not today:
- framework: the Procurement Act 2023 for procurements begun on or after
  24 February 2025; the Public Contracts Regulations 2015 for those begun
  before (Procurement Act 2023 (Commencement No. 3 and Transitional and Saving
  Provisions) Regulations 2024, SI 2024/728, reg 3 and Part 2);
- the thresholds in force on that day for the authority's nation (PA23
  Schedule 1; from 1 January 2026 as amended by SI 2025/1200 in England, and by
  the Welsh instrument amending the thresholds from 1 January 2026 in Wales);
- the regime: the Provider Selection Regime for a relevant health care service
  in England (SI 2023/1348; PR 2024 reg 43 takes such procurements out of
  PA23), else light-touch for a PR 2024 Schedule 1 service at or above the
  light-touch threshold, else an ordinary public contract at or above the
  goods-and-services (or works) threshold, else a notifiable below-threshold
  contract (PA23 Part 6, ss.85-88) or a below-threshold one.
tenders.thresholds reads the table and the procurement; this module decides.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from tenders import cpv
from tenders.jurisdiction import Nation

PA23_START = date(2025, 2, 24)  # SI 2024/728: the Act's main provisions in force
PSR_START = date(2024, 1, 1)  # SI 2023/1348 reg 1(1)
FRAMEWORKS = {"pa23": "Procurement Act 2023", "pcr2015": "Public Contracts Regulations 2015"}
AUTHORITIES = {"sub_central": "Sub-central authority (for example a council)",
               "central": "Central government authority"}
REGIMES = {
    "psr": "Provider Selection Regime (health care services, England)",
    "light_touch": "Light-touch contract",
    "public_contract": "Public contract (above threshold, not light-touch)",
    "notifiable_below_threshold": "Notifiable below-threshold contract",
    "below_threshold": "Below-threshold contract (not notifiable)",
    "unknown": "Not known until the estimated value is set",
}
# The commissioner's answer to "is this a health care service under the Provider Selection Regime?"
PSR_DECISIONS = {"": "Follow the CPV code", "applies": "Yes: the Provider Selection Regime applies",
                 "not_applies": "No: not a relevant health care service"}
# The PSR's processes (SI 2023/1348 Part 2), with their short descriptions.
PSR_PROCESSES = {
    "direct_award_a": ("Direct award process A (reg 7): the existing provider is the only provider capable of "
                       "providing the services, for example because of their nature."),
    "direct_award_b": ("Direct award process B (reg 8): patients choose their provider, and the authority "
                       "contracts with every provider that meets its requirements."),
    "direct_award_c": ("Direct award process C (reg 9): the existing provider is satisfying the current contract "
                       "and is likely to satisfy the new one, and the services are not changing considerably."),
    "most_suitable_provider": ("Most suitable provider process (reg 10): the authority can identify the most "
                               "suitable provider without running a competition."),
    "competitive": "Competitive process (reg 11): a competition among providers.",
}


@dataclass(frozen=True)
class RegimeFacts:
    value_pence: int | None  # estimated value, including VAT
    cpv: str | None  # the main CPV code, eight digits
    started_on: date  # the legal start
    nation: Nation
    authority: str = "sub_central"
    psr_decision: str = ""  # "" | applies | not_applies (the commissioner's, England only)


@dataclass(frozen=True)
class Regime:
    code: str
    label: str
    framework: str  # pa23 | pcr2015
    threshold_pence: int | None  # the threshold that decided the regime, if one did
    basis: str  # the law (or "platform policy") that decides it, in words

    @property
    def framework_label(self) -> str:
        return FRAMEWORKS[self.framework]

    @property
    def is_psr(self) -> bool:
        return self.code == "psr"


def framework_for(started_on: date) -> str:
    """SI 2024/728: PA23 governs procurements begun on or after 24 February 2025; PCR 2015 those begun before."""
    return "pa23" if started_on >= PA23_START else "pcr2015"


def is_psr(facts: RegimeFacts) -> bool:
    """SI 2023/1348 reg 3 and Schedule 1, England only (reg 1(2)), from 1 January 2024: the CPV code proposes,
    the commissioner's recorded decision settles it."""
    if facts.nation is not Nation.ENGLAND or facts.started_on < PSR_START:
        return False
    if facts.psr_decision == "applies":
        return True
    if facts.psr_decision == "not_applies":
        return False
    return cpv.is_psr_health_care_service(facts.cpv)


def decide(facts: RegimeFacts, figures: Mapping[str, int]) -> Regime:
    """The regime for these facts, given the thresholds (pence, incl. VAT) in force at the legal start.

    `figures` holds the codes of the thresholds table: light_touch, services_sub_central, services_central,
    works, notifiable_below_threshold, notifiable_below_threshold_central.
    """
    framework = framework_for(facts.started_on)
    law = "PA23" if framework == "pa23" else "PCR 2015"
    started = f"legal start {facts.started_on:%-d %B %Y}"
    if is_psr(facts):
        why = ("the commissioner confirmed it is a relevant health care service" if facts.psr_decision == "applies"
               else f"CPV {facts.cpv} is in Schedule 1")
        return Regime("psr", REGIMES["psr"], framework, None,
                      f"Health Care Services (Provider Selection Regime) Regulations 2023 (SI 2023/1348) reg 3: {why}; "
                      "England only; no value threshold. PA23 does not apply to it (PR 2024 reg 43).")
    if facts.value_pence is None:
        return Regime("unknown", REGIMES["unknown"], framework, None,
                      f"The regime depends on the estimated value ({law}).")
    central = facts.authority == "central"
    light_touch_service = cpv.is_light_touch_service(facts.cpv)
    if light_touch_service:
        threshold = figures.get("light_touch")
        kind = (f"CPV {facts.cpv} is a light-touch service (PR 2024 reg 42 and Schedule 1)" if framework == "pa23"
                else f"CPV {facts.cpv} is a light-touch service (PCR 2015 reg 74 and Schedule 3; the platform "
                     "checks it against the PR 2024 Schedule 1 list, which keeps Schedule 3's groupings: "
                     "platform policy)")
        if threshold is not None and facts.value_pence >= threshold:
            section = "PA23 s.9 and Schedule 1" if framework == "pa23" else "PCR 2015 reg 5(1)(d)"
            return Regime("light_touch", REGIMES["light_touch"], framework, threshold,
                          f"{kind}, at or above the light-touch threshold in force on the {started} "
                          f"({section}).")
    else:
        code = "works" if cpv.is_works(facts.cpv) else ("services_central" if central else "services_sub_central")
        threshold = figures.get(code)
        what = {"works": "works contract (CPV division 45)",
                "services_central": "goods or services contract of a central government authority",
                "services_sub_central": "goods or services contract of a sub-central authority"}[code]
        if threshold is not None and facts.value_pence >= threshold:
            section = "PA23 s.3 and Schedule 1" if framework == "pa23" else "PCR 2015 reg 5"
            service = f"CPV {facts.cpv} is not a light-touch service" if facts.cpv else "No CPV code recorded"
            return Regime("public_contract", REGIMES["public_contract"], framework, threshold,
                          f"{service}; a {what} at or above the threshold in force on the {started} ({section}).")
    notifiable = figures.get("notifiable_below_threshold_central" if central else "notifiable_below_threshold")
    if framework == "pa23" and notifiable is not None and facts.value_pence >= notifiable:
        return Regime("notifiable_below_threshold", REGIMES["notifiable_below_threshold"], framework, notifiable,
                      f"Below the threshold, at or above the notifiable below-threshold figure in force on the "
                      f"{started} (PA23 Part 6, ss.85-88).")
    return Regime("below_threshold", REGIMES["below_threshold"], framework, None,
                  f"Below every threshold in force on the {started} ({law}).")
