"""Returns and statements tell the other party as they happen: the provider of a query, a commissioner of a
return to verify, a second commissioner of a statement to approve."""
from sqlalchemy import select

from accounts.models import Notification
from outcomes.services import returns, statements
from tests.unit.outcomes.builders import LATER, contracted, stability, submitted


def _told(db, user) -> list[tuple[str, str]]:
    return [(n.event, n.text) for n in db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))
        if n.event.startswith("outcomes.")]


def test_a_submitted_return_tells_the_councils_commissioners_not_the_provider(db, world):
    outcome = stability(contracted(world))
    submitted(world, outcome, "2026-Q2")
    assert [event for event, _ in _told(db, world.c1)] == ["outcomes.return_submitted"]
    assert "waits to be verified" in _told(db, world.c2)[0][1]
    assert _told(db, world.p1) == [] and _told(db, world.other_commissioner) == []


def test_a_query_and_a_verification_tell_the_provider(db, world):
    outcome = stability(contracted(world))
    first = submitted(world, outcome, "2026-Q2")
    returns.query_return(first, world.c1, reason="The cohort looks one short", now=LATER)
    assert _told(db, world.p1) == [("outcomes.return_queried", _told(db, world.p1)[0][1])]
    assert "was queried" in _told(db, world.p1)[0][1]
    again = submitted(world, outcome, "2026-Q2")
    returns.verify_return(again, world.c2, now=LATER)
    assert [event for event, _ in _told(db, world.p1)] == ["outcomes.return_queried", "outcomes.return_verified"]
    assert _told(db, world.p2) == []


def test_a_calculated_statement_asks_a_commissioner_who_verified_none_of_its_returns(db, world):
    contract = contracted(world)
    outcome = stability(contract)
    returns.verify_return(submitted(world, outcome, "2026-Q2"), world.c2, now=LATER)
    statements.calculate_statement(contract, world.c2, period="2026-Q2", now=LATER)
    assert ("outcomes.statement_calculated" in [event for event, _ in _told(db, world.c1)])
    assert "outcomes.statement_calculated" not in [event for event, _ in _told(db, world.c2)]
