"""Reading the trail back: the shared filters of the trail pages, the records and the exports."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select

from core.extensions import db
from core.timezones import uk_to_utc
from trail.events import Actor, keyset_batches, record, sealed_actor_org_is, unsealed
from trail.models import AuditEvent


def filter_events(query: Select, action_prefix: str | None, actor_user_id: int | None, *,
                  procurement_id: int | None = None, actor_org_id: int | None = None,
                  occurred_from: date | None = None, occurred_to: date | None = None,
                  scope: ColumnElement[bool] | None = None, action: str | None = None,
                  actions: Sequence[str] | None = None) -> Select:
    """The trail's and the procurement record's filters, shared with the exports so a download matches the page.

    Sealed events are left out until their procurement is opened (`unsealed`), whatever the filters.

    Dates are whole days on the UK calendar, both ends included: `occurred_from` starts at UK midnight and
    `occurred_to` runs to the UK midnight at its end (the stored times, and the exports, stay UTC).
    `scope` is a whole record's condition (oversight.records.record_scope: a
    procurement's own events and the forum history before it).
    """
    query = query.where(unsealed())
    if scope is not None:
        query = query.where(scope)
    if action_prefix:
        query = query.where(AuditEvent.action.startswith(action_prefix, autoescape=True))
    if action:
        query = query.where(AuditEvent.action == action)
    if actions is not None:  # a domain's actions (trail.actions.of_domain)
        query = query.where(AuditEvent.action.in_(actions))
    if actor_user_id:
        query = query.where(AuditEvent.actor_user_id == actor_user_id)
    if procurement_id is not None:
        query = query.where(AuditEvent.procurement_id == procurement_id)
    if actor_org_id is not None:
        query = query.where(or_(AuditEvent.actor_org_id == actor_org_id, sealed_actor_org_is(actor_org_id)))
    if occurred_from is not None:
        query = query.where(AuditEvent.occurred_at >= uk_to_utc(occurred_from, time.min))
    if occurred_to is not None:
        query = query.where(AuditEvent.occurred_at < uk_to_utc(occurred_to + timedelta(days=1), time.min))
    return query


def events_page(page: int, per_page: int, action_prefix: str | None = None, actor_user_id: int | None = None,
                **filters: Any):
    """Newest first, for the auditor's trail page; `filters` are filter_events' keyword filters."""
    query = filter_events(select(AuditEvent).order_by(AuditEvent.seq.desc()), action_prefix, actor_user_id,
                          **filters)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


EXPORT_COLUMNS = [getattr(AuditEvent, name) for name in (
    "seq", "occurred_at", "actor_user_id", "actor_org_id", "actor_role", "actor_label",
    "action", "subject_type", "subject_id", "procurement_id", "audience", "summary",
    "payload", "payload_hash", "prev_hash", "hash", "redacted_at", "redaction_reason",
)]


def export_batches(up_to_seq: int, *, action_prefix: str | None = None, actor_user_id: int | None = None,
                   batch_size: int = 1000, after_read: Callable[[], None] | None = None,
                   **record_filters: Any) -> Iterator[Sequence[Any]]:
    """Matching events up to `up_to_seq`, oldest first, one keyset page per query.

    The upper bound makes the export a fixed snapshot even while new events
    are appended; the view ends its read transaction in `after_read`, so a slow
    download never holds one open. `record_filters` are filter_events' keyword
    filters (one procurement's record, an organisation, dates).
    """
    query = filter_events(select(*EXPORT_COLUMNS).where(AuditEvent.seq <= up_to_seq),
                          action_prefix, actor_user_id, **record_filters)
    return keyset_batches(query, AuditEvent.seq, batch_size, after_read=after_read)


def record_export(actor: Actor, export_format: str, *, action_prefix: str | None = None,
                  actor_user_id: int | None = None, procurement_id: int | None = None,
                  actor_org_id: int | None = None, occurred_from: date | None = None,
                  occurred_to: date | None = None, action: str | None = None,
                  actions: Sequence[str] | None = None) -> AuditEvent:
    """Who took a copy of the trail, in what form and with which filters.

    The export covers every matching event up to and including this one, so
    the event's seq is also the export's upper bound. A procurement record's
    export belongs to that procurement's record too: who took a copy of it,
    and when, is part of what an auditor reconstructs.
    """
    filters: dict[str, Any] = {"action_prefix": action_prefix, "actor_user_id": actor_user_id}
    extra = {"action": action, "actions": list(actions) if actions is not None else None,
             "actor_org_id": actor_org_id,
             "occurred_from": occurred_from.isoformat() if occurred_from else None,
             "occurred_to": occurred_to.isoformat() if occurred_to else None}
    filters.update({name: value for name, value in extra.items() if value is not None})
    described = ", ".join(f"{name} {value!r}" for name, value in filters.items() if value) or "no filters"
    what = f"the record of procurement {procurement_id}" if procurement_id is not None else "the audit trail"
    payload = {"format": export_format, **filters}
    if procurement_id is not None:
        payload["procurement_id"] = procurement_id
    return record(
        "audit.exported",
        actor=actor,
        summary=f"Exported {what} as {export_format.upper()} ({described})",
        payload=payload,
        procurement_id=procurement_id,
    )


