"""Spin-off proposals on contracts: proposing, the check with real figures, accepting, declining, new procurements."""
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from core.errors import NotPermitted, RuleViolation
from tenders.models import Contract, Procurement
from tenders.models.spinoffs import ContractModification, SpinOffProposal
from tenders.services import evaluation, procurements
from tenders.services import spinoffs as services
from tenders.services.spinoffs import Answers
from tests.unit.tenders.builders import awarded, standstill_end
from trail.models import AuditEvent

NEW_NATURE = Answers(changes_overall_nature=True)


def contract_world(world):
    """A contract entered into the day after standstill: p1 won at £1.1m, a light touch contract under PA23."""
    p = awarded(world)
    day = standstill_end(p) + timedelta(days=1)
    now = datetime.combine(day, time(9))
    contract = evaluation.enter_contract(p, world.c1, starts_on=day, now=now)
    return p, contract, now


def propose(world, contract, now, *, price=5_000_000, title="Weekend activities", **changes):
    fields = dict(title=title, description_md="Weekend **outdoor** activities for the children in the homes.",
                  evidence_md="69% stayed in their first placement.", price_pence=price, duration_months=12)
    fields.update(changes)
    return services.propose_spinoff(contract, world.p1, now=now, **fields)


def events(action):
    return list(db_session().scalars(select(AuditEvent).where(AuditEvent.action == action)))


def db_session():
    from core.extensions import db

    return db.session


def count(model):
    return db_session().scalar(select(func.count()).select_from(model))


# ---------------------------------------------------------------- proposing


def test_provider_of_the_contract_proposes_a_spinoff_and_it_is_audited(db, world):
    p, contract, now = contract_world(world)
    proposal = propose(world, contract, now)
    assert proposal.status == "proposed" and proposal.provider_org_id == world.p1.organisation_id
    assert "<strong>outdoor</strong>" in proposal.description_html
    assert proposal.evidence_html
    event = events("spinoff.proposed")[-1]
    assert event.procurement_id == p.id and event.audience == "participants"


def test_contract_remembers_its_original_value_when_entered_into(db, world):
    p, contract, now = contract_world(world)
    assert contract.original_value_pence == contract.value_pence == 110_000_000


@pytest.mark.parametrize("who", ["p2", "in_house", "c1", "other_commissioner", "auditor"])
def test_only_the_contracts_provider_can_propose_and_refusals_are_audited(db, world, who):
    p, contract, now = contract_world(world)
    before = count(SpinOffProposal)
    with pytest.raises(NotPermitted):
        services.propose_spinoff(contract, getattr(world, who), title="x", description_md="y", evidence_md="",
                                 price_pence=100, duration_months=1, now=now)
    assert count(SpinOffProposal) == before
    refusal = events("security.refused")[-1]
    assert "spinoff.propose" in refusal.summary and refusal.procurement_id == p.id


def test_spinoff_on_an_ended_contract_is_refused_with_the_end_date(db, world):
    p, contract, now = contract_world(world)
    after_end = datetime.combine(contract.ends_on + timedelta(days=1), time(9))
    with pytest.raises(RuleViolation) as exc:
        propose(world, contract, after_end)
    assert f"{contract.ends_on:%-d %B %Y}" in exc.value.reasons[""] and "ended" in exc.value.reasons[""]
    assert count(SpinOffProposal) == 0


def test_spinoff_on_the_last_day_of_the_contract_is_accepted(db, world):
    p, contract, now = contract_world(world)
    assert propose(world, contract, datetime.combine(contract.ends_on, time(9))).id


@pytest.mark.parametrize("price,message", [(0, "more than £0"), (-100, "more than £0"), (None, "Enter the price")])
def test_price_must_be_more_than_zero(db, world, price, message):
    p, contract, now = contract_world(world)
    with pytest.raises(RuleViolation) as exc:
        propose(world, contract, now, price=price)
    assert message in exc.value.reasons["price"]
    assert count(SpinOffProposal) == 0


