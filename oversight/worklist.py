"""What oversight gives an auditor's "My work": the attention items, then the latest records.

The items are the attention page's own (one rule: `oversight.attention`); the
records are the trail page's first page, with sealed events withheld as there.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from accounts.policy import is_auditor
from core import clock
from core.timezones import uk_time
from core.urls import url_for_path
from core.worklist import WorkItem, provides
from oversight import attention
from trail.events import shown
from trail.queries import events_page

RECENT_RECORDS = 10


def _fix_url(item: attention.Item) -> str:
    args = dict(item.fix_args)
    anchor = args.pop("_anchor", "")
    return url_for_path(item.fix_endpoint, **args) + (f"#{anchor}" if anchor else "")


@provides
def attention_items(user: Any) -> Iterator[WorkItem]:
    if not is_auditor(user):
        return
    for kind, items in attention.attention(clock.utcnow()).items():
        for item in items:
            where = item.procurement.reference if item.procurement else \
                (item.organisation.name if item.organisation else "")
            yield WorkItem(f"Needs attention: {attention.KINDS[kind].lower()}",
                           f"{where}: {item.what}" if where else item.what, _fix_url(item),
                           f"Since {uk_time(item.since)}" + (" (urgent)" if item.urgent else ""), due=item.since)


@provides
def recent_records(user: Any) -> Iterator[WorkItem]:
    if not is_auditor(user):
        return
    page = events_page(1, RECENT_RECORDS)
    for event in shown(page.items):
        yield WorkItem("Latest records", event.summary, url_for_path("audit.event", seq=event.seq),
                       f"{uk_time(event.occurred_at)}, {event.action}")


