"""Every tenders.conflicts_* route, tried as eight people, on a procurement in its tender stage.

Declarations are not public: the owning commissioners and auditors read them; only the owning commissioners
declare and assess.
"""
import pytest

from tenders.services import conflicts, procurements
from tests.functional.tenders.test_route_matrix import EVERYONE, OWNER, route_problems
from tests.unit.tenders.builders import CLARIFY_BY, DEADLINE, T0, clear_conflicts, in_engagement

GET_EXPECTATIONS = {
    "tenders.conflicts_declarations": OWNER | {"auditor"},
    "tenders.conflicts_assessment": OWNER,
}
POST_ONLY_EXPECTATIONS: dict[str, set[str]] = {}  # both routes take their POST on the page itself


@pytest.fixture
def conflicts_live(world, db, at):
    p = in_engagement(world)
    conflicts.declare(p, world.c2, has_interest=True, description="Shares in Alpha Homes", now=T0)
    clear_conflicts(world, p)
    procurements.publish_tender(p, world.c1, clarification_deadline=CLARIFY_BY, response_deadline=DEADLINE, now=T0)
    people = {"anonymous": None, "provider_a": world.p1, "provider_b": world.p2, "in_house_provider": world.in_house,
              "owning_commissioner": world.c1, "other_commissioner": world.other_commissioner,
              "auditor": world.auditor, "admin": world.admin}
    return people, {"procurement_id": p.id}


@pytest.mark.parametrize("persona", sorted(EVERYONE))
def test_conflicts_routes_answer_each_person_as_expected(app, client, auth, conflicts_live, persona):
    people, values = conflicts_live
    problems = route_problems(app, client, auth, people, values, persona, GET_EXPECTATIONS, POST_ONLY_EXPECTATIONS,
                              topic="conflicts")
    assert not problems, f"as {persona}:\n" + "\n".join(problems)
