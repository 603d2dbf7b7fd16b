"""The procurement record (PA 2023 s.98; PCR reg 84): one procurement's audit events, in order.

Every tenders service writes its event with the procurement's id, so the
record is the trail filtered to that id: nothing is copied, so the record
cannot drift from the chain it is taken from, and each entry keeps its hash.
The record runs from the first forum mention, though: a need is usually
raised and discussed in a forum before anyone drafts a procurement, so the
events of the linked forum and of the linked need statements (their threads
and posts, meetings) from before the procurement existed are part of it
(record_scope). Read-only queries; the CSV export reuses
services.export_batches with the same scope.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, String, and_, cast, func, or_, select

from accounts.models import Organisation, User
from core.extensions import db
from forum.models import Forum, Meeting, NeedStatement, Post, Thread
from tenders.models import Procurement, procurement_need
from trail.actions import of_domain
from trail.events import SEALED_ROLE, ShownEvent, shown, unsealed
from trail.models import AuditEvent
from trail.queries import filter_events

# Personal preferences, not part of anyone's engagement with the need.
NOT_HISTORY = ("forum.watch_set",)


@dataclass(frozen=True)
class RecordFilters:
    """What the auditor narrowed the record to; every field optional."""

    actor_org_id: int | None = None
    action_prefix: str | None = None
    occurred_from: date | None = None
    occurred_to: date | None = None
    action: str | None = None  # one action exactly
    action_domain: str | None = None  # every action registered under a domain (trail.actions)

    def as_query(self) -> dict[str, Any]:
        """The filters as URL arguments, so the CSV link downloads exactly what the page shows."""
        chosen = self.action or (f"domain:{self.action_domain}" if self.action_domain else None)
        values = {"organisation": self.actor_org_id, "action": chosen or self.action_prefix,
                  "date_from": self.occurred_from.isoformat() if self.occurred_from else None,
                  "date_to": self.occurred_to.isoformat() if self.occurred_to else None}
        return {name: value for name, value in values.items() if value is not None}

    def as_export_filters(self) -> dict[str, Any]:
        return {"action_prefix": self.action_prefix, "actor_org_id": self.actor_org_id,
                "occurred_from": self.occurred_from, "occurred_to": self.occurred_to, "action": self.action,
                "actions": self.domain_actions}

    @property
    def domain_actions(self) -> list[str] | None:
        return of_domain(self.action_domain) if self.action_domain else None


def _about(model: Any, condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """Events whose subject is a `model` row matching `condition` (subject ids are stored as text)."""
    return and_(AuditEvent.subject_type == model.__tablename__,
                AuditEvent.subject_id.in_(select(cast(model.id, String)).where(condition)))


def linked_need_ids(procurement_id: int) -> list[int]:
    return list(db.session.scalars(select(procurement_need.c.need_statement_id)
                                   .where(procurement_need.c.procurement_id == procurement_id)))


def _forum_history(procurement: Procurement) -> ColumnElement[bool] | None:
    """The linked forum's and linked need statements' events from before the procurement existed, or None."""
    need_ids = linked_need_ids(procurement.id)
    if procurement.forum_id is None and not need_ids:
        return None
    subjects = []
    if procurement.forum_id is not None:
        forum_id = procurement.forum_id
        subjects += [
            and_(AuditEvent.subject_type == Forum.__tablename__, AuditEvent.subject_id == str(forum_id)),
            _about(Thread, Thread.forum_id == forum_id),
            _about(Post, Post.thread_id.in_(select(Thread.id).where(Thread.forum_id == forum_id))),
            _about(Meeting, Meeting.forum_id == forum_id),
            _about(NeedStatement, NeedStatement.forum_id == forum_id),
        ]
    if need_ids:
        # A need statement may sit in another of the organisation's forums: its own events and its discussion.
        need_threads = select(NeedStatement.thread_id).where(NeedStatement.id.in_(need_ids))
        subjects += [
            and_(AuditEvent.subject_type == NeedStatement.__tablename__,
                 AuditEvent.subject_id.in_([str(need_id) for need_id in need_ids])),
            _about(Thread, Thread.id.in_(need_threads)),
            _about(Post, Post.thread_id.in_(need_threads)),
        ]
    first_own = db.session.scalar(select(func.min(AuditEvent.seq)).where(AuditEvent.procurement_id == procurement.id))
    before = AuditEvent.seq < first_own if first_own is not None else AuditEvent.occurred_at < procurement.created_at
    return and_(before, AuditEvent.procurement_id.is_(None), AuditEvent.action.not_in(NOT_HISTORY), or_(*subjects))


def record_scope(procurement: Procurement) -> ColumnElement[bool]:
    """Which events make up the procurement's record: its own, and the forum history that led to it."""
    own = AuditEvent.procurement_id == procurement.id
    history = _forum_history(procurement)
    return own if history is None else or_(own, history)


def _scope(procurement_id: int) -> ColumnElement[bool]:
    procurement = db.session.get(Procurement, procurement_id)
    return record_scope(procurement) if procurement is not None else AuditEvent.procurement_id == procurement_id


@dataclass
class RecordEntry:
    event: ShownEvent
    organisation: str | None
    # True for the forum history from before the procurement existed.
    history: bool = False


