"""The outcome services' rules: copied at award, two-person rules, nothing overwritten, every step audited."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.errors import NotPermitted, RuleViolation
from core.safeguarding import ChildDataWarning
from forum.attachments import Upload
from outcomes.services import ratings, returns, setup, statements
from outcomes.services.common import outcomes_for, terms_for
from outcomes.services.returns import Figures, StratumInput
from tenders.models import ContractPerformanceNotice, Procurement
from tenders.services import specification
from tests.unit.outcomes.builders import (
    LATER,
    contracted,
    linear_terms,
    proportion,
    stability,
    submitted,
)
from trail.models import AuditEvent


def _actions(db) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("outcomes.%"))
                                   .order_by(AuditEvent.seq)))


def test_at_award_the_specification_outcomes_are_copied_into_the_contract(db, world):
    contract = contracted(world)
    terms = terms_for(contract)
    copied = outcomes_for(contract)
    assert [o.indicator for o in copied] == ["Unplanned endings of placements in the year",
                                             "Attendance and progress against the EHC plan"]
    assert (copied[0].measure, copied[0].formula, copied[0].target, copied[0].at_risk_percent) == (
        "proportion", "all_or_nothing", Decimal(69), 20)
    assert terms.period_months == 3 and terms.value_pence == contract.value_pence and not terms.uk9_required
    assert _actions(db) == ["outcomes.terms_set"]


def test_a_later_specification_version_never_changes_the_signed_contract(db, world):
    contract = contracted(world)
    procurement = db.session.get(Procurement,
                                 contract.procurement_id)
    before = [(o.indicator, o.target_text) for o in outcomes_for(contract)]
    with pytest.raises(RuleViolation):
        specification.save_version(procurement, world.c1, body_md="Changed", outcomes=[], now=LATER)
    assert [(o.indicator, o.target_text) for o in outcomes_for(contract)] == before


def test_terms_are_set_before_any_return_and_then_fixed(db, world):
    contract = contracted(world)
    outcome = stability(contract)
    linear_terms(outcome, world)
    assert outcome.formula == "linear" and outcome.baseline == Decimal(50)
    with pytest.raises(RuleViolation) as refused:
        linear_terms(outcome, world, at_risk_percent=95)
    assert "cannot put more than 100%" in refused.value.reasons["at_risk_percent"]
    submitted(world, outcome, "2026-Q2")
    with pytest.raises(RuleViolation) as fixed:
        linear_terms(outcome, world, target=Decimal(80))
    assert "contract modification" in fixed.value.reasons[""]
    with pytest.raises(NotPermitted):
        setup.agree_terms(outcome, world.p1, setup.AgreedTerms("proportion", "higher", "linear", Decimal(1),
                                                               Decimal(2), 5, 100), now=LATER)


def test_only_the_contracts_provider_submits_and_only_for_an_ended_period(db, world):
    contract = contracted(world)
    outcome = stability(contract)
    with pytest.raises(NotPermitted):
        returns.submit_return(outcome, world.p2, period="2026-Q2", figures=proportion(10, 7), narrative_md="",
                              now=LATER)
    with pytest.raises(RuleViolation) as refused:
        returns.submit_return(outcome, world.p1, period="2026-Q4", figures=proportion(10, 7), narrative_md="",
                              now=LATER)
    assert "has ended" in refused.value.reasons["period"]


def test_strata_must_add_up_to_the_cohort_and_achieved(db, world):
    outcome = stability(contracted(world))
    bad = Figures(cohort=10, achieved=7, strata=(StratumInput("high", "11-15", 6, 4),))
    with pytest.raises(RuleViolation) as refused:
        returns.submit_return(outcome, world.p1, period="2026-Q2", figures=bad, narrative_md="", now=LATER)
    assert "add up to a cohort of 6, not 10" in refused.value.reasons["strata"]
    missing = Figures(cohort=10, achieved=7)
    with pytest.raises(RuleViolation) as refused:
        returns.submit_return(outcome, world.p1, period="2026-Q2", figures=missing, narrative_md="", now=LATER)
    assert "strata" in refused.value.reasons


def test_the_child_data_check_reads_file_names_too(db, world):
    outcome = stability(contracted(world))
    with pytest.raises(ChildDataWarning):
        returns.submit_return(outcome, world.p1, period="2026-Q2", figures=proportion(10, 7), narrative_md="",
                              files=[Upload("dob 03-04-2012 records.csv", b"a,b\n1,2\n")], now=LATER)


def test_the_verifier_cannot_be_the_person_who_submitted(db, world):
    """A person holding both roles in turn (the role changed) still cannot verify their own return."""
    outcome = stability(contracted(world))
    ret = submitted(world, outcome, "2026-Q2")
    world.p1.role, world.p1.organisation_id = "commissioner", world.c1.organisation_id
    with pytest.raises(NotPermitted):
        returns.verify_return(ret, world.p1, now=LATER)
    assert ret.status == "submitted"


def test_a_query_is_answered_by_a_new_return_that_supersedes_it(db, world):
    outcome = stability(contracted(world))
    first = submitted(world, outcome, "2026-Q2")
    with pytest.raises(RuleViolation):  # one live return per outcome and period until it is decided
        submitted(world, outcome, "2026-Q2")
    with pytest.raises(RuleViolation) as refused:
        returns.query_return(first, world.c1, reason="  ", now=LATER)
    assert "reason" in refused.value.reasons
    returns.query_return(first, world.c1, reason="Check the cohort", now=LATER)
    second = submitted(world, outcome, "2026-Q2", cohort=12, achieved=9)
    db.session.refresh(first)
    assert first.status == "superseded" and second.supersedes_id == first.id
    assert first.cohort == 10  # kept as it was
    assert _actions(db)[-3:] == ["outcomes.return_submitted", "outcomes.return_queried",
                                 "outcomes.return_resubmitted"]


@pytest.mark.parametrize("resolution,status", [("upheld", "rejected"), ("withdrawn", "verified")])
def test_a_dispute_is_resolved_with_a_recorded_outcome(db, world, resolution, status):
    outcome = stability(contracted(world))
    ret = returns.dispute_return(submitted(world, outcome, "2026-Q2"), world.c1, reason="Records differ", now=LATER)
    standing = returns.resolve_dispute(ret, world.c1, resolution=resolution, reason="Agreed at review", now=LATER)
    assert standing.id == ret.id and ret.status == status
    assert ret.decisions[-1].resolution == resolution
    assert _actions(db)[-1] == "outcomes.dispute_resolved"


def test_an_amended_dispute_becomes_a_new_verified_return(db, world):
    outcome = stability(contracted(world))
    ret = returns.dispute_return(submitted(world, outcome, "2026-Q2"), world.c1, reason="Records differ", now=LATER)
    amended = returns.resolve_dispute(ret, world.c1, resolution="amended", reason="Reconciled",
                                      amended=proportion(10, 6), now=LATER)
    assert amended.status == "verified" and amended.supersedes_id == ret.id and amended.achieved == 6
    assert ret.status == "superseded" and ret.achieved == 7


def test_the_approver_is_a_second_commissioner_who_verified_nothing_it_pays_on(db, world):
    contract = contracted(world)
    returns.verify_return(submitted(world, stability(contract), "2026-Q2"), world.c1, now=LATER)
    statement = statements.calculate_statement(contract, world.c1, period="2026-Q2", now=LATER)
    with pytest.raises(NotPermitted):
        statements.approve_statement(statement, world.c1, now=LATER)
    with pytest.raises(NotPermitted):
        statements.approve_statement(statement, world.other_commissioner, now=LATER)
    statements.approve_statement(statement, world.c2, now=LATER)
    with pytest.raises(RuleViolation):
        statements.approve_statement(statement, world.c2, now=LATER)
    with pytest.raises(RuleViolation) as refused:
        statements.calculate_statement(contract, world.c1, period="2026-Q2", now=LATER)
    assert "approved and cannot change" in refused.value.reasons["period"]


def test_a_correction_after_approval_is_an_adjustment_in_the_next_statement(db, world):
    contract = contracted(world)
    outcome = stability(contract)
    linear_terms(outcome, world)
    first = submitted(world, outcome, "2026-Q2", cohort=10, achieved=5)  # 50%: the baseline, earns nothing
    returns.verify_return(first, world.c1, now=LATER)
    q2 = statements.calculate_statement(contract, world.c1, period="2026-Q2", now=LATER)
    statements.approve_statement(q2, world.c2, now=LATER)
    assert q2.earned_pence == 0
    correction = submitted(world, outcome, "2026-Q2", cohort=10, achieved=7)  # 70%: the target
    returns.verify_return(correction, world.c1, now=LATER)
    q3 = statements.calculate_statement(contract, world.c1, period="2026-Q3", now=LATER)
    db.session.refresh(q2)
    assert q2.earned_pence == 0 and q2.status == "approved"  # never changed
    assert q3.adjustment_pence == q2.at_risk_pence - (q2.lines[1].at_risk_pence if len(q2.lines) > 1 else 0)
    assert [line.period for line in q3.lines if line.adjustment_pence] == ["2026-Q2"]


def test_recalculating_before_approval_supersedes_the_earlier_calculation(db, world):
    contract = contracted(world)
    first = statements.calculate_statement(contract, world.c1, period="2026-Q2", now=LATER)
    returns.verify_return(submitted(world, stability(contract), "2026-Q2"), world.c1, now=LATER)
    second = statements.calculate_statement(contract, world.c1, period="2026-Q2", now=LATER + timedelta(hours=1))
    db.session.refresh(first)
    assert first.status == "superseded" and second.earned_pence > first.earned_pence == 0


def test_a_contract_over_five_million_not_light_touch_publishes_a_uk9_notice_with_each_rating(db, world):
    contract = contracted(world)
    terms = terms_for(contract)
    outcome = stability(contract)
    voluntary = ratings.rate(outcome, world.c1, period="2026-Q2", rating="good", rationale="On target",
                             publish=False, now=LATER)
    assert not voluntary.published
    assert not db.session.scalars(select(ContractPerformanceNotice)).all()
    terms.uk9_required = True
    again = ratings.rate(outcome, world.c1, period="2026-Q2", rating="approaching_target", rationale="Slipping",
                         publish=False, now=LATER)
    assert again.published and again.supersedes_id == voluntary.id
    assert [r.id for r in ratings.ratings_for(contract)] == [again.id]
    [notice] = db.session.scalars(select(ContractPerformanceNotice)).all()
    assert "Approaching target" in notice.assessment_md
    with pytest.raises(RuleViolation) as refused:
        ratings.rate(outcome, world.c1, period="2026-Q2", rating="splendid", rationale="", publish=True, now=LATER)
    assert set(refused.value.reasons) == {"rating", "rationale"}


def test_a_rationale_too_long_for_its_uk9_notice_is_refused_before_any_rating_is_kept(db, world):
    contract = contracted(world)
    terms_for(contract).uk9_required = True
    with pytest.raises(RuleViolation) as refused:
        ratings.rate(stability(contract), world.c1, period="2026-Q2", rating="good", rationale="x" * 19_990,
                     publish=True, now=LATER)
    assert "characters or fewer" in refused.value.reasons["rationale"]
    assert ratings.ratings_for(contract) == [] and not db.session.scalars(select(ContractPerformanceNotice)).all()


def test_no_return_or_payment_is_taken_for_a_period_after_the_contract_was_terminated(db, world):
    contract = contracted(world)
    outcome = stability(contract)
    submitted(world, outcome, "2026-Q2")  # a period the contract ran through
    contract.terminated_on = date(2026, 6, 30)
    db.session.flush()
    with pytest.raises(RuleViolation) as refused:
        submitted(world, outcome, "2026-Q3", now=LATER + timedelta(days=30))
    assert "period" in refused.value.reasons
    with pytest.raises(RuleViolation):
        statements.calculate_statement(contract, world.c1, period="2026-Q3", now=LATER + timedelta(days=30))
