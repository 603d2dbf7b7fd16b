"""Market position statements: a council's narrative with the figures of a named gap-analysis run.

Each publication is a new numbered version (the earlier ones stay readable),
and publishing is an audit event. A statement can be attached to a
procurement's engagement notice and is listed on its owners' forums.
"""
from __future__ import annotations

from sqlalchemy import func, select

import trail
from accounts.models import User
from accounts.notifications import notify
from core.clock import utcnow
from core.errors import NotPermitted, RuleViolation
from core.extensions import db
from core.markdown import render_markdown
from core.safeguarding import check_child_data
from core.urls import url_for_path
from sufficiency import policy
from sufficiency.areas import areas_of
from sufficiency.models import (
    GapRun,
    MarketPositionStatement,
    Setting,
    StatementAttachment,
)
from tenders.models import DRAFTING_STAGES, Procurement
from trail import record_refusal

MAX_NARRATIVE = 50_000


def publish_statement(actor: User, *, title: str, narrative_md: str, run: GapRun | None,
                      confirmed_no_child_data: bool = False) -> MarketPositionStatement:
    """Publish the next version of the actor's organisation's market position statement."""
    if not policy.can_publish_statement(actor):
        record_refusal(actor, "sufficiency.statement_publish", "Only commissioners publish market position statements")
        raise NotPermitted("Only commissioners can publish market position statements")
    errors = {}
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = "Enter a title for the statement"
    elif len(title) > 200:
        errors["title"] = "The title must be 200 characters or fewer"
    narrative = (narrative_md or "").strip()
    if not narrative:
        errors["narrative_md"] = "Write the statement's narrative"
    elif len(narrative) > MAX_NARRATIVE:
        errors["narrative_md"] = f"The narrative must be {MAX_NARRATIVE:,} characters or fewer"
    if run is None:
        errors["run_id"] = "Choose the gap-analysis run whose figures the statement shows"
    areas = areas_of(actor.organisation)
    if not areas:
        errors["title"] = ("Your organisation has no council area recorded: ask an administrator to add its GSS "
                           "code when verifying it")
    if errors:
        raise RuleViolation(errors)
    kinds = check_child_data("narrative_md", [title, narrative], confirmed_no_child_data)
    version = (db.session.scalar(select(func.max(MarketPositionStatement.version)).where(
        MarketPositionStatement.organisation_id == actor.organisation_id)) or 0) + 1
    statement = MarketPositionStatement(
        organisation_id=actor.organisation_id, version=version, title=title, narrative_md=narrative,
        narrative_html=render_markdown(narrative), gap_run_id=run.id, area_codes=",".join(areas),  # type: ignore[union-attr]
        published_by_id=actor.id, published_at=utcnow())
    db.session.add(statement)
    db.session.flush()
    trail.record("sufficiency.statement_published", actor=actor, subject=statement, audience="public",
                 summary=f"Market position statement “{title}” published (version {version})",
                 payload={"title": title, "version": version, "gap_run_id": run.id,  # type: ignore[union-attr]
                          "inputs_sha256": run.inputs_sha256, "areas": areas,  # type: ignore[union-attr]
                          "child_data_confirmed": kinds})
    _tell_providers(statement, areas)
    return statement


def _tell_providers(statement: MarketPositionStatement, areas: list[str]) -> None:
    """The people of providers with a setting in the statement's areas hear of it (in the app)."""
    people = db.session.scalars(select(User).join(Setting, Setting.organisation_id == User.organisation_id)
                                .where(Setting.area_code.in_(areas)).distinct())
    notify(people, title=f"{statement.organisation.name} published a market position statement: {statement.title}",
           url=url_for_path("sufficiency.statement", statement_id=statement.id),
           event="sufficiency.statement_published")


def attach_to_procurement(statement: MarketPositionStatement, procurement: Procurement, actor: User
                          ) -> StatementAttachment:
    """Attach a statement to the owner's procurement while its engagement notice is still being written."""
    from tenders.policy import can_manage

    if not (policy.can_manage_statement(actor, statement) and can_manage(actor, procurement)):
        record_refusal(actor, "sufficiency.statement_attach",
                       "Only the commissioners of both the statement and the procurement can attach it")
        raise NotPermitted("Only the commissioners of both the statement and the procurement can attach it")
    if procurement.stage not in DRAFTING_STAGES:
        raise RuleViolation("A statement can be attached only while the procurement is in planning or engagement")
    found = db.session.scalar(select(StatementAttachment).where(
        StatementAttachment.statement_id == statement.id, StatementAttachment.procurement_id == procurement.id))
    if found is not None:
        raise RuleViolation("This statement is already attached to that procurement")
    attachment = StatementAttachment(statement_id=statement.id, procurement_id=procurement.id,
                                     attached_by_id=actor.id, attached_at=utcnow())
    db.session.add(attachment)
    db.session.flush()
    trail.record("sufficiency.statement_attached", actor=actor, subject=statement, audience="public",
                 procurement_id=procurement.id,
                 summary=f"Market position statement “{statement.title}” (version {statement.version}) attached to "
                         f"{procurement.reference}",
                 payload={"statement_id": statement.id, "procurement_id": procurement.id})
    return attachment


def published_statements() -> list[MarketPositionStatement]:
    """The latest version of each organisation's statement, newest first."""
    latest = select(MarketPositionStatement.organisation_id, func.max(MarketPositionStatement.version).label("v")) \
        .group_by(MarketPositionStatement.organisation_id).subquery()
    return list(db.session.scalars(select(MarketPositionStatement).join(
        latest, (latest.c.organisation_id == MarketPositionStatement.organisation_id)
        & (latest.c.v == MarketPositionStatement.version)).order_by(MarketPositionStatement.published_at.desc())))


def versions_of(statement: MarketPositionStatement) -> list[MarketPositionStatement]:
    return list(db.session.scalars(select(MarketPositionStatement).where(
        MarketPositionStatement.organisation_id == statement.organisation_id)
        .order_by(MarketPositionStatement.version.desc())))


def statements_for_procurement(procurement_id: int) -> list[MarketPositionStatement]:
    return list(db.session.scalars(select(MarketPositionStatement).join(
        StatementAttachment, StatementAttachment.statement_id == MarketPositionStatement.id)
        .where(StatementAttachment.procurement_id == procurement_id).order_by(MarketPositionStatement.id)))
