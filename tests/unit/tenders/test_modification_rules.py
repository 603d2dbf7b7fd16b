"""The lawful-route check as a table: each row pins one rule of tenders.modification_rules (DESIGN.md rule 8)."""
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
    assert [g.code for g in result.grounds] == ["below_threshold", "schedule8_para1", "schedule8_para4", "light_touch"]
    assert [g.met for g in result.grounds] == [False, False, False, True]
    assert result.grounds[1].source == "Procurement Act 2023 s.74(1)(a), Schedule 8 paragraph 1"


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
