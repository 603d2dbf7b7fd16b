"""The spin-offs demo: one accepted below the 10% line, one above it turned into a new procurement, one waiting."""
from datetime import timedelta

from demo.tenders_spinoffs import load_spinoffs_demo
from tenders.models import Procurement
from tenders.services import spinoffs as services
from tests.unit.tenders.test_spinoffs import contract_world


def test_demo_makes_spinoffs_on_each_side_of_the_ten_percent_line(db, world):
    p, contract, entered = contract_world(world)
    accepted, new_procurement, waiting = load_spinoffs_demo(p, world.c1, world.p1, entered + timedelta(days=90))

    assert accepted.status == "accepted"
    [line] = services.register_for(p)
    assert line.proposal_id == accepted.id and line.route == "below_threshold"
    assert float(line.cumulative_percent) < 10
    assert contract.value_pence == contract.original_value_pence + accepted.price_pence

    assert new_procurement.status == "new_procurement"
    assert new_procurement.price_pence * 100 > contract.original_value_pence * 10
    assert new_procurement.snapshot["route"] == "new_procurement"
    started = db.session.get(Procurement, new_procurement.new_procurement_id)
    assert started.stage == "engagement" and services.origin_of(started) == new_procurement

    assert waiting.status == "proposed"
    assert services.proposals_for(p) == [accepted, new_procurement, waiting]
