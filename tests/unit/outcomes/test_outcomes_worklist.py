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


def test_a_providers_outcome_items_take_the_same_queries_however_many_contracts_it_holds(app, db, world):
    from sqlalchemy import event

    from outcomes.worklist import provider_returns

    def queries_for_items():
        seen = []

        def count(*_args, **_kwargs):
            seen.append(1)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            items = list(provider_returns(world.p1))
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(seen), len(items)

    clock.set_now(LATER)
    try:
        with app.test_request_context():
            contracted(world)
            one = queries_for_items()
            contracted(world)
            two = queries_for_items()
    finally:
        clock.set_now(None)
    assert two[1] > one[1] and two[0] == one[0]