@pytest.mark.parametrize("months,ok", [(0, False), (1, True), (120, True), (121, False), (-3, False), (None, False)])
def test_duration_is_between_1_and_120_months(db, world, months, ok):
    p, contract, now = contract_world(world)
    if ok:
        assert propose(world, contract, now, duration_months=months).duration_months == months
    else:
        with pytest.raises(RuleViolation) as exc:
            propose(world, contract, now, duration_months=months)
        assert "duration_months" in exc.value.reasons


@pytest.mark.parametrize("field,value,key", [("description_md", "   ", "description"), ("title", "", "title")])
def test_description_and_title_are_required(db, world, field, value, key):
    p, contract, now = contract_world(world)
    with pytest.raises(RuleViolation) as exc:
        propose(world, contract, now, **{field: value})
    assert key in exc.value.reasons
    assert count(SpinOffProposal) == 0


# ---------------------------------------------------------------- the check with real figures


def test_check_uses_the_original_value_the_table_thresholds_and_both_review_clauses(db, world):
    p, contract, now = contract_world(world)
    check = services.check_for(propose(world, contract, now, price=11_000_000), Answers(), now.date())
    assert check.framework == "pa23"
    assert check.figures["original_value_pence"] == 110_000_000
    assert check.figures["cumulative_percent"] == "10.00"
    assert check.figures["light_touch"] is True
    assert check.figures["threshold_pence"] == 66_354_000  # the light-touch threshold from the table
    assert check.figures["publication_threshold_pence"] == 500_000_000  # the £5m figure from the table
    assert check.figures["review_clause_in_tender"] and check.figures["review_clause_in_contract"]
    assert check.route == "below_threshold"


def test_check_totals_accepted_modifications_with_the_new_one(db, world):
    p, contract, now = contract_world(world)
    first = propose(world, contract, now, price=6_000_000)
    services.accept(first, world.c1, answers=Answers(), reason="Fits the outcomes", now=now)
    second = propose(world, contract, now, price=6_000_000, title="Holiday club")
    check = services.check_for(second, Answers(), now.date())
    assert check.figures["accepted_total_pence"] == 6_000_000
    assert type(check.figures["accepted_total_pence"]) is int  # a JSON-safe snapshot on PostgreSQL too
    assert check.figures["cumulative_pence"] == 12_000_000
    assert check.figures["original_value_pence"] == 110_000_000  # not the modified value
    assert check.route != "below_threshold"  # 10.91% cumulative


def test_procurements_whose_legal_start_is_before_24_february_2025_are_pcr_2015(db, world):
    old = procurements.create_procurement(world.c1, title="Old", category="childrens_homes", region="",
                                          subject_md="x", now=datetime(2026, 1, 5))
    old.recorded_start_on = date(2025, 2, 23)
    new = procurements.create_procurement(world.c1, title="New", category="childrens_homes", region="",
                                          subject_md="x", now=datetime(2026, 1, 5))
    new.recorded_start_on = date(2025, 2, 24)
    assert services.framework_for(old) == "pcr2015"
    assert services.framework_for(new) == "pa23"


# ---------------------------------------------------------------- accepting


def test_accepting_updates_the_contract_value_and_writes_the_register(db, world):
    p, contract, now = contract_world(world)
    proposal = propose(world, contract, now, price=5_500_000)
    modification = services.accept(proposal, world.c1, answers=Answers(), reason="Builds on stability outcomes",
                                   now=now)
    assert contract.value_pence == 115_500_000 and contract.original_value_pence == 110_000_000
    assert (modification.value_before_pence, modification.value_after_pence) == (110_000_000, 115_500_000)
    assert modification.cumulative_percent == "5.00" and modification.route == "below_threshold"
    assert modification.ground == "Procurement Act 2023 s.74(1)(c) and s.74(4)"
    assert "Contract change notice" in modification.notices
    assert proposal.status == "accepted" and proposal.decided_by_id == world.c1.id
    assert proposal.snapshot["route"] == "below_threshold"
    assert services.register_for(p) == [modification]
    event = events("spinoff.accepted")[-1]
    assert event.audience == "public" and "£1,100,000.00 → £1,155,000.00" in event.summary


