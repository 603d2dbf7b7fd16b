"""What the sufficiency package gives "My work".

A provider sees its settings whose vacancies have not been confirmed for a
week (commissioners place children on them). A commissioner sees whether its
organisation's market position statement is missing, or is older than the
latest gap-analysis run. One bounded query each.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from sqlalchemy import func, or_, select

from core import clock
from core.extensions import db
from core.urls import url_for_path
from core.worklist import WorkItem, provides
from sufficiency import policy
from sufficiency.models import GapRun, MarketPositionStatement, Setting

STALE_AFTER = timedelta(days=7)
LIMIT = 20


@provides
def vacancies_to_confirm(user: Any) -> Iterator[WorkItem]:
    if not policy.can_declare_capacity(user):
        return
    stale_before = (clock.utcnow() - STALE_AFTER).date()
    for setting in db.session.scalars(select(Setting).where(
            Setting.organisation_id == user.organisation_id,
            or_(Setting.vacancies_confirmed_on.is_(None), Setting.vacancies_confirmed_on < stale_before))
            .order_by(Setting.name).limit(LIMIT)):
        when = setting.vacancies_confirmed_on
        yield WorkItem(section="Vacancies to confirm", title=f"Confirm the vacancies at {setting.name}",
                       url=url_for_path("sufficiency.edit_setting", setting_id=setting.id),
                       detail=f"Last confirmed {when:%-d %B %Y}" if when else "Never confirmed")


@provides
def statement_to_publish(user: Any) -> Iterator[WorkItem]:
    if not policy.can_publish_statement(user):
        return
    latest_run = db.session.scalar(select(func.max(GapRun.id)))
    latest_statement_run = db.session.scalar(
        select(MarketPositionStatement.gap_run_id).where(MarketPositionStatement.organisation_id ==
                                                         user.organisation_id)
        .order_by(MarketPositionStatement.version.desc()).limit(1))
    if latest_run is None or latest_statement_run == latest_run:
        return
    yield WorkItem(section="Sufficiency", url=url_for_path("sufficiency.new_statement"),
                   title="Publish your market position statement" if latest_statement_run is None
                   else "Update your market position statement with the latest gap analysis",
                   detail=None if latest_statement_run is None else "A newer gap-analysis run is available")
