"""Demo data for the two-person opening: a tender past its deadline whose opening one commissioner has asked for.

A newcomer signs in as the other Northmere commissioner and confirms the opening
themselves. Loaded through the same services as the pages, with their `now`
set in the past, so the deadline has really passed and the request is a real
audit event waiting for its second person.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from accounts.models import User
from tenders.models import Procurement
from tenders.services import procurements, responses


def load_opening_demo(set_up: Callable[..., Procurement], declare_none: Callable[..., None],
                      assess: Callable[..., None], bid: Callable[..., None], *, requester: User, confirmer: User,
                      bidders: list[User], now: datetime, **procurement: object) -> Procurement:
    """A tender closed three days ago with sealed responses; `requester` has asked to open, `confirmer` has not.

    Both commissioners have declared no interest at the tender stage, so either may act.
    """
    p = set_up(requester, now=now - timedelta(days=70), **procurement)
    procurements.publish_engagement_notice(p, requester, closes_on=(now - timedelta(days=50)).date(),
                                           now=now - timedelta(days=60))
    declare_none(p, [requester], now - timedelta(days=41))
    assess(p, requester, now - timedelta(days=41))
    procurements.publish_tender(p, requester, clarification_deadline=now - timedelta(days=12),
                                response_deadline=now - timedelta(days=3), now=now - timedelta(days=40))
    declare_none(p, [requester, confirmer], now - timedelta(days=40))
    for days_before, (bidder, price, statement) in zip(
        (9, 6),
        [
            (bidders[0], 980_000, "A wraparound team of carers, a therapist and an education worker for each child."),
            (
                bidders[1],
                1_040_000,
                "Carers trained in therapeutic parenting, supervised fortnightly by a psychologist.",
            ),
        ],
    ):
        bid(p, bidder, price, statement, now - timedelta(days=days_before))
    responses.open_box(p, requester, now=now - timedelta(days=1))
    return p
