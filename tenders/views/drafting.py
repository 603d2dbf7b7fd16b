"""Drafting (commissioners): a new procurement, its details, the specification and its versions, the award
criteria and the tender documents."""
from __future__ import annotations

import json

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from accounts import policy as accounts_policy
from core import clock, storage
from core.errors import RuleViolation
from core.extensions import db
from core.forms import apply_violation, attempt
from core.guards import require
from core.transactions import call_service
from tenders import policy
from tenders.forms import (
    CriteriaForm,
    DetailsForm,
    DocumentForm,
    NewProcurementForm,
    SpecChangeForm,
    SpecificationForm,
    combine,
    parse_int,
    parse_pounds,
)
from tenders.models import ProcurementDocument, SpecVersion
from tenders.services import addenda, procurements, specification
from tenders.services.procurements import Details
from tenders.services.specification import OutcomeInput
from tenders.views.common import back_to_procurement, managed_procurement, procurement_context, visible_procurement


@login_required
def new():
    require(policy.can_create_procurement(current_user), "procurement.create")
    form = NewProcurementForm()
    if form.validate_on_submit():
        done = attempt(form, procurements.create_procurement, current_user, title=form.title.data,
                       category=form.category.data, region=form.region.data,
                       subject_md=form.subject_md.data, now=clock.utcnow())
        if done.ok:
            procurement = done.value
            flash(f"Draft {procurement.reference} created. Only your organisation's commissioners can see it.",
                  "success")
            return back_to_procurement(procurement)
    return render_template("tenders/new.html", form=form)


@login_required
def details(procurement_id: int):
    procurement = managed_procurement(procurement_id)
    form = DetailsForm(obj=procurement)
    form.submit.label.text = "Save details"
    if request.method == "GET":
        value = procurement.estimated_value_pence
        form.estimated_value.data = f"{value / 100:.2f}" if value is not None else ""
        form.contract_type.data = procurement.contract_type or ""
        form.duration_months.data = str(procurement.duration_months or "")
        form.extension_months.data = str(procurement.extension_months or 0)
    if form.validate_on_submit():
        done = attempt(form, procurements.update_details, procurement, current_user, Details(
            title=form.title.data, category=form.category.data, region=form.region.data,
            subject_md=form.subject_md.data, estimated_value_pence=parse_pounds(form.estimated_value.data),
            contract_type=form.contract_type.data or None,
            duration_months=parse_int(form.duration_months.data),
            extension_months=parse_int(form.extension_months.data) or 0,
            review_clauses_md=form.review_clauses_md.data), now=clock.utcnow())
        if done.ok:
            flash("Details saved.", "success")
            return back_to_procurement(procurement)
    return render_template("tenders/details.html", form=form, **procurement_context(procurement))


def _outcome_inputs(form: SpecificationForm) -> list[OutcomeInput]:
    rows = []
    for entry in form.outcomes:
        sub = entry.form
        if sub.is_blank():
            continue
        rows.append(OutcomeInput(
            domain=sub.domain.data or "", description=sub.description.data or "", indicator=sub.indicator.data or "",
            baseline_method=sub.baseline_method.data or "", target=sub.target.data or "",
            timescale=sub.timescale.data or "", evidence_source=sub.evidence_source.data or "",
            payment_share=parse_int(sub.payment_share.data) or 0))
    return rows


@login_required
def edit_specification(procurement_id: int):
    procurement = managed_procurement(procurement_id)
    require(policy.can_edit_specification(current_user, procurement), "specification.edit")
    latest = procurement.latest_version
    form = SpecificationForm()
    if request.method == "GET" and latest is not None:
        form.body_md.data = latest.body_md
        while len(form.outcomes) > 0:
            form.outcomes.pop_entry()
        for outcome in latest.outcomes:
            form.outcomes.append_entry({
                "domain": outcome.domain, "description": outcome.description, "indicator": outcome.indicator,
                "baseline_method": outcome.baseline_method, "target": outcome.target,
                "timescale": outcome.timescale, "evidence_source": outcome.evidence_source,
                "payment_share": str(outcome.payment_share)})
    blank_row_added = False
    if request.method == "GET" or len(form.outcomes) == len([e for e in form.outcomes if not e.form.is_blank()]):
        form.outcomes.append_entry()  # always one empty row to add an outcome
        blank_row_added = True
    if request.method == "POST" and form.add_outcome.data:
        if not blank_row_added:
            form.outcomes.append_entry()
        return render_template("tenders/specification.html", form=form, latest=latest,
                               **procurement_context(procurement))
    result = None
    if form.validate_on_submit():
        done = attempt(
            form,
            specification.save_version,
            procurement,
            current_user,
            body_md=form.body_md.data,
            outcomes=_outcome_inputs(form),
            note=form.note.data,
            now=clock.utcnow(),
        )
        if done.ok:
            version, result = done.value
            flash(f"Version {version.number} saved: {len(result.errors)} error(s) and {len(result.warnings)} "
                  "warning(s) from the spec check.", "success")
            return redirect(url_for("tenders.versions", procurement_id=procurement.id, checked=version.number))
    return render_template("tenders/specification.html", form=form, latest=latest, **procurement_context(procurement))


