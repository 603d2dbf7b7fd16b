"""The regime, framework and threshold, taken at the legal start from the CPV code, the value and the nation."""
import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from core.errors import NotPermitted, RuleViolation
from tenders import cpv
from tenders.jurisdiction import Nation
from tenders.models import Threshold
from tenders.regime_rules import RegimeFacts, decide, framework_for
from tenders.services import procurements
from tenders.services.regime import RegimeInputs, set_regime_facts
from tenders.thresholds import regime_of, thresholds_in_force
from tests.unit.tenders.builders import T0, draft

# The table's figures (pence, incl. VAT) in 2025 (from 1 January 2024) and from 1 January 2026.
FIGURES_2025 = {"light_touch": 66_354_000, "services_sub_central": 21_490_400, "services_central": 13_968_800,
                "works": 537_260_900, "notifiable_below_threshold": 3_000_000,
                "notifiable_below_threshold_central": 1_200_000}
FIGURES_2026 = {"light_touch": 66_354_000, "services_sub_central": 20_772_000, "services_central": 13_501_800,
                "works": 519_300_000, "notifiable_below_threshold": 3_000_000,
                "notifiable_below_threshold_central": 1_200_000}
IN_2026 = date(2026, 3, 1)
TRANSPORT, FOSTERING, SEND_EDUCATION, PSYCHOLOGY, BUILDING = "60130000", "85311300", "80340000", "85121270", "45210000"


def facts(value_pounds, code, started_on=IN_2026, nation=Nation.ENGLAND, authority="sub_central", psr=""):
    value = None if value_pounds is None else round(value_pounds * 100)
    return RegimeFacts(value, code, started_on, nation, authority, psr)


REGIME_CASES = [
    # Transport is not a light-touch service: a public contract from the goods-and-services threshold.
    ("send-transport-at-207720", facts(207_720, TRANSPORT), FIGURES_2026, "public_contract", 20_772_000, "pa23"),
    ("send-transport-a-penny-below", facts(207_719.99, TRANSPORT), FIGURES_2026, "notifiable_below_threshold",
     3_000_000, "pa23"),
    ("public-road-transport", facts(300_000, "60112000"), FIGURES_2026, "public_contract", 20_772_000, "pa23"),
    ("transport-begun-in-2025-takes-2024-figure", facts(210_000, TRANSPORT, date(2025, 6, 1)), FIGURES_2025,
     "notifiable_below_threshold", 3_000_000, "pa23"),
    ("central-government-services", facts(135_018, TRANSPORT, authority="central"), FIGURES_2026,
     "public_contract", 13_501_800, "pa23"),
    ("central-notifiable-from-12000", facts(12_000, TRANSPORT, authority="central"), FIGURES_2026,
     "notifiable_below_threshold", 1_200_000, "pa23"),
    ("central-below-12000", facts(11_999.99, TRANSPORT, authority="central"), FIGURES_2026, "below_threshold",
     None, "pa23"),
    ("works-at-5193000", facts(5_193_000, BUILDING), FIGURES_2026, "public_contract", 519_300_000, "pa23"),
    ("works-below-5193000", facts(5_192_999.99, BUILDING), FIGURES_2026, "notifiable_below_threshold", 3_000_000,
     "pa23"),
    # Light-touch depends on the service: a Schedule 1 code at or above £663,540.
    ("fostering-at-light-touch-threshold", facts(663_540, FOSTERING), FIGURES_2026, "light_touch", 66_354_000,
     "pa23"),
    ("fostering-above-services-threshold-is-not-a-public-contract", facts(500_000, FOSTERING), FIGURES_2026,
     "notifiable_below_threshold", 3_000_000, "pa23"),
    ("special-education-light-touch", facts(1_000_000, SEND_EDUCATION), FIGURES_2026, "light_touch", 66_354_000,
     "pa23"),
    ("below-30000", facts(29_999.99, FOSTERING), FIGURES_2026, "below_threshold", None, "pa23"),
    # Framework by legal start.
    ("begun-the-day-before-pa23-is-pcr", facts(1_000_000, FOSTERING, date(2025, 2, 23)), FIGURES_2025,
     "light_touch", 66_354_000, "pcr2015"),
    ("pcr-has-no-notifiable-below-threshold", facts(40_000, TRANSPORT, date(2025, 2, 23)), FIGURES_2025,
     "below_threshold", None, "pcr2015"),
    # The Provider Selection Regime: England only, from the CPV code or the commissioner's decision, no threshold.
    ("psr-health-care-in-england-any-value", facts(100, PSYCHOLOGY), FIGURES_2026, "psr", None, "pa23"),
    ("psr-not-in-wales", facts(1_000_000, PSYCHOLOGY, nation=Nation.WALES), FIGURES_2026, "light_touch",
     66_354_000, "pa23"),
    ("psr-confirmed-by-the-commissioner", facts(100_000, "85312000", psr="applies"), FIGURES_2026, "psr", None,
     "pa23"),
    ("psr-ruled-out-by-the-commissioner", facts(1_000_000, PSYCHOLOGY, psr="not_applies"), FIGURES_2026,
     "light_touch", 66_354_000, "pa23"),
    ("psr-not-before-2024", facts(1_000_000, PSYCHOLOGY, date(2023, 12, 31)), FIGURES_2025, "light_touch",
     66_354_000, "pcr2015"),
    ("value-not-set", facts(None, TRANSPORT), FIGURES_2026, "unknown", None, "pa23"),
]


