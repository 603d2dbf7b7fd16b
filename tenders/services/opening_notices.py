"""Telling the owning organisation's other commissioners that an opening waits for them."""
from __future__ import annotations

from sqlalchemy import select

from accounts.models import User
from accounts.notifications import notify
from core.extensions import db
from core.urls import url_for_path
from tenders import policy
from tenders.models import Procurement
from tenders.services import conflicts


def second_commissioners(procurement: Procurement, requester: User) -> list[User]:
    """Who could confirm this opening: the owner's other commissioners whom the conflict gate lets confirm."""
    people = db.session.scalars(select(User).where(
        User.organisation_id == procurement.owner_org_id, User.role == "commissioner", User.id != requester.id,
        User.is_suspended.is_(False)).order_by(User.id))
    return [person for person in people if policy.is_owner_commissioner(person, procurement)
            and not conflicts.is_conflicted(procurement, person, "confirm")]


def tell_second_commissioners(procurement: Procurement, requester: User) -> None:
    """In the app and by email: the opening needs a second, different commissioner."""
    notify(second_commissioners(procurement, requester),
           title=f"{requester.full_name} asked to open the responses to {procurement.reference} "
                 f"{procurement.title}: a second commissioner must confirm the opening",
           url=url_for_path("tenders.open_responses", procurement_id=procurement.id),
           email=True, event="opening.requested")
