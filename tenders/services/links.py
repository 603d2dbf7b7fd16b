"""Linking a procurement to the forum and need statements behind it, and forum meetings as engagement events.

The rule (decided for this product): a commissioner of the owning organisation
may link any forum their organisation owns or co-owns (a consortium's member
councils count, as forum.policy says), and any need statement published in
such a forum. Other councils' forums are public, but linking one would claim a
need or an engagement that organisation did not run, so it is refused and
audited. Archived forums are no longer a place for engagement: they cannot be
newly linked. Links change only while drafting (planning, engagement): once
the tender is out, the notice bidders relied on stays as it was.

An engagement event taken from a forum meeting must be a future, not
cancelled meeting of the linked forum; from then on its date, time and place
come from the meeting, so a cancellation shows on the notice by itself.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select

import trail
from accounts.models import User
from core.errors import RuleViolation
from core.extensions import db
from core.timezones import uk_when
from forum.models import Forum, ForumStatus, Meeting, NeedStatement
from tenders import policy
from tenders.models import DRAFTING_STAGES, EngagementEvent, Procurement, Stage, meeting_place, procurement_need
from tenders.services.common import lock, refuse, require_stage


def _audience(procurement: Procurement) -> str:
    return "public" if procurement.stage != Stage.PLANNING else "auditors"


def _require_manager(actor: User, procurement: Procurement, attempted: str) -> None:
    if not policy.can_manage(actor, procurement):
        raise refuse(actor, procurement, attempted, "not a commissioner of the owning organisation",
                     "Only commissioners of the organisation that owns this procurement can do that.")


def _require_forum_owned(actor: User, procurement: Procurement, forum: Forum, attempted: str) -> None:
    if not policy.may_link_forum(procurement, forum):
        raise refuse(actor, procurement, attempted, f"forum {forum.id} is not owned by the procurement's organisation",
                     "You can only link forums your organisation owns or co-owns.")


def link_forum(procurement: Procurement, actor: User, forum: Forum, *, now: datetime) -> Procurement:
    """Link (or switch) the procurement's forum. Need statements already linked stay linked."""
    lock(procurement)
    _require_manager(actor, procurement, "procurement.link_forum")
    require_stage(procurement, DRAFTING_STAGES, "change the linked forum")
    _require_forum_owned(actor, procurement, forum, "procurement.link_forum")
    if procurement.forum_id == forum.id:
        return procurement  # already linked (it may have been archived since: the link stays)
    if forum.status == ForumStatus.ARCHIVED:
        raise RuleViolation({"forum": "That forum is archived: choose an open or closed forum"})
    previous = procurement.forum_id
    procurement.forum_id = forum.id
    db.session.flush()
    db.session.expire(procurement, ["forum"])
    trail.record("procurement.forum_linked", actor=actor, subject=procurement, procurement_id=procurement.id,
                 audience=_audience(procurement),
                 summary=f"{procurement.reference} linked to the forum “{forum.title}”",
                 payload={"forum_id": forum.id, "forum_title": forum.title, "previous_forum_id": previous,
                          "at": now.isoformat()})
    return procurement


def unlink_forum(procurement: Procurement, actor: User, *, now: datetime) -> Procurement:
    """Remove the forum link. Events taken from its meetings stay: they were published on the notice."""
    lock(procurement)
    _require_manager(actor, procurement, "procurement.unlink_forum")
    require_stage(procurement, DRAFTING_STAGES, "change the linked forum")
    if procurement.forum_id is None:
        return procurement
    previous = db.session.get_one(Forum, procurement.forum_id)
    procurement.forum_id = None
    db.session.flush()
    db.session.expire(procurement, ["forum"])
    trail.record("procurement.forum_unlinked", actor=actor, subject=procurement, procurement_id=procurement.id,
                 audience=_audience(procurement),
                 summary=f"{procurement.reference} no longer linked to the forum “{previous.title}”",
                 payload={"forum_id": previous.id, "forum_title": previous.title, "at": now.isoformat()})
    return procurement


def _linked_need_ids(procurement: Procurement) -> set[int]:
    return set(db.session.scalars(select(procurement_need.c.need_statement_id)
                                  .where(procurement_need.c.procurement_id == procurement.id)))