@pytest.mark.parametrize(("case", "given", "figures", "regime", "threshold", "framework"), REGIME_CASES,
                         ids=[c[0] for c in REGIME_CASES])
def test_regime_follows_service_value_nation_and_legal_start(case, given, figures, regime, threshold, framework):
    answer = decide(given, figures)
    assert (answer.code, answer.threshold_pence, answer.framework) == (regime, threshold, framework)
    assert answer.basis


def test_every_answer_names_its_legal_basis_or_platform_policy():
    for _, given, figures, *_ in REGIME_CASES:
        basis = decide(given, figures).basis
        assert any(word in basis for word in ("PA23", "PCR 2015", "SI 2023/1348", "platform policy")), basis


@pytest.mark.parametrize(("started_on", "framework"), [
    (date(2025, 2, 23), "pcr2015"), (date(2025, 2, 24), "pa23"), (date(2019, 5, 1), "pcr2015")])
def test_framework_follows_the_legal_start(started_on, framework):
    assert framework_for(started_on) == framework


@pytest.mark.parametrize(("code", "light_touch", "psr"), [
    ("85311300", True, False),  # welfare services for children and young people
    ("85311000", True, False),  # social work services with accommodation
    ("80340000", True, False),  # special education services
    ("80000000", True, False),
    ("79611000", True, False),  # job search services
    ("60130000", False, False),  # special-purpose road passenger transport
    ("60112000", False, False),  # public road transport
    ("85121270", True, True),  # psychiatrist or psychologist services
    ("85323000", True, True),  # community health services
    ("85112000", True, False),  # hospital support services: left out of PSR Schedule 1
    ("45210000", False, False),
])
def test_shipped_schedules_classify_the_codes_the_platform_relies_on(code, light_touch, psr):
    assert cpv.is_light_touch_service(code) is light_touch
    assert cpv.is_psr_health_care_service(code) is psr


@pytest.mark.parametrize(("typed", "code"), [("85311300", "85311300"), ("85311300-5", "85311300"),
                                              (" 8531 1300 ", "85311300"), ("8531130", None), ("abc", None),
                                              ("", None), ("853113001", None)])
def test_cpv_codes_are_read_as_eight_digits(typed, code):
    assert cpv.normalise(typed) == code


def test_every_category_proposes_a_known_cpv_code():
    assert all(code in cpv.known_codes() for code in cpv.CATEGORY_DEFAULT_CPV.values())


# ---------------------------------------------------------------- the table and the procurement (database)


@pytest.mark.parametrize("nation", [Nation.ENGLAND, Nation.WALES])
def test_table_changes_on_1_january_2026_for_both_nations(db, nation):
    # The PA23 s.77 publication figure is England's only: the duty does not bind devolved Welsh authorities.
    publication = {"modified_contract_publication": 500_000_000} if nation is Nation.ENGLAND else {}
    assert thresholds_in_force(date(2025, 12, 31), nation) == FIGURES_2025 | publication
    assert thresholds_in_force(date(2026, 1, 1), nation) == FIGURES_2026 | publication


def test_every_threshold_row_names_its_jurisdiction_and_source(db):
    rows = list(db.session.scalars(select(Threshold)))
    assert {r.jurisdiction for r in rows} == {"england", "wales"}
    assert all(r.source for r in rows)
    assert {r.source for r in rows if r.effective_from == date(2026, 1, 1) and r.jurisdiction == "england"
            and not r.code.startswith("notifiable")} == {"SI 2025/1200, from 1 January 2026"}


def test_notifiable_threshold_applies_only_from_its_effective_date(db):
    assert "notifiable_below_threshold" not in thresholds_in_force(date(2025, 2, 23), Nation.ENGLAND)
    assert thresholds_in_force(date(2025, 2, 24), Nation.ENGLAND)["notifiable_below_threshold"] == 3_000_000


def _transport(world, value_pence=21_000_000):
    p = draft(world, value_pence=value_pence)
    set_regime_facts(p, world.c1, RegimeInputs(TRANSPORT, None, "", "", ""), now=T0)
    return p


def test_regime_is_taken_at_the_first_notice_not_today(db, world):
    p = _transport(world)  # £210,000: over the 2026 figure, under the 2024 one
    procurements.publish_engagement_notice(p, world.c1, closes_on=(T0 + timedelta(days=30)).date(), now=T0)
    later = datetime(2031, 1, 1)
    result = regime_of(p, later)
    assert not result.start.provisional and result.start.on == T0.date()
    assert (result.code, result.threshold_pence, result.regime.framework) == ("public_contract", 20_772_000, "pa23")
    assert "not a light-touch service" in result.regime.basis