def test_accepting_is_refused_when_a_new_procurement_is_needed(db, world):
    p, contract, now = contract_world(world)
    proposal = propose(world, contract, now, price=5_000_000)
    with pytest.raises(RuleViolation) as exc:
        services.accept(proposal, world.c1, answers=NEW_NATURE, reason="Good idea", now=now)
    assert "new procurement is needed" in exc.value.reasons["decision"]
    assert contract.value_pence == 110_000_000 and proposal.status == "proposed"
    assert count(ContractModification) == 0


def test_a_decision_needs_a_reason(db, world):
    p, contract, now = contract_world(world)
    proposal = propose(world, contract, now)
    for decide in (services.accept, services.decline):
        with pytest.raises(RuleViolation) as exc:
            decide(proposal, world.c1, answers=Answers(), reason="  ", now=now)
        assert "reason" in exc.value.reasons
    with pytest.raises(RuleViolation) as exc:
        services.to_new_procurement(proposal, world.c1, answers=Answers(), reason="", now=now,
                                    engagement_closes_on=now.date() + timedelta(days=20))
    assert "reason" in exc.value.reasons
    assert proposal.status == "proposed" and contract.value_pence == 110_000_000


def test_a_decided_proposal_cannot_be_decided_again(db, world):
    p, contract, now = contract_world(world)
    proposal = propose(world, contract, now)
    services.decline(proposal, world.c1, answers=Answers(), reason="Not needed now", now=now)
    with pytest.raises(RuleViolation) as exc:
        services.accept(proposal, world.c2, answers=Answers(), reason="Changed our mind", now=now)
    assert "already decided" in exc.value.reasons[""]
    assert proposal.status == "declined" and contract.value_pence == 110_000_000


@pytest.mark.parametrize("who", ["other_commissioner", "p1", "p2", "auditor"])
def test_only_the_owning_commissioners_decide_and_refusals_are_audited(db, world, who):
    p, contract, now = contract_world(world)
    proposal = propose(world, contract, now)
    with pytest.raises(NotPermitted):
        services.accept(proposal, getattr(world, who), answers=Answers(), reason="Yes", now=now)
    with pytest.raises(NotPermitted):
        services.decline(proposal, getattr(world, who), answers=Answers(), reason="No", now=now)
    assert proposal.status == "proposed" and contract.value_pence == 110_000_000
    refused = [e.summary for e in events("security.refused")]
    assert any("spinoff.accept" in s for s in refused) and any("spinoff.decline" in s for s in refused)


def test_accepting_on_an_ended_contract_is_refused(db, world):
    p, contract, now = contract_world(world)
    proposal = propose(world, contract, now)
    later = datetime.combine(contract.ends_on + timedelta(days=1), time(9))
    with pytest.raises(RuleViolation) as exc:
        services.accept(proposal, world.c1, answers=Answers(), reason="Yes", now=later)
    assert "ended" in exc.value.reasons[""]


# ---------------------------------------------------------------- declining and new procurements


def test_declining_records_the_reason_and_the_check_publicly(db, world):
    p, contract, now = contract_world(world)
    proposal = propose(world, contract, now)
    services.decline(proposal, world.c1, answers=NEW_NATURE, reason="Better procured openly", now=now)
    assert proposal.status == "declined" and proposal.reason == "Better procured openly"
    assert proposal.snapshot["route"] == "new_procurement"
    event = events("spinoff.declined")[-1]
    assert event.audience == "public" and "Better procured openly" in event.summary
    assert contract.value_pence == 110_000_000


