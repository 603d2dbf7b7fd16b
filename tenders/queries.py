"""Read-only queries for the tenders pages, feed and front page."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import url_for
from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import selectinload

from core.extensions import db
from core.timezones import in_uk, uk_date, uk_time
from forum.models import Forum, Meeting, NeedStatement
from tenders.models import LIVE_STAGES, PUBLIC_STAGES, Clarification, Procurement, procurement_need
from tenders.policy import may_link_forum
from tenders.thresholds import threshold_amount


def public_query(*, stage: str = "", region: str = "", category: str = "", band: str = "",
                 on: date | None = None) -> Select:
    """Published procurements, newest first, filtered. Bands follow the thresholds table on `on`."""
    query = select(Procurement).where(Procurement.stage.in_(PUBLIC_STAGES))
    if stage:
        query = query.where(Procurement.stage == stage)
    if region:
        query = query.where(Procurement.region == region)
    if category:
        query = query.where(Procurement.category == category)
    if band and on is not None:
        light_touch = threshold_amount("light_touch", on)
        notifiable = threshold_amount("notifiable_below_threshold", on)
        value = Procurement.estimated_value_pence
        if band == "light_touch" and light_touch is not None:
            query = query.where(value >= light_touch)
        elif band == "notifiable_below_threshold" and notifiable is not None and light_touch is not None:
            query = query.where(and_(value >= notifiable, value < light_touch))
        elif band == "below_threshold" and notifiable is not None:
            query = query.where(value < notifiable)
    return query.order_by(Procurement.id.desc())


def managed_by(org_id: int) -> list[Procurement]:
    """Every procurement an organisation owns, drafts included (for its commissioners)."""
    return list(db.session.scalars(select(Procurement).where(Procurement.owner_org_id == org_id)
                                   .order_by(Procurement.id.desc())))


def published_clarifications(procurement: Procurement) -> list[Clarification]:
    return list(db.session.scalars(select(Clarification).where(
        Clarification.procurement_id == procurement.id, Clarification.answered_at.is_not(None))
        .order_by(Clarification.answered_at, Clarification.id)))


def all_clarifications(procurement: Procurement) -> list[Clarification]:
    return list(db.session.scalars(select(Clarification).where(Clarification.procurement_id == procurement.id)
                                   .order_by(Clarification.asked_at, Clarification.id)))


def own_clarifications(procurement: Procurement, org_id: int) -> list[Clarification]:
    return list(db.session.scalars(select(Clarification).where(
        Clarification.procurement_id == procurement.id, Clarification.asker_org_id == org_id)
        .order_by(Clarification.asked_at, Clarification.id)))


@dataclass
class Listed:
    url: str
    title: str


def live_procurements(limit: int = 10) -> list[Listed]:
    """For the front page: procurements in engagement or tender."""
    found = db.session.scalars(select(Procurement).where(Procurement.stage.in_(LIVE_STAGES))
                               .order_by(Procurement.id.desc()).limit(limit))
    return [Listed(url_for("tenders.show", procurement_id=p.id), f"{p.title} ({p.stage_label})") for p in found]


def linkable_forums(procurement: Procurement) -> list[Forum]:
    """Forums the owning organisation owns or co-owns, not archived: the ones it may link."""
    forums = db.session.scalars(select(Forum).where(Forum.status != "archived")
                                .options(selectinload(Forum.owners)).order_by(Forum.title))
    return [f for f in forums if may_link_forum(procurement, f)]


def linkable_needs(procurement: Procurement) -> list[NeedStatement]:
    """Need statements in forums the owning organisation owns or co-owns (any status: a met need stays linkable)."""
    forum_ids = [f.id for f in linkable_forums(procurement)]
    linked = [n.id for n in procurement.need_statements]
    if not forum_ids and not linked:
        return []
    return list(db.session.scalars(select(NeedStatement).where(or_(
        NeedStatement.forum_id.in_(forum_ids), NeedStatement.id.in_(linked)))
        .options(selectinload(NeedStatement.forum)).order_by(NeedStatement.forum_id, NeedStatement.id)))


def addable_meetings(procurement: Procurement, now: datetime) -> list[Meeting]:
    """Future, not cancelled meetings of the linked forum not already on the notice."""
    if procurement.forum_id is None:
        return []
    taken = {e.meeting_id for e in procurement.events if e.meeting_id is not None}
    meetings = db.session.scalars(select(Meeting).where(
        Meeting.forum_id == procurement.forum_id, Meeting.cancelled_at.is_(None), Meeting.starts_at > now)
        .order_by(Meeting.starts_at))
    return [m for m in meetings if m.id not in taken]


def _published() -> Any:
    """Published, i.e. a notice went out (from engagement on): a draft, even a cancelled one, never shows."""
    return and_(Procurement.stage.in_(PUBLIC_STAGES),
                or_(Procurement.engagement_published_at.is_not(None), Procurement.tender_published_at.is_not(None)))


def published_linked_to_forum(forum_id: int) -> list[Procurement]:
    return list(db.session.scalars(select(Procurement).where(Procurement.forum_id == forum_id, _published())
                                   .options(selectinload(Procurement.owner)).order_by(Procurement.id.desc())))


def published_linked_to_need(need_id: int) -> list[Procurement]:
    return list(db.session.scalars(select(Procurement).join(
        procurement_need, procurement_need.c.procurement_id == Procurement.id)
        .where(procurement_need.c.need_statement_id == need_id, _published())
        .options(selectinload(Procurement.owner)).order_by(Procurement.id.desc())))


@dataclass(frozen=True)
class Closing:
    """A procurement's next public closing date, for the listing's closing-date column."""

    label: str  # "Responses due" | "Engagement closes"
    when_text: str  # GOV.UK style, UK time
    days_left: int  # whole UK calendar days from today; 0 is today, negative has passed

    @property
    def days_left_text(self) -> str:
        if self.days_left < 0:
            return "Closed"
        if self.days_left == 0:
            return "Closes today"
        return f"{self.days_left} day{'' if self.days_left == 1 else 's'} left"


def closing(procurement: Procurement, now: datetime) -> Closing | None:
    """The response deadline of a live tender, or the close of engagement; None at other stages.

    Days are counted on the UK calendar, so a deadline at 9am tomorrow is "1 day left" all of today.
    """
    today = in_uk(now).date()
    if procurement.stage == "tender" and procurement.response_deadline is not None:
        return Closing("Responses due", uk_time(procurement.response_deadline),
                       (in_uk(procurement.response_deadline).date() - today).days)
    if procurement.stage == "engagement" and procurement.engagement_closes_on is not None:
        return Closing("Engagement closes", uk_date(procurement.engagement_closes_on),
                       (procurement.engagement_closes_on - today).days)
    return None


SEARCH_PROCUREMENTS_LIMIT = 10


def search_procurements(words: list[str]) -> list[Procurement]:
    """Published procurements whose title, reference or subject holds every word, newest first (a few).

    Procurements are far fewer than forum posts, so a plain case-insensitive match serves; `words` are
    already plain (forum.search.terms), and LIKE's own wildcards in them are escaped.
    """
    if not words:
        return []
    query = select(Procurement).where(Procurement.stage.in_(PUBLIC_STAGES)).options(selectinload(Procurement.owner))
    for word in words:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(Procurement.title.ilike(pattern, escape="\\"),
                                Procurement.reference.ilike(pattern, escape="\\"),
                                Procurement.subject_md.ilike(pattern, escape="\\")))
    return list(db.session.scalars(query.order_by(Procurement.id.desc()).limit(SEARCH_PROCUREMENTS_LIMIT)))