def test_a_recorded_earlier_start_takes_the_thresholds_and_law_of_that_day(db, world):
    p = draft(world, value_pence=21_000_000)
    set_regime_facts(p, world.c1, RegimeInputs("60130000-4", date(2025, 6, 1), "", "", ""), now=T0)
    result = regime_of(p, T0)
    assert result.start.on == date(2025, 6, 1) and result.start.source == "the start recorded by the commissioner"
    assert (result.code, result.threshold_pence) == ("notifiable_below_threshold", 3_000_000)
    set_regime_facts(p, world.c1, RegimeInputs(TRANSPORT, date(2025, 2, 1), "", "", ""), now=T0)
    assert regime_of(p, T0).regime.framework == "pcr2015"


def test_without_notice_or_contact_the_legal_start_is_provisionally_today(db, world):
    p = _transport(world)
    result = regime_of(p, T0)
    assert result.start.provisional and result.start.on == T0.date()


def test_a_new_procurement_takes_its_categorys_cpv_code(db, world):
    p = draft(world)
    assert p.cpv_code == cpv.CATEGORY_DEFAULT_CPV["childrens_homes"]
    assert regime_of(p, T0).code == "light_touch"


@pytest.mark.parametrize(("inputs", "field"), [
    (RegimeInputs("1234", None, "", "", ""), "cpv_code"),
    (RegimeInputs("99999999", None, "", "", ""), "cpv_code"),
    (RegimeInputs(TRANSPORT, date(2030, 1, 1), "", "", ""), "recorded_start_on"),
    (RegimeInputs(TRANSPORT, None, "applies", "", ""), "psr_reason"),
    (RegimeInputs(TRANSPORT, None, "maybe", "x", ""), "psr_decision"),
    (RegimeInputs(TRANSPORT, None, "", "", "competitive"), "psr_process"),
    (RegimeInputs(PSYCHOLOGY, None, "", "", "direct_award_d"), "psr_process"),
])
def test_bad_regime_facts_are_refused_and_nothing_changes(db, world, inputs, field):
    p = draft(world)
    with pytest.raises(RuleViolation) as refused:
        set_regime_facts(p, world.c1, inputs, now=T0)
    assert field in refused.value.reasons
    assert p.cpv_code == cpv.CATEGORY_DEFAULT_CPV["childrens_homes"] and p.recorded_start_on is None


def test_psr_decision_is_recorded_with_its_reason_and_audited(db, world):
    from trail.models import AuditEvent
    p = draft(world)
    set_regime_facts(p, world.c1, RegimeInputs("85312000", None, "applies", "A CAMHS-type therapeutic service",
                                               "competitive"), now=T0)
    result = regime_of(p, T0)
    assert result.code == "psr" and result.threshold_pence is None
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "procurement.regime_facts")).one()
    payload = json.loads(event.payload)
    assert payload["psr_reason"] == "A CAMHS-type therapeutic service" and payload["regime"] == "psr"


def test_psr_is_refused_for_a_welsh_authority(db, world):
    world.org.gss_code = "W06000099"
    p = draft(world)
    with pytest.raises(RuleViolation) as refused:
        set_regime_facts(p, world.c1, RegimeInputs(PSYCHOLOGY, None, "applies", "Health", ""), now=T0)
    assert "England only" in refused.value.reasons["psr_decision"]
    set_regime_facts(p, world.c1, RegimeInputs(PSYCHOLOGY, None, "", "", ""), now=T0)
    assert regime_of(p, T0).code == "light_touch"  # the same code is not under the PSR in Wales


def test_only_an_owning_commissioner_records_the_regime_facts(db, world):
    p = draft(world)
    with pytest.raises(NotPermitted):
        set_regime_facts(p, world.other_commissioner, RegimeInputs(TRANSPORT, None, "", "", ""), now=T0)
    assert p.cpv_code == cpv.CATEGORY_DEFAULT_CPV["childrens_homes"]


def test_regime_facts_are_frozen_once_the_tender_is_published(db, world):
    from tests.unit.tenders.builders import in_tender
    p = in_tender(world)
    with pytest.raises(RuleViolation):
        set_regime_facts(p, world.c1, RegimeInputs(TRANSPORT, None, "", "", ""), now=T0)


def test_psr_replaces_the_engagement_notice_rule_but_needs_its_process(db, world):
    from tests.unit.tenders.builders import CLARIFY_BY, DEADLINE
    p = draft(world)
    set_regime_facts(p, world.c1, RegimeInputs(PSYCHOLOGY, None, "", "", ""), now=T0)
    with pytest.raises(RuleViolation) as refused:
        procurements.publish_tender(p, world.c1, clarification_deadline=CLARIFY_BY, response_deadline=DEADLINE,
                                    now=T0)
    assert "psr_process" in refused.value.reasons and "no_engagement_reason" not in refused.value.reasons
