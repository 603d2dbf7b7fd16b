"""Policy predicates: what each party may do at each stage (the same flags drive buttons and routes)."""
import pytest

from tenders import policy
from tests.unit.tenders.builders import AFTER, DEADLINE, awarded, draft, evaluated, in_engagement, in_tender

MANAGER_PREDICATES = [policy.can_manage, policy.can_edit_details, policy.can_edit_specification,
                      policy.can_publish_engagement, policy.can_publish_tender, policy.can_change_published_spec,
                      policy.can_request_opening, policy.can_decide_award, policy.can_enter_contract, policy.can_close,
                      policy.can_answer_clarifications, policy.can_assign_evaluators]


@pytest.mark.parametrize("build,expected", [
    (draft, {"can_edit_details", "can_edit_specification", "can_publish_engagement", "can_publish_tender",
             "can_close"}),
    (in_engagement, {"can_edit_details", "can_edit_specification", "can_publish_tender", "can_close"}),
    (in_tender, {"can_edit_specification", "can_change_published_spec", "can_request_opening", "can_close",
                 "can_answer_clarifications", "can_assign_evaluators"}),
    (evaluated, {"can_decide_award", "can_close", "can_assign_evaluators"}),
    (awarded, {"can_enter_contract", "can_close"}),
])
def test_owner_commissioner_powers_follow_the_stage(db, world, build, expected):
    p = build(world)
    granted = {f.__name__ for f in MANAGER_PREDICATES if f(world.c2, p)} - {"can_manage"}
    assert granted == expected


@pytest.mark.parametrize("who", ["p1", "in_house", "other_commissioner", "auditor", "admin"])
def test_nobody_outside_the_owning_commissioners_gets_manager_powers(db, world, who):
    p = in_tender(world)
    user = getattr(world, who)
    assert not any(f(user, p) for f in MANAGER_PREDICATES)
    assert not policy.can_open_responses(user, p, AFTER)


def test_opening_is_offered_only_after_the_deadline(db, world):
    p = in_tender(world)
    assert not policy.can_open_responses(world.c1, p, DEADLINE.replace(minute=59, hour=8))
    assert policy.can_open_responses(world.c1, p, DEADLINE)


def test_only_verified_providers_may_submit(db, world):
    p = in_tender(world)
    assert policy.can_submit_response(world.p1, p)
    assert policy.can_submit_response(world.in_house, p)  # an in-house unit bids like any provider
    assert not policy.can_submit_response(world.unverified, p)
    assert not policy.can_submit_response(world.c1, p)


@pytest.mark.parametrize("who,before_publication", [("c1", True), ("c2", True), ("p1", False), ("in_house", False),
                                                    ("other_commissioner", False), ("auditor", False)])
def test_award_criteria_are_seen_by_the_owners_until_the_specification_is_published_then_by_all(
        db, world, who, before_publication):
    user = getattr(world, who)
    assert policy.can_see_criteria(user, in_engagement(world)) is before_publication
    assert policy.can_see_criteria(user, in_tender(world))
    assert policy.can_see_criteria(None, in_tender(world))  # anonymous: public with the tender
