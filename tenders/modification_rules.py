"""The lawful-route check for a contract modification: a pure function of the figures.

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
- PA23 s.74(1)(b) and (3): a modification is substantial if it would increase
  or decrease the term by more than 10% of the maximum term provided for on
  award, materially change the scope, or materially change the economic
  balance in the supplier's favour; "more than", so exactly 10% is not
  substantial. The commissioner records this assessment with reasons.
- PA23 s.74(4)(a): a below-threshold modification does not increase or
  decrease the value by more than 10% (goods and services): "not more than",
  so exactly 10% is within.
- PA23 Schedule 8 para 1 (possibility unambiguously provided for in both the
  contract as awarded and the tender or transparency notice, no change to the
  overall nature), para 4 (unforeseeable circumstances, no change to the
  overall nature, no more than a 50% increase in the estimated value) and
  paras 5-6 (materialisation of a known risk identified in the tender or
  transparency notice, no more than 50%); the Schedule's grounds for
  additional goods, services or works from the same supplier (a change of
  supplier would cause significant inconvenience or substantial duplication
  of costs, no more than 50%) and for a transfer on corporate restructuring
  (which changes only who the supplier is) are cited by name, not paragraph.
- PA23 s.75(1) contract change notice; s.75(2)(a) not needed for a change of
  10% or less (services); s.75(6)(b) the section does not apply to light touch
  contracts. s.76 voluntary standstill after a change notice; s.77 publication
  of the modified contract (contracts over £5m; the figure is in the
  thresholds table). s.77 does not bind a devolved Welsh authority: those
  follow the Procurement (Wales) Regulations 2024, so the check never tells a
  Welsh council to publish the modified contract.
- PCR 2015 reg 72(1)(a) review clauses in the initial procurement documents;
  72(1)(b) additional services from the same contractor and 72(1)(c)
  unforeseeable circumstances, each capped at 50% of the original value per
  modification (reg 72(2)); 72(3) notice of a (b) or (c) modification;
  72(5) de minimis: below the threshold and "below" 10% (services),
  cumulative, so exactly 10% is NOT within; 72(1)(d) a new contractor
  replaces the original one (review clause, or succession after corporate
  restructuring); 72(1)(e) modifications that are not substantial within
  72(8) (not materially different in character, no conditions that would
  have let others in, no shift of economic balance to the contractor, no
  considerable extension of scope).
- Health Care Services (Provider Selection Regime) Regulations 2023 reg 13:
  a contract may be modified where the change is attributable to the
  authority, does not make the contract materially different in character,
  and the cumulative change in value is below £500,000 or below 25% of the
  original value; a modification of £500,000 or more (cumulative) is
  published in a transparency notice.
- Light touch contracts: s.74(2) lets them be modified freely. The platform
  still treats a spin-off that changes the overall nature of the contract as
  a new procurement: that caution is PLATFORM POLICY, not law, and every
  text that applies it says so.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

FRAMEWORKS = {
    "pa23": "Procurement Act 2023",
    "pcr2015": "Public Contracts Regulations 2015",
    "psr2023": "Health Care Services (Provider Selection Regime) Regulations 2023",
}
NATIONS = ("england", "wales")
SERVICES_PERCENT = 10  # below-threshold modification / de minimis, for services contracts
TERM_PERCENT = 10  # PA23 s.74(3)(a): a term change of more than 10% of the maximum term is substantial
CAP_PERCENT = 50  # Schedule 8 paras 4, 5 and additional goods; PCR reg 72(1)(b), (c) with 72(2): per modification
PSR_CUMULATIVE_PENCE = 50_000_000  # PSR reg 13: below £500,000 cumulative; a transparency notice at or above it
PSR_PERCENT = 25  # PSR reg 13: or below 25% of the original value
PSR_SOURCE = "Health Care Services (Provider Selection Regime) Regulations 2023 reg 13"
POLICY = "Platform policy, not law"
NOTE = ("Decision support, not legal advice: the check applies the rules to the figures and answers shown. "
        "Take legal advice before relying on it.")

ROUTES = {
    "below_threshold": "Below-threshold modification",
    "schedule8_para1": "Permitted modification: provided for in the contract (Schedule 8, paragraph 1)",
    "schedule8_para4": "Permitted modification: unforeseeable circumstances (Schedule 8, paragraph 4)",
    "schedule8_additional": "Permitted modification: additional goods, services or works (Schedule 8)",
    "schedule8_known_risk": "Permitted modification: a known risk materialised (Schedule 8, paragraphs 5 and 6)",
    "schedule8_restructuring": "Permitted modification: transfer on corporate restructuring (Schedule 8)",
    "not_substantial": "Not a substantial modification (Procurement Act 2023 s.74(1)(b))",
    "light_touch": "Modification of a light touch contract",
    "pcr_72_5": "De minimis modification (PCR 2015 regulation 72(5))",
    "pcr_72_1_a": "Modification provided for in review clauses (PCR 2015 regulation 72(1)(a))",
    "pcr_72_1_b": "Additional services from the same provider (PCR 2015 regulation 72(1)(b))",
    "pcr_72_1_c": "Unforeseeable circumstances (PCR 2015 regulation 72(1)(c))",
    "pcr_72_1_d": "A new contractor replaces the original one (PCR 2015 regulation 72(1)(d))",
    "pcr_72_1_e": "Not a substantial modification (PCR 2015 regulation 72(1)(e) and 72(8))",
    "psr_provided_for": "Modification provided for in the contract (PSR regulation 13)",
    "psr_limits": "Modification within the PSR limits: below £500,000 or below 25% (PSR regulation 13)",
    "new_procurement": "A new procurement is needed",
}


@dataclass(frozen=True)
class Figures:
    """Everything the check depends on. Money in whole pence, including VAT."""

    framework: str  # "pa23" | "pcr2015" | "psr2023"
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
    additional_from_same_provider: bool = False  # the commissioner's answer (Schedule 8 additional; PCR 72(1)(b))
    known_risk_materialised: bool = False  # answer: a risk named in the tender notice materialised (Sch 8 paras 5-6)
    corporate_restructuring: bool = False  # answer: only the supplier changes, to its successor (Sch 8; PCR 72(1)(d))
    materially_changes_scope: bool = False  # answer (PA23 s.74(3)(b); PCR 72(8)(a), (b), (d))
    shifts_economic_balance: bool = False  # answer: in the supplier's favour (PA23 s.74(3)(c); PCR 72(8)(c))
    term_change_months: int = 0  # how far the modification moves the end of the contract, either way
    max_term_months: int | None = None  # the maximum term provided for on award (with every extension option)
    not_substantial_reasons: str = ""  # the commissioner's recorded reasons for "not substantial"
    nation: str = "england"  # the contracting authority's nation (tenders.jurisdiction)


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
    """amount ≤ pct% of original, in whole numbers: "not more than" (exactly pct% is within)."""
    return abs(amount) * 100 <= original * pct


def _below(amount: int, original: int, pct: int) -> bool:
    """amount < pct% of original, in whole numbers: "below" (exactly pct% is NOT within)."""
    return abs(amount) * 100 < original * pct


def check_modification(f: Figures) -> Result:
    """Which lawful route (if any) a modification of this size takes, and which notices follow."""
    if f.framework not in FRAMEWORKS:
        raise ValueError(f"unknown framework {f.framework!r}")
    if f.nation not in NATIONS:
        raise ValueError(f"unknown nation {f.nation!r}")
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
        "known_risk_materialised": f.known_risk_materialised,
        "corporate_restructuring": f.corporate_restructuring,
        "materially_changes_scope": f.materially_changes_scope,
        "shifts_economic_balance": f.shifts_economic_balance,
        "term_change_months": f.term_change_months,
        "max_term_months": f.max_term_months,
        "term_change_percent": percent(f.term_change_months, f.max_term_months or 0),
        "not_substantial_reasons": f.not_substantial_reasons.strip(),
        "nation": f.nation,
        "psr_cumulative_limit_pence": PSR_CUMULATIVE_PENCE,
        "psr_percent_limit_pence": original * PSR_PERCENT // 100,
    }
    grounds = {"pa23": _pa23_grounds, "pcr2015": _pcr_grounds, "psr2023": _psr_grounds}[f.framework](f, cumulative)
    chosen = next((g for g in grounds if g.met), None)
    if chosen is None:
        route, rule, source = "new_procurement", _no_route_rule(f), {
            "pa23": "Procurement Act 2023 s.74(1)", "pcr2015": "Public Contracts Regulations 2015 reg 72",
            "psr2023": PSR_SOURCE}[f.framework]
        if f.framework == "pa23" and f.light_touch and f.changes_overall_nature:
            source = f"{POLICY} (Procurement Act 2023 s.74(2) itself would allow the modification)"
        notices: list[Notice] = []
    else:
        route, rule, source = chosen.code, chosen.why, chosen.source
        notices = {"pa23": lambda: _pa23_notices(f, value_after), "pcr2015": lambda: _pcr_notices(route),
                   "psr2023": lambda: _psr_notices(cumulative)}[f.framework]()
    return Result(framework=f.framework, framework_label=FRAMEWORKS[f.framework], route=route,
                  route_label=ROUTES[route], rule=rule, source=source, figures=figures, grounds=grounds,
                  notices=notices)


def _nature(f: Figures) -> str:
    return "it changes the overall nature of the contract" if f.changes_overall_nature else \
        "the overall nature of the contract stays the same"


def _price_share(f: Figures) -> str:
    return (f"this modification is {percent(f.price_pence, f.original_value_pence)}% of the original value (the cap "
            f"is {CAP_PERCENT}% per modification, measured against the original value)")


def _term_within(f: Figures) -> bool | None:
    """PA23 s.74(3)(a): the term moves by no more than 10% of the maximum term (None: the maximum is not known)."""
    if f.term_change_months == 0:
        return True
    if not f.max_term_months:
        return None
    return _within(f.term_change_months, f.max_term_months, TERM_PERCENT)


def _not_substantial_pa23(f: Figures) -> Ground:
    term = _term_within(f)
    reasons = f.not_substantial_reasons.strip()
    met = bool(reasons) and term is True and not f.materially_changes_scope and not f.shifts_economic_balance
    if term is None:
        term_text = (f"the term moves by {f.term_change_months} months but the maximum term on award is not "
                     "recorded, so the 10% test cannot be made")
    else:
        term_text = (f"the term moves by {f.term_change_months} months"
                     + (f", {percent(f.term_change_months, f.max_term_months)}% of the maximum term of "
                        f"{f.max_term_months} months" if f.max_term_months else "")
                     + (" (not more than 10%)" if term else " (more than 10%: substantial)"))
    why = (term_text + "; it " + ("materially changes" if f.materially_changes_scope else "does not materially change")
           + " the scope; it " + ("materially changes" if f.shifts_economic_balance else "does not materially change")
           + " the economic balance in the supplier's favour; "
           + (f"the commissioner's reasons: “{reasons}”." if reasons else
              "the commissioner has not recorded reasons for this assessment, and the route needs them."))
    return Ground("not_substantial", ROUTES["not_substantial"], met, why[0].upper() + why[1:],
                  "Procurement Act 2023 s.74(1)(b) and s.74(3)")


def _pa23_grounds(f: Figures, cumulative: int) -> list[Ground]:
    original = f.original_value_pence
    within_ten = _within(cumulative, original, SERVICES_PERCENT)
    under_threshold = f.threshold_pence is None or cumulative < f.threshold_pence
    below = Ground(
        "below_threshold", ROUTES["below_threshold"],
        within_ten and under_threshold and not f.changes_overall_nature,
        f"All accepted modifications with this one come to {_pounds(cumulative)}, "
        f"{percent(cumulative, original)}% of the original value {_pounds(original)} (the limit for services is "
        f"not more than {SERVICES_PERCENT}%, so exactly {SERVICES_PERCENT}% is within); the aggregated value is "
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
    additional = Ground(
        "schedule8_additional", ROUTES["schedule8_additional"], f.additional_from_same_provider and within_cap,
        ("The additional services can only practically come from this supplier (a change of supplier would cause "
         "significant inconvenience or substantial duplication of costs)" if f.additional_from_same_provider else
         "The additional services could come from another supplier")
        + f"; {_price_share(f)}.",
        "Procurement Act 2023 s.74(1)(a), Schedule 8 (additional goods, services or works)")
    known_risk = Ground(
        "schedule8_known_risk", ROUTES["schedule8_known_risk"],
        f.known_risk_materialised and within_cap and not f.changes_overall_nature,
        ("A known risk set out in the tender or transparency notice has materialised, caused by neither party, and "
         "modifying the contract is in the public interest" if f.known_risk_materialised else
         "No known risk set out in the tender or transparency notice has materialised")
        + f"; {_price_share(f)}; {_nature(f)}.",
        "Procurement Act 2023 s.74(1)(a), Schedule 8 paragraphs 5 and 6")
    unforeseen = Ground(
        "schedule8_para4", ROUTES["schedule8_para4"],
        f.unforeseeable and within_cap and not f.changes_overall_nature,
        ("The circumstances could not reasonably have been foreseen before the award" if f.unforeseeable else
         "The circumstances were not unforeseeable")
        + f"; {_price_share(f)}; {_nature(f)}.",
        "Procurement Act 2023 s.74(1)(a), Schedule 8 paragraph 4")
    restructuring = Ground(
        "schedule8_restructuring", ROUTES["schedule8_restructuring"],
        f.corporate_restructuring and f.price_pence == 0,
        ("The supplier is replaced by its successor after a corporate restructuring" if f.corporate_restructuring
         else "The supplier is not being replaced after a corporate restructuring")
        + ("; the route covers only the change of supplier, and this modification also changes the value by "
           f"{_pounds(f.price_pence)}, which needs a route of its own." if f.price_pence else
           "; nothing else about the contract changes."),
        "Procurement Act 2023 s.74(1)(a), Schedule 8 (transfer on corporate restructuring)")
    # A change of supplier alone is the restructuring route, checked first so it is named as such.
    grounds = [restructuring, below, clause, additional, known_risk, unforeseen, _not_substantial_pa23(f)]
    if f.light_touch:
        grounds.append(Ground(
            "light_touch", ROUTES["light_touch"], not f.changes_overall_nature,
            "The law lets a light touch contract be modified without one of the grounds above"
            + (f". {POLICY}: this spin-off changes the overall nature of the contract, so the platform asks for a "
               "new procurement even though section 74(2) would allow the modification." if f.changes_overall_nature
               else "; the overall nature of the contract stays the same."),
            "Procurement Act 2023 s.74(2)" + (f"; the overall-nature caution is {POLICY.lower()}"
                                               if f.changes_overall_nature else "")))
    return grounds


def _pcr_grounds(f: Figures, cumulative: int) -> list[Ground]:
    original = f.original_value_pence
    below_ten = _below(cumulative, original, SERVICES_PERCENT)
    under_threshold = f.threshold_pence is not None and cumulative < f.threshold_pence
    within_cap = _within(f.price_pence, original, CAP_PERCENT)
    reasons = f.not_substantial_reasons.strip()
    substantial = [text for flag, text in (
        (f.changes_overall_nature, "it makes the contract materially different in character"),
        (f.materially_changes_scope, "it extends the scope considerably or brings in conditions that would have "
                                     "let other providers take part"),
        (f.shifts_economic_balance, "it shifts the economic balance in the contractor's favour")) if flag]
    return [
        Ground("pcr_72_1_d", ROUTES["pcr_72_1_d"], f.corporate_restructuring and f.price_pence == 0,
               ("A new contractor succeeds to the original one's position after a corporate restructuring"
                if f.corporate_restructuring else "No new contractor is replacing the original one")
               + ("; the route covers only the change of contractor, and this modification also changes the value "
                  f"by {_pounds(f.price_pence)}, which needs a route of its own." if f.price_pence else
                  "; nothing else about the contract changes."),
               "Public Contracts Regulations 2015 reg 72(1)(d)"),
        Ground("pcr_72_5", ROUTES["pcr_72_5"], below_ten and under_threshold and not f.changes_overall_nature,
               f"The net cumulative value of the modifications, {_pounds(cumulative)}, is "
               + ("below" if under_threshold else "not below")
               + f" the threshold {_pounds(f.threshold_pence)} and is {percent(cumulative, original)}% of the "
               f"initial value {_pounds(original)} (it must be below both the threshold and {SERVICES_PERCENT}%: "
               f"exactly {SERVICES_PERCENT}% is not below); " + _nature(f) + ".",
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
        Ground("pcr_72_1_e", ROUTES["pcr_72_1_e"], bool(reasons) and not substantial,
               ("It is substantial within regulation 72(8): " + "; ".join(substantial) + "." if substantial else
                "None of the regulation 72(8) tests is met (materially different in character, conditions that "
                "would have let others in, economic balance to the contractor, scope extended considerably)")
               + ("" if substantial else
                  (f"; the commissioner's reasons: “{reasons}”." if reasons else
                   "; but the commissioner has not recorded reasons for this assessment, and the route needs them.")),
               "Public Contracts Regulations 2015 reg 72(1)(e) and 72(8)"),
    ]


def _psr_grounds(f: Figures, cumulative: int) -> list[Ground]:
    original = f.original_value_pence
    under_cash = abs(cumulative) < PSR_CUMULATIVE_PENCE
    under_share = _below(cumulative, original, PSR_PERCENT)
    character = ("it makes the contract materially different in character" if f.changes_overall_nature else
                 "the contract does not become materially different in character")
    return [
        Ground("psr_provided_for", ROUTES["psr_provided_for"],
               f.review_clause_in_contract and not f.changes_overall_nature,
               ("The modification is clearly and unambiguously provided for in the original contract"
                if f.review_clause_in_contract else "The original contract has no review clause for it")
               + f"; {character}.", PSR_SOURCE),
        Ground("psr_limits", ROUTES["psr_limits"], (under_cash or under_share) and not f.changes_overall_nature,
               f"The cumulative change, {_pounds(cumulative)}, is "
               + ("below" if under_cash else "not below") + f" {_pounds(PSR_CUMULATIVE_PENCE)} and is "
               f"{percent(cumulative, original)}% of the original value {_pounds(original)} ("
               + ("below" if under_share else "not below") + f" {PSR_PERCENT}%; either is enough); {character}.",
               PSR_SOURCE),
    ]


def _no_route_rule(f: Figures) -> str:
    if f.framework == "pa23" and f.light_touch and f.changes_overall_nature:
        return (f"{POLICY}: the law (section 74(2)) lets a light touch contract be modified, but this spin-off "
                "changes the overall nature of the contract, so the platform asks for a new procurement.")
    if f.changes_overall_nature:
        return ("The spin-off changes the overall nature of the contract, so no modification route is open: "
                "it has to be procured as a new contract.")
    return ("None of the modification routes fits these figures and answers: the spin-off has to be procured as a "
            "new contract.")


def _pa23_notices(f: Figures, value_after: int) -> list[Notice]:
    original = f.original_value_pence
    if f.light_touch:
        change = Notice("contract_change_notice", "Contract change notice (UK10)", "not required",
                        "Section 75 does not apply to a modification of a light touch contract.",
                        "Procurement Act 2023 s.75(6)(b)")
    elif _within(f.price_pence, original, SERVICES_PERCENT):
        change = Notice("contract_change_notice", "Contract change notice (UK10)", "not required",
                        f"This modification changes the value by {percent(f.price_pence, original)}%, "
                        f"{SERVICES_PERCENT}% or less (unless it could reasonably have been made together with an "
                        "earlier modification that needed a notice).",
                        "Procurement Act 2023 s.75(2)(a), (4) and (5)")
    else:
        change = Notice("contract_change_notice", "Contract change notice (UK10)", "required",
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
    if f.nation == "wales":
        published = Notice("modified_contract_publication", "Publication of the modified contract", "not required",
                           "The contracting authority is a devolved Welsh authority: the duty to publish the "
                           "modification or the contract as modified does not apply to it (it follows the "
                           "Procurement (Wales) Regulations 2024).",
                           "Procurement Act 2023 s.77 (not applicable to devolved Welsh authorities); "
                           "Procurement (Wales) Regulations 2024")
    elif limit is not None and value_after > limit:
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


def _psr_notices(cumulative: int) -> list[Notice]:
    if abs(cumulative) >= PSR_CUMULATIVE_PENCE:
        return [Notice("psr_transparency_notice", "PSR modification transparency notice", "required",
                       f"The cumulative change, {_pounds(cumulative)}, is {_pounds(PSR_CUMULATIVE_PENCE)} or more: "
                       "publish a notice of the modification.", PSR_SOURCE)]
    return [Notice("psr_transparency_notice", "PSR modification transparency notice", "not required",
                   f"The cumulative change, {_pounds(cumulative)}, is below {_pounds(PSR_CUMULATIVE_PENCE)}.",
                   PSR_SOURCE)]
