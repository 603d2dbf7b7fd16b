"""The conflicts gate: who may open, confirm, read, score, moderate and award (PA23 ss.81-83; rules 4 and 6).

A matrix of one commissioner's declaration state against each action, through the real services: no
declaration, no interest, an interest in the bidder concerned, an interest in another bidder, and excluded by
the conflicts assessment. Every refusal is on the audit trail with the action and the reason.
"""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from core.errors import NotPermitted, RuleViolation
from core.extensions import db
from tenders.policy.conflicts import GATED_ACTIONS, ConflictState, conflict_bar
from tenders.services import conflicts, evaluation, responses
from tests.unit.tenders.builders import AFTER, NONE_IDENTIFIED, declare_none, in_tender, submit
from trail.models import AuditEvent

STATES = ("none", "no_interest", "this_bidder", "other_bidder", "excluded")
ALLOWED = {
    "none": set(),
    "no_interest": set(GATED_ACTIONS),
    "this_bidder": set(),
    # An interest in one bidder bars the person from the box as a whole and from the award, not from another
    # bidder's response.
    "other_bidder": {"read", "score", "moderate"},
    "excluded": set(),
}
BAR = {"none": "no_declaration", "this_bidder": "interest", "other_bidder": "interest", "excluded": "excluded"}


@pytest.fixture
def sam(world, user_factory):
    """The commissioner whose declaration state each case sets: c1 and c2 do everything else."""
    return user_factory("commissioner", organisation=world.org, full_name="Sam Subject")


def _gate_refusals(action: str) -> list[dict]:
    found = []
    for event in db.session.scalars(select(AuditEvent).where(AuditEvent.action == "security.refused")):
        payload = json.loads(event.payload)
        if payload.get("action") == action and "bar" in payload:
            found.append(payload)
    return found


def _set_state(world, p, person, state: str) -> None:
    """Give `person` the declaration state at the procurement's current stage."""
    if state == "none":
        return
    if state in ("no_interest", "excluded"):
        declare_none(p, person, now=AFTER)
    else:
        bidder = world.p1 if state == "this_bidder" else world.p2
        conflicts.declare(p, person, has_interest=True, now=AFTER, organisation_id=bidder.organisation_id,
                          description=f"My brother is a director of {bidder.organisation.name}")
    if state == "excluded":
        entries = [conflicts.EntryInput(declaration_id, who, what, mitigation or "Takes no part")
                   for declaration_id, (who, what, mitigation) in conflicts.prefill(p).items()]
        conflicts.record_assessment(p, world.c1, entries=entries, none_identified="" if entries else NONE_IDENTIFIED,
                                    now=AFTER, excluded_user_ids=[person.id])


def _with_bids(world):
    p = in_tender(world)
    submit(world, p, world.p1, 110_000_000)
    submit(world, p, world.p2, 100_000_000)
    return p


def _opened(world):
    p = _with_bids(world)
    responses.open_box(p, world.c1, now=AFTER)
    responses.open_box(p, world.c2, now=AFTER)
    declare_none(p, world.c1, world.c2, now=AFTER)
    return p


def _response_of(p, provider):
    return next(r for r in responses.responses_for(p) if r.provider_org_id == provider.organisation_id)


def _sheet(p, mark=4):
    return {c.id: (mark, "Clear evidence") for c in evaluation.quality_criteria(p)}


def _score_and_submit(p, person):
    for response in responses.responses_for(p):
        evaluation.record_scores(p, person, response, _sheet(p), now=AFTER)
    evaluation.submit_scores(p, person, now=AFTER)


def _case(world, sam, state: str, action: str):
    """Build the procurement for `action`, put Sam in `state`, and return (attempt, succeeded)."""
    if action in ("open", "confirm"):
        p = _with_bids(world)
        _set_state(world, p, sam, state)
        if action == "confirm":
            responses.open_box(p, world.c1, now=AFTER)
            return (lambda: responses.open_box(p, sam, now=AFTER)), (lambda: p.is_opened)
        return (lambda: responses.open_box(p, sam, now=AFTER)), (lambda: p.open_requested_by_id == sam.id)
    p = _opened(world)
    concerned = _response_of(p, world.p1)
    if action == "read":
        _set_state(world, p, sam, state)
        return (lambda: responses.read_response(concerned, sam, now=AFTER)), (lambda: True)
    if action == "score":
        evaluation.assign_evaluator(p, world.c1, sam, is_moderator=False, now=AFTER)
        _set_state(world, p, sam, state)
        done = lambda: any(s.response_id == concerned.id for s in evaluation.visible_scores(p, sam))  # noqa: E731
        return (lambda: evaluation.record_scores(p, sam, concerned, _sheet(p), now=AFTER)), done
    if action == "moderate":
        evaluation.assign_evaluator(p, world.c1, sam, is_moderator=True, now=AFTER)
        evaluation.assign_evaluator(p, world.c1, world.c1, is_moderator=False, now=AFTER)
        _score_and_submit(p, world.c1)
        if state in ("no_interest", "other_bidder"):
            # Sam scored everything while free of conflict; the state's declaration comes after.
            declare_none(p, sam, now=AFTER)
            _score_and_submit(p, sam)
        _set_state(world, p, sam, state)
        criterion = evaluation.quality_criteria(p)[0]
        return (lambda: evaluation.record_consensus(p, sam, concerned, criterion, score=4, rationale="Agreed",
                                                    now=AFTER)), (lambda: True)
    assert action == "award"
    evaluation.assign_evaluator(p, world.c1, world.c1, is_moderator=True, now=AFTER)
    _score_and_submit(p, world.c1)
    for response in responses.responses_for(p):
        for criterion in evaluation.quality_criteria(p):
            evaluation.record_consensus(p, world.c1, response, criterion, score=4, rationale="Agreed", now=AFTER)
    _set_state(world, p, sam, state)
    top = evaluation.ranking(p)[0].response
    return (lambda: evaluation.decide_award(p, sam, top, reasons_md="Highest score.", standstill_applies=True,
                                            now=AFTER)), (lambda: evaluation.award_for(p) is not None)