def versions(procurement_id: int):
    procurement = visible_procurement(procurement_id)
    manage = policy.can_manage(current_user, procurement) or accounts_policy.is_auditor(current_user)
    # The public sees published versions only; drafts stay with the owners.
    visible = procurement.versions if manage else [v for v in procurement.versions if v.published_at]
    by_number = {v.number: v for v in visible}
    def chosen(name: str) -> SpecVersion | None:
        number = request.args.get(name, type=int)
        return by_number.get(number) if number is not None else None

    old, new = chosen("a"), chosen("b")
    diff = specification.diff_versions(old, new) if old and new else None
    checked = chosen("checked") if manage else None
    shown = checked or (visible[-1] if visible else None)
    return render_template("tenders/versions.html", versions=visible, old=old, new=new, diff=diff, shown=shown,
                           errors=json.loads(shown.check_errors) if shown and manage else [],
                           warnings=json.loads(shown.check_warnings) if shown and manage else [],
                           **procurement_context(procurement))


@login_required
def change_specification(procurement_id: int):
    procurement = managed_procurement(procurement_id)
    form = SpecChangeForm()
    if form.validate_on_submit():
        new_deadline = combine(form.new_day.data, form.new_at.data or "12:00") if form.new_day.data else None
        try:
            call_service(specification.publish_spec_change, procurement, current_user,
                         new_response_deadline=new_deadline, now=clock.utcnow())
        except RuleViolation as exc:
            apply_violation(form, exc)
            if "new_response_deadline" in exc.reasons:
                form.new_day.errors = [exc.reasons["new_response_deadline"]]
        else:
            flash("The changed specification is published and every participant has been told.", "success")
            return back_to_procurement(procurement)
    latest, published = procurement.latest_version, procurement.published_version
    diff = specification.diff_versions(published, latest) if latest and published and latest is not published else None
    return render_template("tenders/spec_change.html", form=form, diff=diff, **procurement_context(procurement))


@login_required
def criteria(procurement_id: int):
    procurement = managed_procurement(procurement_id)
    form = CriteriaForm()
    if request.method == "GET":
        form.score_max.data = str(procurement.score_max)
        while len(form.criteria) > 0:
            form.criteria.pop_entry()
        for criterion in procurement.criteria:
            form.criteria.append_entry({"kind": criterion.kind, "name": criterion.name,
                                        "weight": str(criterion.weight)})
        while len(form.criteria) < len(procurement.criteria) + 2 or len(form.criteria) < 4:
            form.criteria.append_entry()
    if request.method == "POST" and form.add_criterion.data:
        form.criteria.append_entry()  # one more row, everything typed kept, nothing saved yet
        return render_template("tenders/criteria.html", form=form, **procurement_context(procurement))
    if form.validate_on_submit():
        rows = [(entry.form.kind.data or "", entry.form.name.data or "", parse_int(entry.form.weight.data) or 0)
                for entry in form.criteria]
        done = attempt(form, procurements.set_criteria, procurement, current_user, rows,
                       score_max=parse_int(form.score_max.data) or 0, now=clock.utcnow())
        if done.ok:
            flash("Award criteria saved.", "success")
            return back_to_procurement(procurement, "#criteria")
    return render_template("tenders/criteria.html", form=form, **procurement_context(procurement))


@login_required
def documents(procurement_id: int):
    procurement = managed_procurement(procurement_id)
    form = DocumentForm()
    if form.validate_on_submit():
        upload = form.document.data
        data = upload.read() if upload and upload.filename else b""
        adding = addenda.add_addendum if procurement.stage == "tender" else procurements.add_document
        done = attempt(form, adding, procurement, current_user, title=form.title.data,
                       filename=upload.filename if upload else "", content_type=upload.mimetype if upload else "",
                       data=data, now=clock.utcnow())
        if done.ok:
            flash("Addendum published. Every bidder has been emailed." if procurement.stage == "tender"
                  else "Document added.", "success")
            return redirect(url_for("tenders.documents", procurement_id=procurement.id))
    return render_template("tenders/documents.html", form=form, **procurement_context(procurement))


def document(procurement_id: int, document_id: int):
    procurement = visible_procurement(procurement_id)
    found = db.get_or_404(ProcurementDocument, document_id)
    if found.procurement_id != procurement.id:
        abort(404)
    return storage.download(found.file, filename=found.filename, mimetype="application/octet-stream")
