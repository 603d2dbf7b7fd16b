"""What accounts gives an administrator's "My work": organisations waiting to be verified."""
from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from accounts.models import Organisation, Viewer
from accounts.policy import can_administer
from core.extensions import db
from core.timezones import uk_time
from core.urls import url_for_path
from core.worklist import WorkItem, provides

LIMIT = 50


@provides
def organisations_to_verify(user: Viewer) -> Iterator[WorkItem]:
    """Unverified organisations, oldest registration first (the order the review list uses)."""
    if not can_administer(user):
        return
    waiting = db.session.scalars(select(Organisation).where(
        Organisation.verified_at.is_(None), Organisation.kind != "operator")
        .order_by(Organisation.created_at, Organisation.id).limit(LIMIT))
    for org in waiting:
        yield WorkItem("Organisations to verify", f"Check and verify {org.name}",
                       url_for_path("accounts.admin_organisation", org_id=org.id),
                       f"{org.kind_label}, registered {uk_time(org.created_at)}", due=org.created_at)
