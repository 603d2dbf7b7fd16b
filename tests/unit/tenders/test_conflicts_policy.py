"""Who may read declarations, declare and assess: a role × action table (tenders.policy.conflicts)."""
import pytest

from tenders.policy import conflicts as conflicts_policy
from tenders.services import procurements
from tests.unit.tenders.builders import T0, in_engagement

ACTIONS = {
    "view_declarations": conflicts_policy.can_view_declarations,
    "declare": conflicts_policy.can_declare,
    "assess": conflicts_policy.can_assess,
    "quiet_period_applies": lambda user, p: conflicts_policy.quiet_period_applies_to(user),
}
TABLE = {  # person: the actions allowed on an open procurement
    "c1": {"view_declarations", "declare", "assess", "quiet_period_applies"},
    "c2": {"view_declarations", "declare", "assess", "quiet_period_applies"},
    "other_commissioner": {"quiet_period_applies"},
    "p1": set(), "in_house": set(), "unverified": set(),
    "auditor": {"view_declarations"},
    "admin": set(),
}


@pytest.mark.parametrize("person", sorted(TABLE))
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_conflicts_role_action_table(db, world, person, action):
    p = in_engagement(world)
    assert ACTIONS[action](getattr(world, person), p) is (action in TABLE[person])


def test_a_closed_procurement_is_still_readable_but_takes_no_declarations_or_assessments(db, world):
    p = in_engagement(world)
    procurements.close_procurement(p, world.c1, outcome="cancelled", reason="Need met elsewhere", now=T0)
    assert conflicts_policy.can_view_declarations(world.c1, p)
    assert not conflicts_policy.can_declare(world.c1, p) and not conflicts_policy.can_assess(world.c1, p)


def test_the_quiet_period_is_the_tender_stage_only(db, world):
    p = in_engagement(world)
    assert not conflicts_policy.is_quiet_period(p)
    p.stage = "tender"
    assert conflicts_policy.is_quiet_period(p)
