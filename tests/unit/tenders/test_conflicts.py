"""Declarations of interest, the conflicts assessment and evaluator gating (PA23 ss.81-83)."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.errors import NotPermitted, RuleViolation
from core.extensions import db
from tenders.models.conflicts import ConflictDeclaration, ConflictsAssessment
from tenders.services import conflicts, evaluation, procurements, responses
from tests.unit.tenders.builders import (
    AFTER,
    CLARIFY_BY,
    DEADLINE,
    T0,
    clear_conflicts,
    declare_none,
    in_engagement,
    in_tender,
    opened,
    submit,
)
from trail.models import AuditEvent


def _refusals(attempted: str) -> list[AuditEvent]:
    return [e for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == "security.refused"))
            if f'"attempted":"{attempted}"' in (e.payload or "")]


def _publish(p, who, now=T0):
    return procurements.publish_tender(p, who, clarification_deadline=CLARIFY_BY, response_deadline=DEADLINE, now=now)


def test_a_declaration_with_an_interest_needs_a_description_and_nothing_is_saved(db, world):
    p = in_engagement(world)
    with pytest.raises(RuleViolation) as exc:
        conflicts.declare(p, world.c1, has_interest=True, description="   ", now=T0)
    assert "description" in exc.value.reasons
    with pytest.raises(RuleViolation) as exc:
        conflicts.declare(p, world.c1, has_interest=None, description="", now=T0)
    assert "has_interest" in exc.value.reasons
    assert conflicts.declarations_for(p) == []


def test_no_interest_with_a_description_is_refused_as_contradictory(db, world):
    p = in_engagement(world)
    with pytest.raises(RuleViolation) as exc:
        conflicts.declare(p, world.c1, has_interest=False, description="My brother runs Alpha Homes", now=T0)
    assert "description" in exc.value.reasons
    assert conflicts.declarations_for(p) == []


def test_a_declaration_is_tied_to_the_stage_and_a_stage_change_asks_for_it_again(db, world):
    p = in_engagement(world)
    declaration = conflicts.declare(p, world.c1, has_interest=False, description="", now=T0)
    assert declaration.stage == "engagement" and declaration.roles == "author,approver"
    assert conflicts.has_current_declaration(p, world.c1)
    clear_conflicts(world, p)
    _publish(p, world.c1)
    assert p.stage == "tender"
    assert not conflicts.has_current_declaration(p, world.c1)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "conflicts.declared")).first()
    assert event.procurement_id == p.id and event.audience == "auditors"


def test_redeclaring_adds_a_row_and_a_past_declaration_is_never_changed(db, world):
    p = in_engagement(world)
    first = conflicts.declare(p, world.c1, has_interest=False, description="", now=T0)
    second = conflicts.declare(p, world.c1, has_interest=True, description="I am a trustee of Beta Care", now=T0)
    assert [d.id for d in conflicts.declarations_for(p)] == [second.id, first.id]
    assert conflicts.current_declaration(p, world.c1).id == second.id
    with pytest.raises(RuleViolation):
        conflicts.change_declaration(first, world.c1, has_interest=True)
    assert _refusals("conflicts.declaration_change")
    first.description = "rewritten"
    with pytest.raises(RuleViolation):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("who", ["p1", "other_commissioner", "auditor", "in_house"])
def test_only_owning_commissioners_declare_or_assess_and_the_refusal_is_audited(db, world, who):
    p = in_engagement(world)
    with pytest.raises(NotPermitted):
        conflicts.declare(p, getattr(world, who), has_interest=False, description="", now=T0)
    with pytest.raises(NotPermitted):
        conflicts.record_assessment(p, getattr(world, who), entries=[], none_identified="None", now=T0)
    assert conflicts.declarations_for(p) == [] and conflicts.latest_assessment(p) is None
    assert _refusals("conflicts.declare") and _refusals("conflicts.assess")


def test_an_assessment_entry_needs_who_what_and_mitigation(db, world):
    p = in_engagement(world)
    declaration = conflicts.declare(p, world.c2, has_interest=True, description="Shares in Alpha Homes", now=T0)
    entry = conflicts.EntryInput(declaration.id, who="Chris Two", what="Shares in Alpha Homes", mitigation="")
    with pytest.raises(RuleViolation) as exc:
        conflicts.record_assessment(p, world.c1, entries=[entry], none_identified="", now=T0)
    assert list(exc.value.reasons) == [f"mitigation-{declaration.id}"]
    with pytest.raises(RuleViolation) as exc:
        conflicts.record_assessment(p, world.c1, entries=[], none_identified="", now=T0)
    assert {f"who-{declaration.id}", f"what-{declaration.id}", f"mitigation-{declaration.id}"} <= set(exc.value.reasons)
    with pytest.raises(RuleViolation) as exc:
        conflicts.record_assessment(p, world.c1, entries=[], none_identified="None identified", now=T0)
    assert "none_identified" in exc.value.reasons
    assert db.session.scalars(select(ConflictsAssessment)).all() == []


def test_with_no_interests_the_assessment_states_none_were_identified(db, world):
    p = in_engagement(world)
    with pytest.raises(RuleViolation) as exc:
        conflicts.record_assessment(p, world.c1, entries=[], none_identified="  ", now=T0)
    assert "none_identified" in exc.value.reasons
    first = conflicts.record_assessment(p, world.c1, entries=[], none_identified="None identified", now=T0)
    second = conflicts.record_assessment(p, world.c2, entries=[], none_identified="Checked again", now=T0)
    assert (first.version, second.version) == (1, 2)
    assert conflicts.latest_assessment(p).id == second.id


def test_publishing_needs_a_declaration_from_everyone_who_acted_named_and_the_assessment(db, world):
    p = in_engagement(world)
    procurements.add_engagement_event(p, world.c2, title="Drop-in", starts_at=T0 + timedelta(days=3),
                                      place="Town hall", now=T0)
    problems = conflicts.publish_problems(p, T0)
    assert "Casey One" in problems["declarations"] and "Chris Two" in problems["declarations"]
    assert "conflicts_assessment" in problems
    declare_none(p, world.c1)
    problems = conflicts.publish_problems(p, T0)
    assert "Chris Two" in problems["declarations"] and "Casey One" not in problems["declarations"]
    with pytest.raises(RuleViolation) as exc:
        _publish(p, world.c1)
    assert "declarations" in exc.value.reasons and "conflicts_assessment" in exc.value.reasons
    assert p.stage == "engagement"


def test_the_assessment_must_cover_every_interest_declared_so_far(db, world):
    p = in_engagement(world)
    declare_none(p, world.c1)
    conflicts.record_assessment(p, world.c1, entries=[], none_identified="None identified", now=T0)
    assert conflicts.publish_problems(p, T0) == {}
    declaration = conflicts.declare(p, world.c1, has_interest=True, description="My partner works at Beta Care",
                                    now=T0)
    assert "Casey One" in conflicts.publish_problems(p, T0)["conflicts_assessment"]
    conflicts.record_assessment(p, world.c1, now=T0, none_identified="", entries=[conflicts.EntryInput(
        declaration.id, "Casey One", "Partner works at Beta Care", "Casey does not evaluate Beta Care's response")])
    assert conflicts.publish_problems(p, T0) == {}
    _publish(p, world.c1)
    assert p.stage == "tender"


def test_the_publisher_must_hold_a_current_declaration(db, world):
    p = in_engagement(world)
    clear_conflicts(world, p)  # c1 acted and declared; c2 has done nothing yet
    with pytest.raises(RuleViolation) as exc:
        _publish(p, world.c2)
    assert f"/tenders/{p.id}/declarations" in exc.value.reasons["publisher_declaration"]
    declare_none(p, world.c2)
    _publish(p, world.c2)
    assert p.stage == "tender"


def test_nobody_opens_the_responses_without_a_current_declaration(db, world):
    p = in_tender(world, declared=False)
    submit(world, p, world.p1, 100_000_000)
    with pytest.raises(RuleViolation) as exc:
        responses.open_box(p, world.c1, now=AFTER)
    assert f"/tenders/{p.id}/declarations" in exc.value.reasons[""]
    assert p.open_requested_by_id is None
    assert _refusals("responses.open")
    declare_none(p, world.c1, now=AFTER)
    responses.open_box(p, world.c1, now=AFTER)
    with pytest.raises(RuleViolation):
        responses.open_box(p, world.c2, now=AFTER)
    assert not p.is_opened


def test_a_commissioner_without_a_current_declaration_cannot_read_a_response(db, world):
    p = opened(world, declared=False)
    response = responses.responses_for(p)[0]
    with pytest.raises(NotPermitted) as exc:
        responses.read_response(response, world.c1, now=AFTER)
    assert f"/tenders/{p.id}/declarations" in str(exc.value)
    assert _refusals("response.read")
    assert responses.read_response(response, world.auditor, now=AFTER)["price_pence"] > 0
    declare_none(p, world.c1, now=AFTER)
    assert responses.read_response(response, world.c1, now=AFTER)["price_pence"] > 0


def test_scoring_submitting_and_moderating_need_a_declaration_at_the_evaluation_stage(db, world):
    p = opened(world, declared=False)
    evaluation.assign_evaluator(p, world.c1, world.c1, is_moderator=True, now=AFTER)
    quality = evaluation.quality_criteria(p)
    rs = responses.responses_for(p)
    sheet = {c.id: (3, "Fair") for c in quality}
    with pytest.raises(RuleViolation) as exc:
        evaluation.record_scores(p, world.c1, rs[0], sheet, now=AFTER)
    assert "declarations" in exc.value.reasons[""]
    with pytest.raises(RuleViolation):
        evaluation.submit_scores(p, world.c1, now=AFTER)
    with pytest.raises(RuleViolation):
        evaluation.record_consensus(p, world.c1, rs[0], quality[0], score=3, rationale="Agreed", now=AFTER)
    assert evaluation.visible_scores(p, world.c1) == []
    assert _refusals("evaluation.score") and _refusals("evaluation.submit") and _refusals("evaluation.moderate")
    declare_none(p, world.c1, now=AFTER)
    for r in rs:
        evaluation.record_scores(p, world.c1, r, sheet, now=AFTER)
    evaluation.submit_scores(p, world.c1, now=AFTER)
    evaluation.record_consensus(p, world.c1, rs[0], quality[0], score=3, rationale="Agreed", now=AFTER)


def test_an_evaluators_declaration_records_the_parts_they_play(db, world):
    p = opened(world, declared=False)
    evaluation.assign_evaluator(p, world.c1, world.c2, is_moderator=True, now=AFTER)
    declaration = conflicts.declare(p, world.c2, has_interest=False, description="", now=AFTER)
    assert declaration.role_labels == ["Evaluator", "Moderator"]


def test_a_closed_procurement_takes_no_declarations(db, world):
    p = in_engagement(world)
    procurements.close_procurement(p, world.c1, outcome="cancelled", reason="Need met elsewhere", now=T0)
    with pytest.raises(RuleViolation):
        conflicts.declare(p, world.c1, has_interest=False, description="", now=T0)
    assert db.session.scalars(select(ConflictDeclaration)).all() == []


def test_the_batch_answer_for_many_procurements_is_each_procurements_own_answer(db, world):
    """The attention dashboard asks about every live procurement at once; it must see what each page sees."""
    engaged = in_engagement(world)            # c1 acted, nobody declared
    live = in_tender(world)                   # everyone declared at the tender stage
    declared_in_engagement = in_engagement(world)
    declare_none(declared_in_engagement, world.c1, now=T0)
    batch = conflicts.missing_declarations_for([engaged, live, declared_in_engagement])
    assert [person.id for person in batch[engaged.id]] == [world.c1.id]
    assert batch[live.id] == [] and batch[declared_in_engagement.id] == []
    for p in (engaged, live, declared_in_engagement):
        assert batch[p.id] == conflicts.missing_declarations(p)
    assert conflicts.missing_declarations_for([]) == {}
