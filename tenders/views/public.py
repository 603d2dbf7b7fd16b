"""The public pages: the list of procurements, its Atom feed, and the procurement page."""
from __future__ import annotations

from feedgen.feed import FeedGenerator
from flask import Response, current_app, render_template, request
from flask_login import current_user

from accounts import policy as accounts_policy
from core import clock
from core.extensions import db
from core.forms import ConfirmForm
from core.request_args import page_number
from core.text import xml_safe
from core.urls import external_url
from tenders import pictures, policy, queries
from tenders.forms import FilterForm
from tenders.services import evaluation, procurements, responses
from tenders.views.common import panels_for, procurement_context, visible_procurement


def index():
    form = FilterForm(request.args)
    form.validate()
    page = page_number()
    # Each filter is one of its listed choices or nothing: anything else typed into the URL filters nothing.
    query = queries.public_query(
        stage=form.stage.data if form.stage.data in dict(form.stage.choices) else "",
        region=form.region.data if form.region.data in dict(form.region.choices) else "",
        category=form.category.data if form.category.data in dict(form.category.choices) else "",
        band=form.band.data if form.band.data in dict(form.band.choices) else "",
        on=clock.utcnow().date())
    listing = db.paginate(query, page=page, per_page=current_app.config["TENDERS_PER_PAGE"], error_out=False)
    mine = queries.managed_by(current_user.organisation_id) if policy.can_create_procurement(current_user) else []
    args = {k: v for k, v in request.args.items() if k != "page"}
    now = clock.utcnow()
    closings = {p.id: queries.closing(p, now) for p in listing.items}
    return render_template("tenders/index.html", form=form, listing=listing, mine=mine, args=args,
                           closings=closings, can_create=policy.can_create_procurement(current_user),
                           pipeline=pictures.pipeline_chart(now))


def feed():
    """Every published procurement's latest state, newest first (Atom, feedgen)."""
    generator = FeedGenerator()
    generator.id(external_url("tenders.index"))
    generator.title("Commissioning Commons: procurements")
    generator.link(href=external_url("tenders.feed"), rel="self")
    generator.link(href=external_url("tenders.index"), rel="alternate")
    generator.language("en-GB")
    items = db.session.scalars(queries.public_query().limit(50)).all()
    for procurement in reversed(items):
        entry = generator.add_entry()
        url = external_url("tenders.show", procurement_id=procurement.id)
        entry.id(url)
        entry.link(href=url)
        entry.title(xml_safe(f"{procurement.reference}: {procurement.title} ({procurement.stage_label})"))
        entry.author({"name": xml_safe(procurement.owner.name)})
        entry.summary(xml_safe(f"{procurement.owner.name}. {procurement.category_label}. "
                               f"Stage: {procurement.stage_label}."))
        updated = procurement.closed_at or procurement.opened_at or procurement.tender_published_at or \
            procurement.engagement_published_at or procurement.created_at
        entry.updated(updated.isoformat() + "+00:00")
    if not items:
        generator.updated("2025-02-24T00:00:00+00:00")
    return Response(generator.atom_str(pretty=True), mimetype="application/atom+xml")


def show(procurement_id: int):
    procurement = visible_procurement(procurement_id)
    user = current_user
    own_response = None
    if accounts_policy.is_provider(user):
        own_response = responses.current_response(procurement, user.organisation_id)
    award = evaluation.award_for(procurement)
    return render_template(
        "tenders/show.html", **procurement_context(procurement), **panels_for(procurement),
        notice=procurements.engagement_notice(procurement),
        answered=queries.published_clarifications(procurement),
        own_response=own_response, award=award,
        contract=evaluation.contract_for(procurement),
        assessment=evaluation.assessment_summary(procurement, user) if award else None,
        problems=procurements.tender_problems(procurement, clock.utcnow())
        if policy.can_publish_tender(user, procurement) else {},
        withdraw_form=ConfirmForm(prefix="withdraw"), reconfirm_form=ConfirmForm(prefix="reconfirm"),
    )
