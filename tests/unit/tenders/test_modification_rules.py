"""The lawful-route check as a table: each row pins one rule of tenders.modification_rules (lawful modification)."""
from dataclasses import replace

import pytest

from tenders.modification_rules import NOTE, Figures, check_modification, percent

MILLION = 100_000_000  # £1m in pence
LIGHT_TOUCH = 66_354_000
SERVICES = 21_490_400
FIVE_M = 5 * MILLION

BASE = Figures(framework="pa23", light_touch=False, original_value_pence=2 * MILLION, accepted_total_pence=0,
               price_pence=1_000_000, threshold_pence=SERVICES, publication_threshold_pence=FIVE_M,
               review_clause_in_tender=False, review_clause_in_contract=False, changes_overall_nature=False,
               unforeseeable=False)


def figures(**changes) -> Figures:
    return replace(BASE, **changes)


def notice(result, code):
    return next(n for n in result.notices if n.code == code)


# (name, figures, expected route)
ROUTES = [
    # PA23 below-threshold modification: cumulative ≤ 10% and below the threshold amount.
    ("pa23 9% cumulative", figures(price_pence=18_000_000, threshold_pence=LIGHT_TOUCH, light_touch=True),
     "below_threshold"),
    ("pa23 exactly 10% cumulative", figures(price_pence=10_000_000, accepted_total_pence=10_000_000,
                                            threshold_pence=LIGHT_TOUCH, light_touch=True), "below_threshold"),
    ("pa23 one penny over 10% cumulative, not light touch",
     figures(price_pence=10_000_001, accepted_total_pence=10_000_000, threshold_pence=LIGHT_TOUCH), "new_procurement"),
    ("pa23 within 10% but aggregated value not below the threshold amount",
     figures(original_value_pence=30 * MILLION, price_pence=SERVICES), "new_procurement"),
    ("pa23 within 10% but changes the overall nature", figures(price_pence=1_000_000, changes_overall_nature=True),
     "new_procurement"),
    # Schedule 8 paragraph 1: review clause in both documents.
    ("pa23 review clause in both", figures(price_pence=60_000_000, review_clause_in_tender=True,
                                           review_clause_in_contract=True), "schedule8_para1"),
    ("pa23 review clause in the tender only", figures(price_pence=60_000_000, review_clause_in_tender=True),
     "new_procurement"),
    ("pa23 review clause in the contract only", figures(price_pence=60_000_000, review_clause_in_contract=True),
     "new_procurement"),
    # Schedule 8 paragraph 4: unforeseeable, at most 50% per modification.
    ("pa23 unforeseeable at exactly 50%", figures(price_pence=MILLION, unforeseeable=True), "schedule8_para4"),
    ("pa23 unforeseeable just over 50%", figures(price_pence=MILLION + 1, unforeseeable=True), "new_procurement"),
    ("pa23 unforeseeable but changes the overall nature",
     figures(price_pence=40_000_000, unforeseeable=True, changes_overall_nature=True), "new_procurement"),
    # s.74(2): a light touch contract may be modified, unless the spin-off changes its overall nature.
    ("pa23 light touch over 10% with no ground", figures(price_pence=60_000_000, light_touch=True,
                                                        threshold_pence=LIGHT_TOUCH), "light_touch"),
    ("pa23 light touch changing the overall nature", figures(price_pence=60_000_000, light_touch=True,
                                                            threshold_pence=LIGHT_TOUCH,
                                                            changes_overall_nature=True), "new_procurement"),
    # PCR 2015 reg 72(5) de minimis: below the threshold AND within 10%, cumulatively.
    ("pcr de minimis below threshold and 10%", figures(framework="pcr2015", price_pence=15_000_000), "pcr_72_5"),
    ("pcr within 10% but above the threshold", figures(framework="pcr2015", original_value_pence=30 * MILLION,
                                                       price_pence=SERVICES), "new_procurement"),
    ("pcr below threshold but cumulative over 10%",
     figures(framework="pcr2015", price_pence=15_000_000, accepted_total_pence=10_000_000), "new_procurement"),
    # PCR reg 72(1)(a): review clauses in the initial procurement documents are enough.
    ("pcr review clause in the tender only", figures(framework="pcr2015", price_pence=60_000_000,
                                                     review_clause_in_tender=True), "pcr_72_1_a"),
    ("pcr review clause in the contract only", figures(framework="pcr2015", price_pence=60_000_000,
                                                       review_clause_in_contract=True), "new_procurement"),
    # PCR reg 72(1)(c) and (b): the 50% cap applies to each modification, not cumulatively.
    ("pcr unforeseeable at 50% after earlier modifications",
     figures(framework="pcr2015", price_pence=MILLION, accepted_total_pence=MILLION, unforeseeable=True),
     "pcr_72_1_c"),
    ("pcr unforeseeable over 50%", figures(framework="pcr2015", price_pence=MILLION + 1, unforeseeable=True),
     "new_procurement"),
    ("pcr additional services from the same provider",
     figures(framework="pcr2015", price_pence=80_000_000, additional_from_same_provider=True), "pcr_72_1_b"),
    ("pcr additional services over 50%",
     figures(framework="pcr2015", price_pence=MILLION + 1, additional_from_same_provider=True), "new_procurement"),
    ("pcr light touch gets no s.74(2) route", figures(framework="pcr2015", price_pence=60_000_000, light_touch=True,
                                                      threshold_pence=LIGHT_TOUCH), "new_procurement"),
]