@pytest.mark.parametrize("action", GATED_ACTIONS)
@pytest.mark.parametrize("state", STATES)
def test_the_conflicts_gate_allows_or_refuses_each_declaration_state_and_action(db, world, sam, state, action):
    attempt, succeeded = _case(world, sam, state, action)
    if action in ALLOWED[state]:
        attempt()
        assert succeeded()
        assert _gate_refusals(action) == []
        return
    with pytest.raises((RuleViolation, NotPermitted)) as exc:
        attempt()
    refusals = _gate_refusals(action)
    assert [r["bar"] for r in refusals] == [BAR[state]]
    message = str(exc.value)
    if BAR[state] == "no_declaration":
        assert "Declare your interests first" in message
    else:
        # Why, and what to do next.
        assert "Ask a commissioner of your organisation who has no conflict" in message
        assert ("conflicts assessment" in message) == (state == "excluded")
    if state == "this_bidder" and action in ("read", "score", "moderate"):
        assert world.p1.organisation.name in message
    if action in ("open", "confirm"):
        # Refusing the box never says who bid.
        assert world.p1.organisation.name not in message and world.p2.organisation.name not in message


def test_the_gate_rule_is_one_predicate_over_the_declaration_state():
    free = ConflictState(declared=True, has_interest=False, interest_org_id=None, excluded=False)
    in_seven = ConflictState(declared=True, has_interest=True, interest_org_id=7, excluded=False)
    unnamed = ConflictState(declared=True, has_interest=True, interest_org_id=None, excluded=False)
    assert all(conflict_bar(free, action, frozenset({7})) is None for action in GATED_ACTIONS)
    assert conflict_bar(in_seven, "read", frozenset({7})) == "interest"
    assert conflict_bar(in_seven, "read", frozenset({8})) is None
    assert conflict_bar(in_seven, "award", frozenset({7, 8})) == "interest"
    # Any interest keeps a person from the box, named or not, whoever bid.
    assert conflict_bar(unnamed, "open") == "interest" and conflict_bar(in_seven, "confirm") == "interest"
    assert conflict_bar(unnamed, "score", frozenset({7})) is None
    with pytest.raises(ValueError):
        conflict_bar(free, "publish")


def test_a_request_to_open_by_someone_since_conflicted_no_longer_counts(db, world, sam):
    p = _with_bids(world)
    declare_none(p, sam, now=AFTER)
    responses.open_box(p, sam, now=AFTER)
    conflicts.declare(p, sam, has_interest=True, description="Joined the board of Alpha Homes", now=AFTER,
                      organisation_id=world.p1.organisation_id)
    responses.open_box(p, world.c1, now=AFTER)  # takes the place of Sam's request instead of confirming it
    assert not p.is_opened and p.open_requested_by_id == world.c1.id
    responses.open_box(p, world.c2, now=AFTER)
    assert p.is_opened and {p.open_requested_by_id, p.opened_by_id} == {world.c1.id, world.c2.id}


def test_an_interest_can_only_name_a_provider_organisation_and_only_with_an_interest(db, world):
    p = in_tender(world)
    with pytest.raises(RuleViolation) as exc:
        conflicts.declare(p, world.c1, has_interest=True, description="My own council", now=AFTER,
                          organisation_id=world.org.id)
    assert "organisation" in exc.value.reasons
    with pytest.raises(RuleViolation) as exc:
        conflicts.declare(p, world.c1, has_interest=False, description="", now=AFTER,
                          organisation_id=world.p1.organisation_id)
    assert "organisation" in exc.value.reasons


def test_the_assessment_excludes_only_commissioners_of_the_owning_organisation(db, world):
    p = in_tender(world)
    with pytest.raises(RuleViolation) as exc:
        conflicts.record_assessment(p, world.c1, entries=[], none_identified=NONE_IDENTIFIED, now=AFTER,
                                    excluded_user_ids=[world.other_commissioner.id])
    assert "excluded" in exc.value.reasons
    assessment = conflicts.record_assessment(p, world.c1, entries=[], none_identified=NONE_IDENTIFIED, now=AFTER,
                                             excluded_user_ids=[world.c2.id])
    assert assessment.excluded_user_ids == {world.c2.id}
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "conflicts.assessed")
                               .order_by(AuditEvent.seq.desc())).first()
    assert json.loads(event.payload)["excluded"] == [{"user_id": world.c2.id, "name": world.c2.full_name}]
