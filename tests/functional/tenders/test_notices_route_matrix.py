"""Every notice route (tenders.notices_*), tried as eight people, on a running contract (won by provider A).

Publishing the UK7, UK9 and contract termination notices is for the owning commissioners only.
"""
import pytest

from tests.functional.tenders.test_route_matrix import EVERYONE, OWNER, route_problems
from tests.unit.tenders.test_spinoffs import contract_world

GET_EXPECTATIONS = {
    "tenders.notices_contract_details": OWNER,
    "tenders.notices_performance": OWNER,
    "tenders.notices_termination": OWNER,
}
POST_ONLY_EXPECTATIONS: dict[str, set[str]] = {}


@pytest.fixture
def notices_live(world, db, at):
    p, contract, now = contract_world(world)
    at(now)
    people = {"anonymous": None, "provider_a": world.p1, "provider_b": world.p2, "in_house_provider": world.in_house,
              "owning_commissioner": world.c1, "other_commissioner": world.other_commissioner,
              "auditor": world.auditor, "admin": world.admin}
    return people, {"procurement_id": p.id}


@pytest.mark.parametrize("persona", sorted(EVERYONE))
def test_notices_routes_answer_each_person_as_expected(app, client, auth, notices_live, persona):
    people, values = notices_live
    problems = route_problems(app, client, auth, people, values, persona, GET_EXPECTATIONS, POST_ONLY_EXPECTATIONS,
                              topic="notices")
    assert not problems, f"as {persona}:\n" + "\n".join(problems)