def record_entries(procurement_id: int, filters: RecordFilters) -> list[RecordEntry]:
    """The matching events of one procurement's record, oldest first (seq order is time order: appends are
    serialised). Forum history entries are marked, so the page can say where they came from."""
    query = filter_events(select(AuditEvent), filters.action_prefix, None, scope=_scope(procurement_id),
                          actor_org_id=filters.actor_org_id, occurred_from=filters.occurred_from,
                          occurred_to=filters.occurred_to, action=filters.action, actions=filters.domain_actions)
    events = shown(list(db.session.scalars(query.order_by(AuditEvent.seq))))
    names = organisation_names({e.actor_org_id for e in events if e.actor_org_id is not None})
    return [RecordEntry(e, names.get(e.actor_org_id) if e.actor_org_id is not None else None,
                        history=e.procurement_id != procurement_id) for e in events]


def organisation_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(Organisation.id, Organisation.name)
                                   .where(Organisation.id.in_(ids))).tuples().all())


def actor_organisations(procurement_id: int) -> list[tuple[int, str]]:
    """The organisations that acted in this procurement, for the filter: only choices that can match."""
    ids = {org_id for org_id in db.session.scalars(select(AuditEvent.actor_org_id).distinct().where(
        _scope(procurement_id), AuditEvent.actor_org_id.is_not(None))) if org_id is not None}
    # Revealed sealed events name their organisation in the payload (withheld ones are not read at all).
    revealed = db.session.scalars(select(AuditEvent).where(_scope(procurement_id), unsealed(),
                                                           AuditEvent.actor_role == SEALED_ROLE))
    ids |= {event.actor_org_id for event in shown(list(revealed)) if event.actor_org_id is not None}
    return sorted(organisation_names(ids).items(), key=lambda item: item[1])


@dataclass
class RecordSummary:
    count: int
    first: Any
    last: Any
    # How many of `count` are forum history from before the procurement existed.
    history: int = 0


def record_summary(procurement_id: int) -> RecordSummary:
    """How many events the whole record holds and the span it covers (unfiltered)."""
    row = db.session.execute(select(func.count(), func.min(AuditEvent.occurred_at), func.max(AuditEvent.occurred_at),
                                    func.count(AuditEvent.procurement_id))
                             .where(_scope(procurement_id), unsealed())).one()
    return RecordSummary(row[0], row[1], row[2], history=row[0] - row[3])


@dataclass
class IndexRow:
    procurement: Procurement
    events: int


def procurement_index(page: int, per_page: int) -> tuple[Any, list[IndexRow]]:
    """Every procurement, drafts included (auditors see all), newest first, with its event count."""
    pagination = db.paginate(select(Procurement).order_by(Procurement.id.desc()), page=page, per_page=per_page,
                             error_out=False)
    ids = [p.id for p in pagination.items]
    counts: dict[int | None, int] = dict(db.session.execute(
        select(AuditEvent.procurement_id, func.count()).where(AuditEvent.procurement_id.in_(ids), unsealed())
        .group_by(AuditEvent.procurement_id)).tuples().all()) if ids else {}
    # Records with forum history are counted one by one (few have links; the page holds at most per_page).
    with_needs = set(db.session.scalars(select(procurement_need.c.procurement_id).distinct()
                                        .where(procurement_need.c.procurement_id.in_(ids)))) if ids else set()
    for procurement in pagination.items:
        if procurement.forum_id is not None or procurement.id in with_needs:
            counts[procurement.id] = db.session.scalar(
                select(func.count()).select_from(AuditEvent).where(record_scope(procurement), unsealed())) or 0
    return pagination, [IndexRow(p, counts.get(p.id, 0)) for p in pagination.items]


# ---------------------------------------------------------------- the trail page's lists


def trail_actions() -> list[str]:
    """Every action the trail shows, for the trail's action list (so nobody types an internal code).

    Sealed events count only once revealed: listing "response.submitted" before the opening would tell
    that someone has responded.
    """
    return list(db.session.scalars(select(AuditEvent.action).where(unsealed()).distinct()
                                   .order_by(AuditEvent.action)))


def trail_people() -> list[tuple[int, str]]:
    """(user id, "Name (Organisation)") of everyone who has acted, by name, for the trail's person list."""
    acted = select(AuditEvent.actor_user_id).where(AuditEvent.actor_user_id.is_not(None)).distinct()
    rows = db.session.execute(select(User.id, User.full_name, Organisation.name)
                              .join(Organisation, Organisation.id == User.organisation_id)
                              .where(User.id.in_(acted)).order_by(User.full_name, User.id)).all()
    return [(row.id, f"{row.full_name} ({row.name})") for row in rows]


def trail_organisations() -> list[tuple[int, str]]:
    """(organisation id, name) of every organisation whose people have acted, by name.

    Found through the people who acted (the indexed actor column), not by reading every event's
    organisation: that column has no index, and the trail page would scan the whole trail for it.
    """
    acted = select(AuditEvent.actor_user_id).where(AuditEvent.actor_user_id.is_not(None)).distinct()
    orgs = select(User.organisation_id).where(User.id.in_(acted))
    return [(row.id, row.name) for row in db.session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(orgs)).order_by(Organisation.name))]
