"""Connecting the procurements to the forum below them: the quiet period and the linked procurements."""
from __future__ import annotations

from forum import hooks
from tenders.queries import published_linked_to_forum, published_linked_to_need, search_procurements
from tenders.services.conflicts import check_quiet_period


def connect_forum() -> None:
    """Called once per app by the factory (registering again changes nothing)."""
    hooks.register_post_check(check_quiet_period)
    hooks.register_procurement_links(to_forum=published_linked_to_forum, to_need=published_linked_to_need,
                                     search=search_procurements)
