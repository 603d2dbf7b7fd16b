"""The procurement record (PA 2023 s.98; PCR reg 84): one procurement's audit events, in order.

Every tenders service writes its event with the procurement's id, so the
record is simply the trail filtered to that id: nothing is copied, so the
record cannot drift from the chain it is taken from, and each entry keeps its
hash. Read-only queries; the CSV export reuses services.export_batches.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from accounts.models import Organisation
from audit.models import AuditEvent
from audit.services import filter_events
from core.extensions import db
from tenders.models import Procurement


@dataclass(frozen=True)
class RecordFilters:
    """What the auditor narrowed the record to; every field optional."""

    actor_org_id: int | None = None
    action_prefix: str | None = None
    occurred_from: date | None = None
    occurred_to: date | None = None

    def as_query(self) -> dict[str, Any]:
        """The filters as URL arguments, so the CSV link downloads exactly what the page shows."""
        values = {"organisation": self.actor_org_id, "action": self.action_prefix,
                  "date_from": self.occurred_from.isoformat() if self.occurred_from else None,
                  "date_to": self.occurred_to.isoformat() if self.occurred_to else None}
        return {name: value for name, value in values.items() if value is not None}

    def as_export_filters(self) -> dict[str, Any]:
        return {"action_prefix": self.action_prefix, "actor_org_id": self.actor_org_id,
                "occurred_from": self.occurred_from, "occurred_to": self.occurred_to}


@dataclass
class RecordEntry:
    event: AuditEvent
    organisation: str | None


def record_entries(procurement_id: int, filters: RecordFilters) -> list[RecordEntry]:
    """The matching events of one procurement, oldest first (seq order is time order: appends are serialised)."""
    query = filter_events(select(AuditEvent), filters.action_prefix, None, procurement_id=procurement_id,
                          actor_org_id=filters.actor_org_id, occurred_from=filters.occurred_from,
                          occurred_to=filters.occurred_to)
    events = list(db.session.scalars(query.order_by(AuditEvent.seq)))
    names = organisation_names({e.actor_org_id for e in events if e.actor_org_id is not None})
    return [RecordEntry(e, names.get(e.actor_org_id) if e.actor_org_id is not None else None) for e in events]


def organisation_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))).all())


def actor_organisations(procurement_id: int) -> list[tuple[int, str]]:
    """The organisations that acted in this procurement, for the filter: only choices that can match."""
    ids = set(db.session.scalars(select(AuditEvent.actor_org_id).distinct().where(
        AuditEvent.procurement_id == procurement_id, AuditEvent.actor_org_id.is_not(None))))
    return sorted(organisation_names(ids).items(), key=lambda item: item[1])


@dataclass
class RecordSummary:
    count: int
    first: Any
    last: Any


def record_summary(procurement_id: int) -> RecordSummary:
    """How many events the whole record holds and the span it covers (unfiltered)."""
    row = db.session.execute(select(func.count(), func.min(AuditEvent.occurred_at), func.max(AuditEvent.occurred_at))
                             .where(AuditEvent.procurement_id == procurement_id)).one()
    return RecordSummary(row[0], row[1], row[2])


@dataclass
class IndexRow:
    procurement: Procurement
    events: int


def procurement_index(page: int, per_page: int) -> tuple[Any, list[IndexRow]]:
    """Every procurement, drafts included (auditors see all), newest first, with its event count."""
    pagination = db.paginate(select(Procurement).order_by(Procurement.id.desc()), page=page, per_page=per_page,
                             error_out=False)
    ids = [p.id for p in pagination.items]
    counts = dict(db.session.execute(
        select(AuditEvent.procurement_id, func.count()).where(AuditEvent.procurement_id.in_(ids))
        .group_by(AuditEvent.procurement_id)).all()) if ids else {}
    return pagination, [IndexRow(p, counts.get(p.id, 0)) for p in pagination.items]
