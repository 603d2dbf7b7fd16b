"""Evaluation, award, standstill and contract (rule 7)."""
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from core.errors import NotPermitted, RuleViolation
from tenders.services import evaluation, responses
from tests.unit.tenders.builders import AFTER, awarded, evaluated, opened, standstill_end
from trail.models import AuditEvent


def test_evaluators_must_be_commissioners_of_the_owning_organisation(db, world):
    p = opened(world)
    with pytest.raises(RuleViolation):
        evaluation.assign_evaluator(p, world.c1, world.other_commissioner, is_moderator=False, now=AFTER)
    with pytest.raises(RuleViolation):
        evaluation.assign_evaluator(p, world.c1, world.in_house, is_moderator=False, now=AFTER)


def test_scores_off_the_scale_are_refused_and_nothing_is_saved(db, world):
    p = opened(world)
    evaluation.assign_evaluator(p, world.c1, world.c1, is_moderator=True, now=AFTER)
    [r, _] = responses.responses_for(p)
    quality = evaluation.quality_criteria(p)
    with pytest.raises(RuleViolation) as exc:
        evaluation.record_scores(p, world.c1, r, {c.id: (6, "Too high") for c in quality}, now=AFTER)
    assert any("from 0 to 5" in m for m in exc.value.reasons.values())
    with pytest.raises(RuleViolation):
        evaluation.record_scores(p, world.c1, r, {c.id: (3, "") for c in quality}, now=AFTER)
    assert evaluation.visible_scores(p, world.c1) == []


def test_evaluators_cannot_see_each_others_scores_until_they_submit_their_own(db, world):
    p = opened(world)
    evaluation.assign_evaluator(p, world.c1, world.c1, is_moderator=True, now=AFTER)
    evaluation.assign_evaluator(p, world.c1, world.c2, is_moderator=False, now=AFTER)
    quality = evaluation.quality_criteria(p)
    rs = responses.responses_for(p)
    for r in rs:
        evaluation.record_scores(p, world.c1, r, {c.id: (4, "Good") for c in quality}, now=AFTER)
    evaluation.record_scores(p, world.c2, rs[0], {c.id: (2, "Weak") for c in quality}, now=AFTER)
    assert {s.evaluator_id for s in evaluation.visible_scores(p, world.c2)} == {world.c2.id}
    with pytest.raises(RuleViolation):
        evaluation.submit_scores(p, world.c2, now=AFTER)  # one response not scored yet
    evaluation.submit_scores(p, world.c1, now=AFTER)
    assert {s.evaluator_id for s in evaluation.visible_scores(p, world.c1)} == {world.c1.id, world.c2.id}
    assert {s.evaluator_id for s in evaluation.visible_scores(p, world.c2)} == {world.c2.id}
    with pytest.raises(RuleViolation):
        evaluation.record_scores(p, world.c1, rs[0], {c.id: (1, "Changed mind") for c in quality}, now=AFTER)


def test_consensus_waits_for_every_evaluator_and_only_the_moderator_records_it(db, world):
    p = opened(world)
    evaluation.assign_evaluator(p, world.c1, world.c1, is_moderator=True, now=AFTER)
    evaluation.assign_evaluator(p, world.c1, world.c2, is_moderator=False, now=AFTER)
    [r, _] = responses.responses_for(p)
    c = evaluation.quality_criteria(p)[0]
    with pytest.raises(RuleViolation):
        evaluation.record_consensus(p, world.c1, r, c, score=3, rationale="x", now=AFTER)
    with pytest.raises(NotPermitted):
        evaluation.record_consensus(p, world.c2, r, c, score=3, rationale="x", now=AFTER)


def test_weighted_totals_use_consensus_scores_and_the_price_formula(db, world):
    p = evaluated(world)
    ranked = evaluation.ranking(p)
    first, second = ranked
    # p1: quality 5/5 on 50 and 20 = 70; price 100m/110m × 30 = 27.27 → 97.27
    assert first.response.provider.name == "Alpha Homes" and first.total == pytest.approx(97.27, abs=0.01)
    # p2: quality 2/5 → 20 + 8 = 28; lowest price → 30 → 58
    assert second.total == pytest.approx(58.0) and second.rank == 2
    assert all(e.complete for e in ranked)


def test_award_must_go_to_the_top_ranked_response_with_reasons(db, world):
    p = evaluated(world)
    first, second = evaluation.ranking(p)
    with pytest.raises(RuleViolation) as exc:
        evaluation.decide_award(p, world.c1, second.response, reasons_md="Cheaper", standstill_applies=True, now=AFTER)
    assert "response" in exc.value.reasons
    with pytest.raises(RuleViolation):
        evaluation.decide_award(p, world.c1, first.response, reasons_md=" ", standstill_applies=True, now=AFTER)
    assert p.stage == "evaluation"


def test_award_notice_sets_standstill_eight_working_days_later(db, world):
    p = awarded(world)
    notice_day = AFTER.date()  # Sunday 22 March 2026 → Mon 23 … Wed 1 April (Good Friday is later)
    assert standstill_end(p) == date(2026, 4, 1)
    assert notice_day == date(2026, 3, 22)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "award.notice_published")).one()
    assert event.audience == "public" and event.procurement_id == p.id


def test_standstill_can_be_waived_only_for_light_touch_contracts(db, world):
    p = evaluated(world)  # £1.2m: light-touch
    top = evaluation.ranking(p)[0].response
    award = evaluation.decide_award(p, world.c1, top, reasons_md="Best", standstill_applies=False, now=AFTER)
    assert award.standstill_ends_on is None


def test_each_bidder_sees_its_own_assessment_and_the_winners(db, world):
    p = awarded(world)
    summary = evaluation.assessment_summary(p, world.p2)
    assert summary.own.response.provider_org_id == world.p2.organisation_id
    assert summary.winner.response.provider.name == "Alpha Homes"
    assert evaluation.assessment_summary(p, world.unverified) is None


def test_contract_is_created_only_after_standstill_ends(db, world):
    p = awarded(world)
    end = standstill_end(p)
    with pytest.raises(RuleViolation):
        evaluation.enter_contract(p, world.c1, starts_on=None, now=datetime.combine(end, datetime.min.time()))
    assert p.stage == "award"
    after = datetime.combine(end + timedelta(days=1), datetime.min.time())
    contract = evaluation.enter_contract(p, None, starts_on=None, now=after)
    assert p.stage == "contract"
    assert contract.value_pence == 110_000_000
    assert contract.starts_on == end + timedelta(days=1)
    assert contract.regime == "light_touch"
    assert contract.review_clauses_md == "Annual price review capped at CPI."
    assert evaluation.contracts_due(after) == []
