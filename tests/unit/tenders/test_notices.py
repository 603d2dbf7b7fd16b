"""The notice table as a table: each row pins one rule of tenders.notices (PA23 ss.50, 52, 53, 55, 75, 80)."""
from dataclasses import replace
from datetime import date, datetime

import pytest

from tenders.notices import NoticeFacts, notice_statuses

ENTERED = datetime(2026, 4, 1, 10, 0)
BASE = NoticeFacts(regime="public_contract", framework="pa23", stage="contract",
                   tender_published_at=datetime(2026, 1, 5, 9, 0), award_published_at=datetime(2026, 3, 2, 9, 0),
                   contract_entered_at=ENTERED, contract_value_pence=100_000_000,
                   contract_starts_on=date(2026, 4, 1), contract_ends_on=date(2028, 3, 31))


def facts(**changes) -> NoticeFacts:
    return replace(BASE, **changes)


def status(given: NoticeFacts, today: date, code: str):
    return next((n for n in notice_statuses(given, today) if n.code == code), None)


# (name, facts, today, notice code, expected state, expected last day or None)
TABLE = [
    # UK7: 30 days beginning with the day the contract was entered into (1 April → 30 April).
    ("uk7 due on its last day", facts(), date(2026, 4, 30), "contract_details", "due", date(2026, 4, 30)),
    ("uk7 overdue the day after", facts(), date(2026, 5, 1), "contract_details", "overdue", date(2026, 4, 30)),
    ("uk7 published", facts(details_published_at=datetime(2026, 5, 3, 9, 0)), date(2026, 6, 1), "contract_details",
     "published", date(2026, 4, 30)),
    # Light touch: 120 days (1 April → 29 July).
    ("uk7 light touch due on day 120", facts(regime="light_touch"), date(2026, 7, 29), "contract_details", "due",
     date(2026, 7, 29)),
    ("uk7 light touch overdue on day 121", facts(regime="light_touch"), date(2026, 7, 30), "contract_details",
     "overdue", date(2026, 7, 29)),
    ("uk7 not for a below-threshold contract", facts(regime="notifiable_below_threshold"), date(2026, 7, 30),
     "contract_details", "not_required", None),
    # UK9: KPIs for a public contract over £5m that is not light touch; voluntary otherwise.
    ("uk9 over £5m due within 12 months", facts(contract_value_pence=500_000_001), date(2027, 4, 1),
     "contract_performance", "due", date(2027, 4, 1)),
    ("uk9 over £5m overdue after 12 months", facts(contract_value_pence=500_000_001), date(2027, 4, 2),
     "contract_performance", "overdue", date(2027, 4, 1)),
    ("uk9 published resets the 12 months",
     facts(contract_value_pence=600_000_000, performance_published_at=[datetime(2027, 3, 1, 9, 0)]),
     date(2027, 6, 1), "contract_performance", "published", date(2028, 3, 1)),
    ("uk9 exactly £5m is voluntary", facts(contract_value_pence=500_000_000), date(2027, 6, 1),
     "contract_performance", "voluntary", None),
    ("uk9 light touch over £5m is voluntary", facts(regime="light_touch", contract_value_pence=900_000_000),
     date(2027, 6, 1), "contract_performance", "voluntary", None),
    # Contract termination notice: 30 days beginning with the day the contract ends.
    ("termination not owed while the contract runs", facts(), date(2028, 3, 31), "contract_termination", None, None),
    ("termination due after the end of the term", facts(), date(2028, 4, 29), "contract_termination", "due",
     date(2028, 4, 29)),
    ("termination overdue 30 days on", facts(), date(2028, 4, 30), "contract_termination", "overdue",
     date(2028, 4, 29)),
    ("termination early", facts(terminated_on=date(2026, 9, 10)), date(2026, 10, 1), "contract_termination", "due",
     date(2026, 10, 9)),
    ("termination published", facts(terminated_on=date(2026, 9, 10),
                                    termination_published_at=datetime(2026, 9, 12, 9, 0)),
     date(2026, 12, 1), "contract_termination", "published", date(2026, 10, 9)),
]


@pytest.mark.parametrize("name,given,today,code,state,due_on", TABLE, ids=[row[0] for row in TABLE])
def test_notice_state_for_each_line_of_the_table(name, given, today, code, state, due_on):
    found = status(given, today, code)
    if state is None:
        assert found is None
    else:
        assert found.state == state
        assert found.due_on == due_on


def test_contract_award_notice_is_uk6_and_cites_section_50():
    award = status(facts(), date(2026, 5, 1), "contract_award")
    assert (award.form, award.label, award.state) == ("UK6", "Contract award notice", "published")
    assert award.source == "Procurement Act 2023 s.50"


def test_award_notice_for_a_below_threshold_contract_is_platform_policy():
    award = status(facts(regime="below_threshold"), date(2026, 5, 1), "contract_award")
    assert award.source.startswith("Platform policy")


def test_procurement_termination_notice_only_after_a_tender_notice():
    cancelled = facts(stage="cancelled", closed_at=datetime(2026, 2, 1, 9, 0), award_published_at=None,
                      contract_entered_at=None)
    found = status(cancelled, date(2026, 2, 2), "procurement_termination")
    assert found.state == "published" and found.source == "Procurement Act 2023 s.55"
    assert status(replace(cancelled, tender_published_at=None), date(2026, 2, 2), "procurement_termination") is None


def test_contract_change_notice_per_modification_that_needed_one():
    found = [n for n in notice_statuses(facts(change_notices_published_at=[datetime(2026, 6, 1, 9, 0)]),
                                        date(2026, 7, 1)) if n.code == "contract_change"]
    assert [(n.form, n.state, n.source) for n in found] == [("UK10", "published", "Procurement Act 2023 s.75(1)")]


def test_every_notice_names_its_legal_basis():
    for n in notice_statuses(facts(terminated_on=date(2026, 9, 10)), date(2026, 10, 1)):
        assert n.source.startswith(("Procurement Act 2023", "Platform policy"))


def test_psr_and_pcr_contracts_owe_no_procurement_act_notices():
    [psr] = notice_statuses(facts(regime="psr"), date(2026, 5, 1))
    assert psr.state == "not_required" and "Provider Selection Regime" in psr.source
    [pcr] = notice_statuses(facts(framework="pcr2015"), date(2026, 5, 1))
    assert pcr.state == "not_required" and "Public Contracts Regulations 2015" in pcr.source


@pytest.mark.parametrize("regime, value_pence, owed", [
    ("public_contract", 500_000_001, True),
    ("public_contract", 500_000_000, False),            # "more than £5m"
    ("light_touch", 900_000_000, False),
    ("notifiable_below_threshold", 530_000_000, False),  # not a public contract: s.52 does not bind it
    ("below_threshold", 900_000_000, False),
])
def test_kpis_and_their_notices_are_owed_only_for_public_contracts_over_five_million(regime, value_pence, owed):
    from tenders.notices import kpis_required

    assert kpis_required(regime, value_pence) is owed