def link_need_statement(procurement: Procurement, actor: User, need: NeedStatement, *,
                        now: datetime) -> Procurement:
    """Say which published need this procurement answers; the need statement's page then lists it."""
    lock(procurement)
    _require_manager(actor, procurement, "procurement.link_need")
    require_stage(procurement, DRAFTING_STAGES, "change the linked need statements")
    _require_forum_owned(actor, procurement, need.forum, "procurement.link_need")
    if need.id in _linked_need_ids(procurement):
        return procurement
    db.session.execute(insert(procurement_need).values(procurement_id=procurement.id, need_statement_id=need.id))
    db.session.flush()
    db.session.expire(procurement, ["need_statements"])
    trail.record("procurement.need_linked", actor=actor, subject=procurement, procurement_id=procurement.id,
                 audience=_audience(procurement),
                 summary=f"{procurement.reference} linked to the need statement “{need.title}”",
                 payload={"need_statement_id": need.id, "title": need.title, "forum_id": need.forum_id,
                          "at": now.isoformat()})
    return procurement


def unlink_need_statement(procurement: Procurement, actor: User, need: NeedStatement, *,
                          now: datetime) -> Procurement:
    lock(procurement)
    _require_manager(actor, procurement, "procurement.unlink_need")
    require_stage(procurement, DRAFTING_STAGES, "change the linked need statements")
    if need.id not in _linked_need_ids(procurement):
        return procurement
    db.session.execute(delete(procurement_need).where(procurement_need.c.procurement_id == procurement.id,
                                                      procurement_need.c.need_statement_id == need.id))
    db.session.flush()
    db.session.expire(procurement, ["need_statements"])
    trail.record("procurement.need_unlinked", actor=actor, subject=procurement, procurement_id=procurement.id,
                 audience=_audience(procurement),
                 summary=f"{procurement.reference} no longer linked to the need statement “{need.title}”",
                 payload={"need_statement_id": need.id, "title": need.title, "at": now.isoformat()})
    return procurement


def set_links(procurement: Procurement, actor: User, *, forum: Forum | None, needs: list[NeedStatement],
              now: datetime) -> Procurement:
    """What the links form submits: apply the difference, one audited change per link, in one transaction."""
    _require_manager(actor, procurement, "procurement.links")
    if forum is None:
        unlink_forum(procurement, actor, now=now)
    else:
        link_forum(procurement, actor, forum, now=now)
    wanted = {n.id: n for n in needs}
    for current in list(procurement.need_statements):
        if current.id not in wanted:
            unlink_need_statement(procurement, actor, current, now=now)
    for need in needs:
        link_need_statement(procurement, actor, need, now=now)
    return procurement


def add_meeting_event(procurement: Procurement, actor: User, meeting: Meeting, *, now: datetime) -> EngagementEvent:
    """A meeting of the linked forum becomes an engagement event on the reg 17 notice."""
    lock(procurement)
    _require_manager(actor, procurement, "procurement.add_meeting_event")
    require_stage(procurement, DRAFTING_STAGES, "add an engagement event")
    _require_forum_owned(actor, procurement, meeting.forum, "procurement.add_meeting_event")
    if procurement.forum_id != meeting.forum_id:
        raise RuleViolation({"meeting": "Choose a meeting of the forum linked to this procurement"})
    if meeting.is_cancelled:
        raise RuleViolation({"meeting": "That meeting is cancelled"})
    if meeting.starts_at <= now:
        raise RuleViolation({"meeting": "That meeting has already started: choose a future meeting"})
    if any(e.meeting_id == meeting.id for e in procurement.events):
        raise RuleViolation({"meeting": "That meeting is already an engagement event of this procurement"})
    event = EngagementEvent(procurement_id=procurement.id, title=meeting.title[:200], starts_at=meeting.starts_at,
                            place=meeting_place(meeting)[:300], meeting_id=meeting.id, created_at=now)
    db.session.add(event)
    db.session.flush()
    db.session.expire(procurement, ["events"])
    trail.record("engagement.event_added", actor=actor, subject=event, procurement_id=procurement.id,
                 audience=_audience(procurement),
                 summary=f"Forum meeting “{event.title}” on {uk_when(event.starts_at)} added as an "
                         f"engagement event",
                 payload={"title": event.title, "starts_at": event.starts_at.isoformat(), "place": event.place,
                          "meeting_id": meeting.id, "forum_id": meeting.forum_id})
    return event