@pytest.mark.parametrize("name,given,route", ROUTES, ids=[row[0] for row in ROUTES])
def test_route_for_each_line_of_the_table(name, given, route):
    assert check_modification(given).route == route


def test_every_result_shows_its_figures_rule_source_and_the_note():
    result = check_modification(figures(price_pence=18_000_000, accepted_total_pence=2_000_000))
    assert result.figures["original_value_pence"] == 2 * MILLION
    assert result.figures["cumulative_pence"] == 20_000_000
    assert result.figures["cumulative_percent"] == "10.00"
    assert result.figures["value_after_pence"] == 2 * MILLION + 20_000_000
    assert result.source == "Procurement Act 2023 s.74(1)(c) and s.74(4)"
    assert "10.00%" in result.rule
    assert result.note == NOTE and "not legal advice" in result.note


def test_new_procurement_has_no_notices_and_says_why():
    result = check_modification(figures(price_pence=1_000_000, changes_overall_nature=True))
    assert result.needs_new_procurement
    assert result.notices == []
    assert "overall nature" in result.rule


def test_contract_change_notice_is_not_required_for_a_light_touch_contract():
    result = check_modification(figures(price_pence=60_000_000, light_touch=True, threshold_pence=LIGHT_TOUCH))
    change = notice(result, "contract_change_notice")
    assert change.status == "not required" and change.source == "Procurement Act 2023 s.75(6)(b)"
    assert notice(result, "voluntary_standstill").status == "not required"


def test_contract_change_notice_is_required_over_ten_percent_when_not_light_touch():
    result = check_modification(figures(price_pence=60_000_000, review_clause_in_tender=True,
                                        review_clause_in_contract=True))
    assert notice(result, "contract_change_notice").status == "required"
    assert notice(result, "voluntary_standstill").status == "optional"


def test_contract_change_notice_is_not_required_for_a_change_of_ten_percent_or_less():
    result = check_modification(figures(price_pence=20_000_000, review_clause_in_tender=True,
                                        review_clause_in_contract=True, threshold_pence=10_000_000))
    assert result.route == "schedule8_para1"
    assert notice(result, "contract_change_notice").status == "not required"
    assert notice(result, "contract_change_notice").source.startswith("Procurement Act 2023 s.75(2)(a)")


