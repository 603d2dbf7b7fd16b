"""Contract outcome items on "my work": returns falling due, returns to verify, statements to approve."""
from core import clock
from core.worklist import items_for
from outcomes.services import returns, statements
from tests.unit.outcomes.builders import LATER, contracted, stability, submitted


def _titles(user):
    return [(item.section, item.title) for item in items_for(user)]


def test_each_person_sees_what_waits_for_them(app, db, world):
    contract = contracted(world)
    clock.set_now(LATER)
    try:
        with app.test_request_context():
            due = _titles(world.p1)
            assert any(s == "Outcome returns due" and "2026-Q2 return for outcome 1" in t for s, t in due)
            assert not _titles(world.p2)
            ret = submitted(world, stability(contract), "2026-Q2")
            assert not any("2026-Q2 return for outcome 1" in t for _s, t in _titles(world.p1))
            assert ("Outcome returns to verify", (f"Verify the 2026-Q2 return for outcome 1 of "
                    f"{contract_reference(contract)}")) in _titles(world.c1)
            assert not _titles(world.other_commissioner)
            returns.verify_return(ret, world.c1, now=LATER)
            statements.calculate_statement(contract, world.c1, period="2026-Q2", now=LATER)
            assert not any(s == "Payment statements to approve" for s, _t in _titles(world.c1))  # verified one
            assert any(s == "Payment statements to approve" for s, _t in _titles(world.c2))
    finally:
        clock.set_now(None)


def contract_reference(contract):
    from core.extensions import db
    from tenders.models import Procurement

    return db.session.get(Procurement, contract.procurement_id).reference
