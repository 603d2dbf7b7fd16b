"""The lawful-route check for a contract modification (DESIGN.md rule 8): a pure function of the figures.

It reads nothing from the database and knows no dates: the service gathers
the figures (original value, accepted modifications, thresholds from the one
thresholds table, review clauses, the commissioner's answers) and this module
says which route the law offers, why, and which notices follow. Keeping it
pure lets every line of the table be pinned by a unit test.

Sources checked for the citations:
- PA23 s.74(1)(a)-(c): a public contract may be modified under Schedule 8, if
  the modification is not substantial, or if it is a below-threshold
  modification; s.74(2): a light touch contract may also be modified;
  s.74(4): below-threshold modification (10% for services, the aggregated
  value of such modifications below the threshold amount).
- PA23 Schedule 8 para 1 (possibility unambiguously provided for in both the
  contract as awarded and the tender or transparency notice, no change to the
  overall nature) and para 4 (unforeseeable circumstances, no change to the
  overall nature, no more than a 50% increase in the estimated value).
- PA23 s.75(1) contract change notice; s.75(2)(a) not needed for a change of
  10% or less (services); s.75(6)(b) the section does not apply to light touch
  contracts. s.76 voluntary standstill after a change notice; s.77 publication
  of the modified contract (contracts over £5m; the figure is in the
  thresholds table).
- PCR 2015 reg 72(1)(a) review clauses in the initial procurement documents;
  72(1)(b) additional services from the same contractor and 72(1)(c)
  unforeseeable circumstances, each capped at 50% of the original value per
  modification (reg 72(2)); 72(3) notice of a (b) or (c) modification;
  72(5) de minimis: below the threshold and 10% (services), cumulative.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

FRAMEWORKS = {"pa23": "Procurement Act 2023", "pcr2015": "Public Contracts Regulations 2015"}
SERVICES_PERCENT = 10  # below-threshold modification / de minimis, for services contracts
CAP_PERCENT = 50  # Schedule 8 para 4; PCR reg 72(1)(b), (c) with 72(2): per modification
NOTE = ("Decision support, not legal advice: the check applies the rules to the figures and answers shown. "
        "Take legal advice before relying on it.")

ROUTES = {
    "below_threshold": "Below-threshold modification",
    "schedule8_para1": "Permitted modification: provided for in the contract (Schedule 8, paragraph 1)",
    "schedule8_para4": "Permitted modification: unforeseeable circumstances (Schedule 8, paragraph 4)",
    "light_touch": "Modification of a light touch contract",
    "pcr_72_5": "De minimis modification (PCR 2015 regulation 72(5))",
    "pcr_72_1_a": "Modification provided for in review clauses (PCR 2015 regulation 72(1)(a))",
    "pcr_72_1_b": "Additional services from the same provider (PCR 2015 regulation 72(1)(b))",
    "pcr_72_1_c": "Unforeseeable circumstances (PCR 2015 regulation 72(1)(c))",
    "new_procurement": "A new procurement is needed",
}


@dataclass(frozen=True)
class Figures:
    """Everything the check depends on. Money in whole pence, including VAT."""

    framework: str  # "pa23" | "pcr2015"
    light_touch: bool
    original_value_pence: int
    accepted_total_pence: int  # the net total of modifications already accepted
    price_pence: int  # this proposal
    threshold_pence: int | None  # the threshold for this kind of contract, from the thresholds table
    publication_threshold_pence: int | None  # PA23 s.77 figure (£5m), from the thresholds table
    review_clause_in_tender: bool
    review_clause_in_contract: bool
    changes_overall_nature: bool  # the commissioner's answer
    unforeseeable: bool  # the commissioner's answer
    additional_from_same_provider: bool = False  # the commissioner's answer (PCR reg 72(1)(b))


@dataclass(frozen=True)
class Ground:
    """One route the check considered: whether its conditions are met, and why."""

    code: str
    label: str
    met: bool
    why: str
    source: str


@dataclass(frozen=True)
class Notice:
    code: str
    label: str
    status: str  # "required" | "optional" | "not required"
    why: str
    source: str


@dataclass(frozen=True)
class Result:
    framework: str
    framework_label: str
    route: str
    route_label: str
    rule: str
    source: str
    figures: dict[str, Any]
    grounds: list[Ground] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    note: str = NOTE

    @property
    def needs_new_procurement(self) -> bool:
        return self.route == "new_procurement"

    def as_dict(self) -> dict[str, Any]:
        """The snapshot stored with a decision (JSON-safe)."""
        return asdict(self)


def percent(part: int, whole: int) -> str:
    """part as a percentage of whole, to two places ("10.00")."""
    if whole <= 0:
        return "—"
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _pounds(pence: int | None) -> str:
    return "not set" if pence is None else f"£{pence / 100:,.2f}"


def _within(amount: int, original: int, pct: int) -> bool:
    """amount ≤ pct% of original, in whole numbers (exactly pct% is within)."""
    return amount * 100 <= original * pct


def check_modification(f: Figures) -> Result:
    """Which lawful route (if any) a modification of this size takes, and which notices follow."""
    if f.framework not in FRAMEWORKS:
        raise ValueError(f"unknown framework {f.framework!r}")
    original = f.original_value_pence
    cumulative = f.accepted_total_pence + f.price_pence
    value_after = original + cumulative
    figures = {
        "original_value_pence": original,
        "accepted_total_pence": f.accepted_total_pence,
        "price_pence": f.price_pence,
        "cumulative_pence": cumulative,
        "cumulative_percent": percent(cumulative, original),
        "price_percent": percent(f.price_pence, original),
        "value_after_pence": value_after,
        "ten_percent_limit_pence": original * SERVICES_PERCENT // 100,
        "fifty_percent_cap_pence": original * CAP_PERCENT // 100,
        "threshold_pence": f.threshold_pence,
        "publication_threshold_pence": f.publication_threshold_pence,
        "light_touch": f.light_touch,
        "review_clause_in_tender": f.review_clause_in_tender,
        "review_clause_in_contract": f.review_clause_in_contract,
        "changes_overall_nature": f.changes_overall_nature,
        "unforeseeable": f.unforeseeable,
        "additional_from_same_provider": f.additional_from_same_provider,
    }
    grounds = _pa23_grounds(f, cumulative) if f.framework == "pa23" else _pcr_grounds(f, cumulative)
    chosen = next((g for g in grounds if g.met), None)
    if chosen is None:
        route, rule, source = "new_procurement", _no_route_rule(f), (
            "PA23 s.74(1)" if f.framework == "pa23" else "PCR 2015 reg 72")
        notices: list[Notice] = []
    else:
        route, rule, source = chosen.code, chosen.why, chosen.source
        notices = _pa23_notices(f, value_after) if f.framework == "pa23" else _pcr_notices(route)
    return Result(framework=f.framework, framework_label=FRAMEWORKS[f.framework], route=route,
                  route_label=ROUTES[route], rule=rule, source=source, figures=figures, grounds=grounds,
                  notices=notices)


def _nature(f: Figures) -> str:
    return "it changes the overall nature of the contract" if f.changes_overall_nature else \
        "the overall nature of the contract stays the same"


def _pa23_grounds(f: Figures, cumulative: int) -> list[Ground]:
    original = f.original_value_pence
    within_ten = _within(cumulative, original, SERVICES_PERCENT)
    under_threshold = f.threshold_pence is None or cumulative < f.threshold_pence
    below = Ground(
        "below_threshold", ROUTES["below_threshold"],
        within_ten and under_threshold and not f.changes_overall_nature,
        f"All accepted modifications with this one come to {_pounds(cumulative)}, "
        f"{percent(cumulative, original)}% of the original value {_pounds(original)} (the limit for services is "
        f"{SERVICES_PERCENT}%); the aggregated value is "
        + ("below" if under_threshold else "not below")
        + f" the threshold amount {_pounds(f.threshold_pence)}; {_nature(f)}.",
        "Procurement Act 2023 s.74(1)(c) and s.74(4)")
    both = f.review_clause_in_tender and f.review_clause_in_contract
    clause = Ground(
        "schedule8_para1", ROUTES["schedule8_para1"], both and not f.changes_overall_nature,
        "A review clause is " + ("in both the tender and the contract" if both else
                                 "in the tender only" if f.review_clause_in_tender else
                                 "in the contract only" if f.review_clause_in_contract else
                                 "in neither the tender nor the contract")
        + " (it must be unambiguously provided for in both, and cover this change); " + _nature(f) + ".",
        "Procurement Act 2023 s.74(1)(a), Schedule 8 paragraph 1")
    within_cap = _within(f.price_pence, original, CAP_PERCENT)
    unforeseen = Ground(
        "schedule8_para4", ROUTES["schedule8_para4"],
        f.unforeseeable and within_cap and not f.changes_overall_nature,
        ("The circumstances could not reasonably have been foreseen before the award" if f.unforeseeable else
         "The circumstances were not unforeseeable")
        + f"; this modification is {percent(f.price_pence, original)}% of the original value (the cap is "
        f"{CAP_PERCENT}% per modification, measured against the original value); {_nature(f)}.",
        "Procurement Act 2023 s.74(1)(a), Schedule 8 paragraph 4")
    grounds = [below, clause, unforeseen]
    if f.light_touch:
        grounds.append(Ground(
            "light_touch", ROUTES["light_touch"], not f.changes_overall_nature,
            "A light touch contract may be modified without one of the grounds above"
            + ("; but this spin-off changes the overall nature of the contract, so the platform treats it as a "
               "new contract to be procured." if f.changes_overall_nature else
               "; the overall nature of the contract stays the same."),
            "Procurement Act 2023 s.74(2)"))
    return grounds


def _pcr_grounds(f: Figures, cumulative: int) -> list[Ground]:
    original = f.original_value_pence
    within_ten = _within(cumulative, original, SERVICES_PERCENT)
    under_threshold = f.threshold_pence is not None and cumulative < f.threshold_pence
    within_cap = _within(f.price_pence, original, CAP_PERCENT)
    return [
        Ground("pcr_72_5", ROUTES["pcr_72_5"], within_ten and under_threshold and not f.changes_overall_nature,
               f"The net cumulative value of the modifications, {_pounds(cumulative)}, is "
               + ("below" if under_threshold else "not below")
               + f" the threshold {_pounds(f.threshold_pence)} and is {percent(cumulative, original)}% of the "
               f"initial value {_pounds(original)} (it must be below both the threshold and {SERVICES_PERCENT}%); "
               + _nature(f) + ".",
               "Public Contracts Regulations 2015 reg 72(5)"),
        Ground("pcr_72_1_a", ROUTES["pcr_72_1_a"], f.review_clause_in_tender and not f.changes_overall_nature,
               ("Clear, precise and unequivocal review clauses were in the initial procurement documents"
                if f.review_clause_in_tender else "The initial procurement documents had no review clause")
               + " (they must cover this change); " + _nature(f) + ".",
               "Public Contracts Regulations 2015 reg 72(1)(a)"),
        Ground("pcr_72_1_c", ROUTES["pcr_72_1_c"], f.unforeseeable and within_cap and not f.changes_overall_nature,
               ("A diligent authority could not have foreseen the circumstances" if f.unforeseeable else
                "The circumstances were not unforeseeable")
               + f"; this modification is {percent(f.price_pence, original)}% of the original value (the cap is "
               f"{CAP_PERCENT}% for each modification); {_nature(f)}.",
               "Public Contracts Regulations 2015 reg 72(1)(c) and 72(2)"),
        Ground("pcr_72_1_b", ROUTES["pcr_72_1_b"], f.additional_from_same_provider and within_cap,
               ("The additional services can only practically come from this provider (a change would cause "
                "significant inconvenience or duplicated cost)" if f.additional_from_same_provider else
                "The additional services could come from another provider")
               + f"; this modification is {percent(f.price_pence, original)}% of the original value (the cap is "
               f"{CAP_PERCENT}% for each modification).",
               "Public Contracts Regulations 2015 reg 72(1)(b) and 72(2)"),
    ]


def _no_route_rule(f: Figures) -> str:
    if f.changes_overall_nature:
        return ("The spin-off changes the overall nature of the contract, so no modification route is open: "
                "it has to be procured as a new contract.")
    return ("None of the modification routes fits these figures and answers: the spin-off has to be procured as a "
            "new contract.")


def _pa23_notices(f: Figures, value_after: int) -> list[Notice]:
    original = f.original_value_pence
    if f.light_touch:
        change = Notice("contract_change_notice", "Contract change notice", "not required",
                        "Section 75 does not apply to a modification of a light touch contract.",
                        "Procurement Act 2023 s.75(6)(b)")
    elif _within(f.price_pence, original, SERVICES_PERCENT):
        change = Notice("contract_change_notice", "Contract change notice", "not required",
                        f"This modification changes the value by {percent(f.price_pence, original)}%, "
                        f"{SERVICES_PERCENT}% or less (unless it could reasonably have been made together with an "
                        "earlier modification that needed a notice).",
                        "Procurement Act 2023 s.75(2)(a), (4) and (5)")
    else:
        change = Notice("contract_change_notice", "Contract change notice", "required",
                        "Publish a contract change notice before modifying the contract.",
                        "Procurement Act 2023 s.75(1)")
    if change.status == "required":
        standstill = Notice("voluntary_standstill", "Voluntary standstill", "optional",
                            "The contract change notice may set a voluntary standstill period of at least 8 working "
                            "days before the modification is made.", "Procurement Act 2023 s.76")
    else:
        standstill = Notice("voluntary_standstill", "Voluntary standstill", "not required",
                            "A voluntary standstill follows a contract change notice, and none is needed.",
                            "Procurement Act 2023 s.76")
    limit = f.publication_threshold_pence
    if limit is not None and value_after > limit:
        published = Notice("modified_contract_publication", "Publication of the modified contract", "required",
                           f"The contract is worth {_pounds(value_after)} after the modification, over "
                           f"{_pounds(limit)}: publish a copy of the modification or of the contract as modified.",
                           "Procurement Act 2023 s.77")
    else:
        published = Notice("modified_contract_publication", "Publication of the modified contract", "not required",
                           f"The contract is worth {_pounds(value_after)} after the modification, not over "
                           f"{_pounds(limit)}.", "Procurement Act 2023 s.77")
    return [change, standstill, published]


def _pcr_notices(route: str) -> list[Notice]:
    if route in ("pcr_72_1_b", "pcr_72_1_c"):
        return [Notice("modification_notice", "Modification notice", "required",
                       "A modification under regulation 72(1)(b) or (c) is published in a notice.",
                       "Public Contracts Regulations 2015 reg 72(3)")]
    return [Notice("modification_notice", "Modification notice", "not required",
                   "Regulation 72(3) asks for a notice only for modifications under regulation 72(1)(b) or (c).",
                   "Public Contracts Regulations 2015 reg 72(3)")]