@pytest.mark.parametrize("original,price,status", [
    (45 * MILLION // 10, 60_000_000, "required"),  # £5.1m after the change
    (4 * MILLION, 40_000_000, "not required"),  # £4.4m after the change
    (49 * MILLION // 10, 10_000_000, "not required"),  # exactly £5m is not over £5m
    (49 * MILLION // 10, 10_000_001, "required"),
])
def test_publication_of_the_modified_contract_over_five_million(original, price, status):
    result = check_modification(figures(original_value_pence=original, price_pence=price, light_touch=True,
                                        threshold_pence=LIGHT_TOUCH))
    assert result.route != "new_procurement"
    published = notice(result, "modified_contract_publication")
    assert published.status == status
    assert published.source == "Procurement Act 2023 s.77"


def test_pcr_modification_notice_follows_unforeseeable_but_not_de_minimis():
    unforeseen = check_modification(figures(framework="pcr2015", price_pence=60_000_000, unforeseeable=True))
    assert unforeseen.notices[0].status == "required"
    assert unforeseen.notices[0].source == "Public Contracts Regulations 2015 reg 72(3)"
    de_minimis = check_modification(figures(framework="pcr2015", price_pence=1_000_000))
    assert de_minimis.notices[0].status == "not required"
    assert all("s.75" not in n.source for n in de_minimis.notices)


def test_every_ground_considered_is_listed_with_its_source():
    result = check_modification(figures(price_pence=60_000_000, light_touch=True, threshold_pence=LIGHT_TOUCH))
    assert [g.code for g in result.grounds] == [
        "schedule8_restructuring", "below_threshold", "schedule8_para1", "schedule8_additional",
        "schedule8_known_risk", "schedule8_para4", "not_substantial", "light_touch"]
    assert [g.met for g in result.grounds] == [False, False, False, False, False, False, False, True]
    assert result.grounds[2].source == "Procurement Act 2023 s.74(1)(a), Schedule 8 paragraph 1"


def test_snapshot_is_json_safe():
    import json

    data = check_modification(BASE).as_dict()
    assert json.loads(json.dumps(data))["route"] == data["route"]


def test_unknown_framework_is_refused():
    with pytest.raises(ValueError):
        check_modification(figures(framework="eu2014"))


def test_percent_rounds_to_two_places():
    assert percent(1, 3) == "33.33"
    assert percent(2, 3) == "66.67"
    assert percent(1, 0) == "—"


# Every lawful modification route, as a table: (name, figures, expected route).
REASONS = "Adds sessions of the same service to the same children; the supplier's margin does not change."
MORE_ROUTES = [
    # PA23 s.74(1)(b) with s.74(3): not substantial, with the commissioner's recorded reasons.
    ("pa23 not substantial with reasons", figures(price_pence=60_000_000, not_substantial_reasons=REASONS),
     "not_substantial"),
    ("pa23 not substantial needs recorded reasons", figures(price_pence=60_000_000), "new_procurement"),
    ("pa23 materially changing the scope is substantial",
     figures(price_pence=60_000_000, not_substantial_reasons=REASONS, materially_changes_scope=True),
     "new_procurement"),
    ("pa23 economic balance to the supplier is substantial",
     figures(price_pence=60_000_000, not_substantial_reasons=REASONS, shifts_economic_balance=True),
     "new_procurement"),
    ("pa23 term change of exactly 10% is not substantial",
     figures(price_pence=60_000_000, not_substantial_reasons=REASONS, term_change_months=6, max_term_months=60),
     "not_substantial"),
    ("pa23 term change over 10% is substantial",
     figures(price_pence=60_000_000, not_substantial_reasons=REASONS, term_change_months=7, max_term_months=60),
     "new_procurement"),
    ("pa23 term change with no recorded maximum term cannot be assessed",
     figures(price_pence=60_000_000, not_substantial_reasons=REASONS, term_change_months=1), "new_procurement"),
    # Schedule 8 additional goods, services or works: 50% cap per modification.
    ("pa23 additional services at exactly 50%", figures(price_pence=MILLION, additional_from_same_provider=True),
     "schedule8_additional"),
    ("pa23 additional services over 50%", figures(price_pence=MILLION + 1, additional_from_same_provider=True),
     "new_procurement"),
    ("pa23 additional services after earlier modifications: the cap is per modification",
     figures(price_pence=MILLION, accepted_total_pence=MILLION, additional_from_same_provider=True),
     "schedule8_additional"),
    # Schedule 8 paragraphs 5-6: a known risk materialising.
    ("pa23 known risk materialised", figures(price_pence=60_000_000, known_risk_materialised=True),
     "schedule8_known_risk"),
    ("pa23 known risk over 50%", figures(price_pence=MILLION + 1, known_risk_materialised=True), "new_procurement"),
    # Schedule 8 corporate restructuring: only the supplier changes.
    ("pa23 corporate restructuring with no price change", figures(price_pence=0, corporate_restructuring=True),
     "schedule8_restructuring"),
    ("pa23 corporate restructuring does not carry a price rise",
     figures(price_pence=60_000_000, corporate_restructuring=True), "new_procurement"),
    # PCR reg 72(1)(d) and 72(1)(e) with 72(8).
    ("pcr new contractor after restructuring", figures(framework="pcr2015", price_pence=0,
                                                       corporate_restructuring=True), "pcr_72_1_d"),
    ("pcr new contractor does not carry a price rise",
     figures(framework="pcr2015", price_pence=60_000_000, corporate_restructuring=True), "new_procurement"),
    ("pcr not substantial under 72(8) with reasons",
     figures(framework="pcr2015", price_pence=60_000_000, not_substantial_reasons=REASONS), "pcr_72_1_e"),
    ("pcr considerable extension of scope is substantial under 72(8)",
     figures(framework="pcr2015", price_pence=60_000_000, not_substantial_reasons=REASONS,
             materially_changes_scope=True), "new_procurement"),
    ("pcr materially different in character is substantial under 72(8)",
     figures(framework="pcr2015", price_pence=60_000_000, not_substantial_reasons=REASONS,
             changes_overall_nature=True), "new_procurement"),
    # The 10% boundary: PA23 s.74(4)(a) "not more than" (exactly 10% within); PCR reg 72(5) "below" (not within).
    ("pa23 exactly 10% is a below-threshold modification", figures(price_pence=20_000_000), "below_threshold"),
    ("pa23 one penny over 10% is not", figures(price_pence=20_000_001), "new_procurement"),
    ("pcr exactly 10% is not de minimis", figures(framework="pcr2015", price_pence=20_000_000), "new_procurement"),
    ("pcr one penny below 10% is de minimis", figures(framework="pcr2015", price_pence=19_999_999), "pcr_72_5"),
    # PSR reg 13: cumulative change below £500,000 OR below 25% of the original value.
    ("psr below £500,000", figures(framework="psr2023", original_value_pence=MILLION, price_pence=49_999_999),
     "psr_limits"),
    ("psr £500,000 but below 25%", figures(framework="psr2023", original_value_pence=4 * MILLION,
                                          price_pence=50_000_000), "psr_limits"),
    ("psr exactly £500,000 and exactly 25%", figures(framework="psr2023", original_value_pence=2 * MILLION,
                                                    price_pence=50_000_000), "new_procurement"),
    ("psr cumulative over both limits",
     figures(framework="psr2023", original_value_pence=MILLION, price_pence=30_000_000,
             accepted_total_pence=30_000_000), "new_procurement"),
    ("psr materially different in character", figures(framework="psr2023", price_pence=1_000_000,
                                                      changes_overall_nature=True), "new_procurement"),
    ("psr provided for in the contract", figures(framework="psr2023", original_value_pence=MILLION,
                                                 price_pence=MILLION, review_clause_in_contract=True),
     "psr_provided_for"),
]


@pytest.mark.parametrize("name,given,route", MORE_ROUTES, ids=[row[0] for row in MORE_ROUTES])
def test_route_for_every_lawful_modification_route(name, given, route):
    assert check_modification(given).route == route


def test_not_substantial_route_records_the_commissioners_reasons_and_its_source():
    result = check_modification(figures(price_pence=60_000_000, not_substantial_reasons=REASONS))
    assert result.source == "Procurement Act 2023 s.74(1)(b) and s.74(3)"
    assert REASONS in result.rule
    assert result.figures["not_substantial_reasons"] == REASONS


@pytest.mark.parametrize("cumulative,status", [(49_999_999, "not required"), (50_000_000, "required")])
def test_psr_transparency_notice_at_five_hundred_thousand_or_more(cumulative, status):
    result = check_modification(figures(framework="psr2023", original_value_pence=10 * MILLION,
                                        price_pence=cumulative))
    assert result.route == "psr_limits"
    [transparency] = result.notices
    assert transparency.status == status
    assert transparency.source == "Health Care Services (Provider Selection Regime) Regulations 2023 reg 13"
    assert all("Procurement Act" not in n.source for n in result.notices)


def test_a_welsh_authority_is_never_told_to_publish_the_modified_contract():
    england = check_modification(figures(original_value_pence=45 * MILLION // 10, price_pence=60_000_000,
                                         light_touch=True, threshold_pence=LIGHT_TOUCH))
    wales = check_modification(figures(original_value_pence=45 * MILLION // 10, price_pence=60_000_000,
                                       light_touch=True, threshold_pence=LIGHT_TOUCH, nation="wales"))
    assert notice(england, "modified_contract_publication").status == "required"
    published = notice(wales, "modified_contract_publication")
    assert published.status == "not required"
    assert "devolved Welsh authority" in published.why
    assert "Procurement (Wales) Regulations 2024" in published.source


def test_light_touch_overall_nature_caution_is_labelled_platform_policy_not_law():
    result = check_modification(figures(price_pence=60_000_000, light_touch=True, threshold_pence=LIGHT_TOUCH,
                                        changes_overall_nature=True))
    assert result.route == "new_procurement"
    assert result.rule.startswith("Platform policy, not law")
    assert result.source.startswith("Platform policy, not law")
    light = next(g for g in result.grounds if g.code == "light_touch")
    assert "Platform policy" in light.why and "platform policy" in light.source


def test_unknown_nation_is_refused():
    with pytest.raises(ValueError):
        check_modification(figures(nation="scotland"))
