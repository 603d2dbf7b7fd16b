"""Read-only queries for the tenders pages, feed and front page."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import url_for
from sqlalchemy import Select, and_, select

from core.extensions import db
from tenders.models import LIVE_STAGES, PUBLIC_STAGES, Clarification, Procurement
from tenders.thresholds import threshold_amount


def public_query(*, stage: str = "", region: str = "", category: str = "", band: str = "",
                 on: date | None = None) -> Select:
    """Published procurements, newest first, filtered. Bands follow the thresholds table on `on`."""
    query = select(Procurement).where(Procurement.stage.in_(PUBLIC_STAGES))
    if stage:
        query = query.where(Procurement.stage == stage)
    if region:
        query = query.where(Procurement.region.ilike(f"%{region.strip()}%"))
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
