"""Every spin-off route (tenders.spinoffs_*), tried as eight people, on a running contract (won by provider A)
with one spin-off proposal waiting for a decision.

Proposing is for the contract's provider; an open proposal is for the parties and auditors; deciding is for the
owning commissioners; the modification register is public.
"""
import pytest

from tests.functional.tenders.test_route_matrix import EVERYONE, OWNER, route_problems
from tests.unit.tenders.test_spinoffs import contract_world, propose

GET_EXPECTATIONS = {
    "tenders.spinoffs_propose": {"provider_a"},
    "tenders.spinoffs_show": {"provider_a", "owning_commissioner", "auditor"},
    "tenders.spinoffs_decide": OWNER,
    "tenders.spinoffs_register": EVERYONE,
}
POST_ONLY_EXPECTATIONS: dict[str, set[str]] = {}


@pytest.fixture
def spinoffs_live(world, db, at):
    p, contract, now = contract_world(world)
    at(now)
    proposal = propose(world, contract, now)
    people = {"anonymous": None, "provider_a": world.p1, "provider_b": world.p2, "in_house_provider": world.in_house,
              "owning_commissioner": world.c1, "other_commissioner": world.other_commissioner,
              "auditor": world.auditor, "admin": world.admin}
    values = {"procurement_id": p.id, "proposal_id": proposal.id}
    return people, values


@pytest.mark.parametrize("persona", sorted(EVERYONE))
def test_spinoffs_routes_answer_each_person_as_expected(app, client, auth, spinoffs_live, persona):
    people, values = spinoffs_live
    problems = route_problems(app, client, auth, people, values, persona, GET_EXPECTATIONS, POST_ONLY_EXPECTATIONS,
                              topic="spinoffs")
    assert not problems, f"as {persona}:\n" + "\n".join(problems)
