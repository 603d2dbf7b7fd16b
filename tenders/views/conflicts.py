"""Declarations of interest and the conflicts assessment (PA23 ss.81-83).

Owning commissioners and auditors: /tenders/<id>/declarations (declare, history, assessment versions)
Owning commissioners:               /tenders/<id>/declarations/assessment (record a new version)
"""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from accounts.models import Organisation
from core import clock
from core.extensions import db
from core.forms import attempt
from core.guards import require
from tenders import policy
from tenders.forms.conflicts import DeclarationForm, assessment_form
from tenders.models import STAGES, Procurement
from tenders.policy import conflicts as conflicts_policy
from tenders.services import conflicts
from tenders.views.blueprint import bp
from tenders.views.common import procurement_context, procurement_panel, visible_procurement

# The pages where the viewer's own declaration decides what they may do (rule 4): they say so.
GATED_ENDPOINTS = ("tenders.open_responses", "tenders.evaluation_page", "tenders.score", "tenders.consensus",
                   "tenders.assign")


def _status(procurement: Procurement) -> dict[str, Any]:
    """The viewer's declaration at the current stage, for the pages that depend on it."""
    return {"applies": conflicts_policy.may_declare(current_user, procurement),
            "declared": conflicts.has_current_declaration(procurement, current_user),
            "stage": STAGES[procurement.stage],
            "url": url_for("tenders.conflicts_declarations", procurement_id=procurement.id)}


@bp.context_processor
def _conflicts_requirement() -> dict[str, Any]:
    """Opening, evaluation, scoring and moderation pages show whether the viewer has declared."""
    procurement_id = (request.view_args or {}).get("procurement_id")
    if request.endpoint not in GATED_ENDPOINTS or procurement_id is None:
        return {}
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None or not conflicts_policy.may_declare(current_user, procurement):
        return {}
    return {"conflicts_status": _status(procurement)}


@procurement_panel
def conflicts_panel(procurement: Procurement) -> dict[str, Any]:
    if not conflicts_policy.can_view_declarations(current_user, procurement):
        return {"conflicts_flags": {"view": False}}
    return {"conflicts_flags": {"view": True, **_status(procurement)}}


def _provider_choices() -> list[tuple[str, str]]:
    """The organisations an interest can name: every provider (the service checks the one chosen)."""
    found = db.session.scalars(select(Organisation).where(Organisation.kind == "provider").order_by(Organisation.name))
    return [("", "None: the interest does not involve a provider organisation")] + [
        (str(org.id), org.name) for org in found]


def _people_choices(procurement: Procurement) -> list[tuple[str, str]]:
    """Who an assessment can exclude: the owning organisation's commissioners."""
    return [(str(person.id), person.full_name) for person in procurement.owner.members
            if policy.is_owner_commissioner(person, procurement)]


def _page(procurement: Procurement, form: DeclarationForm, status: int = 200) -> Any:
    return render_template(
        "tenders/conflicts/declarations.html", form=form, declarations=conflicts.declarations_for(procurement),
        missing=conflicts.missing_declarations(procurement), assessments=conflicts.assessments_for(procurement),
        uncovered=conflicts.uncovered_interests(procurement), conflicts_status=_status(procurement),
        can_declare=conflicts_policy.can_declare(current_user, procurement),
        can_assess=conflicts_policy.can_assess(current_user, procurement), stages=STAGES,
        **procurement_context(procurement)), status


@login_required
def conflicts_declarations(procurement_id: int):
    procurement = visible_procurement(procurement_id)
    require(conflicts_policy.can_view_declarations(current_user, procurement), "conflicts.view")
    form = DeclarationForm()
    form.organisation.choices = _provider_choices()
    if request.method == "POST":
        require(conflicts_policy.may_declare(current_user, procurement), "conflicts.declare")
        if form.validate_on_submit():
            chosen = form.organisation.data or ""
            done = attempt(form, conflicts.declare, procurement, current_user,
                           has_interest={"yes": True, "no": False}.get(form.has_interest.data),
                           description=form.description.data or "", now=clock.utcnow(),
                           organisation_id=int(chosen) if chosen.isdigit() and len(chosen) < 10 else None)
            if done.ok:
                flash(f"Your declaration at the “{procurement.stage_label}” stage is recorded.", "success")
                return redirect(url_for("tenders.conflicts_declarations", procurement_id=procurement.id))
        return _page(procurement, form, 400)
    return _page(procurement, form)


@login_required
def conflicts_assessment(procurement_id: int):
    procurement = visible_procurement(procurement_id)
    require(conflicts_policy.may_assess(current_user, procurement), "conflicts.assess")
    interests = conflicts.interests_for(procurement)
    latest = conflicts.latest_assessment(procurement)
    form = assessment_form(interests, conflicts.prefill(procurement), _people_choices(procurement),
                           [str(i) for i in sorted(latest.excluded_user_ids)] if latest else [])
    if form.validate_on_submit():
        entries = [conflicts.EntryInput(d.id, form[f"who-{d.id}"].data or "", form[f"what-{d.id}"].data or "",
                                        form[f"mitigation-{d.id}"].data or "") for d in interests]
        excluded = [int(value) for value in form.excluded_people.data or [] if value.isdigit() and len(value) < 10]
        done = attempt(form, conflicts.record_assessment, procurement, current_user, entries=entries,
                       none_identified=form.none_identified.data or "" if not interests else "",
                       now=clock.utcnow(), excluded_user_ids=excluded)
        if done.ok:
            assessment = done.value
            flash(f"Version {assessment.version} of the conflicts assessment is recorded.", "success")
            return redirect(url_for("tenders.conflicts_declarations", procurement_id=procurement.id))
    return render_template("tenders/conflicts/assessment.html", form=form, interests=interests,
                           latest=latest, stages=STAGES,
                           **procurement_context(procurement)), 400 if form.errors else 200