def test_turning_a_proposal_into_a_new_procurement_carries_its_text_and_links_back(db, world):
    p, contract, now = contract_world(world)
    proposal = propose(world, contract, now, price=80_000_000, title="Step-down foster care")
    new = services.to_new_procurement(proposal, world.c1, answers=NEW_NATURE, reason="A different service",
                                      engagement_closes_on=now.date() + timedelta(days=30), now=now)
    assert new.stage == "engagement" and new.title == "Step-down foster care"
    assert new.owner_org_id == p.owner_org_id and new.category == p.category
    assert "Weekend **outdoor** activities" in new.subject_md
    assert "69% stayed in their first placement." in new.subject_md
    assert "Started from spin-off proposal [“Step-down foster care”]" in new.subject_md
    assert f"/tenders/{p.id}/spinoffs/{proposal.id}" in new.subject_md and p.reference in new.subject_md
    assert proposal.status == "new_procurement" and proposal.new_procurement_id == new.id
    assert services.origin_of(new) == proposal
    event = events("spinoff.new_procurement")[-1]
    assert event.audience == "public" and new.reference in event.summary
    assert contract.value_pence == 110_000_000


@pytest.mark.parametrize("closes_on", [None, date(2020, 1, 1)])
def test_new_procurement_needs_a_future_engagement_closing_date_and_makes_nothing_otherwise(db, world, closes_on):
    p, contract, now = contract_world(world)
    proposal = propose(world, contract, now)
    before = count(Procurement)
    with pytest.raises(RuleViolation) as exc:
        services.to_new_procurement(proposal, world.c1, answers=Answers(), reason="Open it up",
                                    engagement_closes_on=closes_on, now=now)
    assert "closes_on" in exc.value.reasons
    assert count(Procurement) == before and proposal.status == "proposed"


def test_other_commissioner_cannot_start_a_procurement_from_the_proposal(db, world):
    p, contract, now = contract_world(world)
    proposal = propose(world, contract, now)
    before = count(Procurement)
    with pytest.raises(NotPermitted):
        services.to_new_procurement(proposal, world.other_commissioner, answers=Answers(), reason="Mine",
                                    engagement_closes_on=now.date() + timedelta(days=30), now=now)
    assert count(Procurement) == before
    assert db_session().get(Contract, contract.id).value_pence == 110_000_000


# ---------------------------------------------------------------- policy: role x action


def test_policy_matrix_for_proposing_deciding_and_viewing(db, world):
    from tenders.policy import spinoffs as spinoff_policy

    p, contract, now = contract_world(world)
    proposal = propose(world, contract, now)
    today = now.date()
    people = {"p1": world.p1, "p2": world.p2, "in_house": world.in_house, "c1": world.c1, "c2": world.c2,
              "other_commissioner": world.other_commissioner, "auditor": world.auditor, "admin": world.admin}
    expected = {
        "propose": {"p1"},
        "decide": {"c1", "c2"},
        "view_open": {"p1", "c1", "c2", "auditor"},
    }
    assert {k for k, u in people.items() if spinoff_policy.can_propose(u, contract, today)} == expected["propose"]
    assert {k for k, u in people.items() if spinoff_policy.can_decide(u, p)} == expected["decide"]
    assert {k for k, u in people.items()
            if spinoff_policy.can_view_proposal(u, proposal, p)} == expected["view_open"]
    assert not spinoff_policy.can_propose(world.p1, contract, contract.ends_on + timedelta(days=1))
    services.decline(proposal, world.c1, answers=Answers(), reason="Not now", now=now)
    assert all(spinoff_policy.can_view_proposal(u, proposal, p) for u in people.values())


def test_a_provider_selection_regime_contract_is_checked_against_psr_regulation_13(db, world):
    p, contract, now = contract_world(world)
    contract.regime = "psr"
    contract.review_clauses_md = ""  # nothing provided for in the contract: the value limits decide
    proposal = propose(world, contract, now, price=contract.original_value_pence * 20 // 100)
    check = services.check_for(proposal, Answers(), now.date())
    assert check.framework == "psr2023" and check.route == "psr_limits"
    assert check.source == "Health Care Services (Provider Selection Regime) Regulations 2023 reg 13"
    assert all("Procurement Act" not in n.source for n in check.notices)
