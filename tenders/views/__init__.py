"""Procurements: every URL of the tenders package is listed here.

Views parse the form, call one service through call_service, and render.
Permission flags come from tenders.policy so buttons and routes agree; time
comes from core.clock so deadlines can be tested without sleeping.

Public:        /tenders, /tenders.atom, /tenders/<id>, /tenders/<id>/documents/<doc_id>, /rules
Commissioners: /tenders/new, /tenders/<id>/details, /regime, /documents, /responses/<rid>/documents/<n>, /specification,
               /specification/versions,
               /specification/change, /criteria, /links, /engagement, /events, /events/meeting, /publish, /close,
               /clarifications/<cid>/answer, /open, /responses, /responses/<rid>,
               /evaluation, /evaluators, /evaluation/<rid>/score, /evaluation/submit,
               /evaluation/<rid>/consensus/<criterion_id>, /award, /contract
Providers:     /tenders/<id>/clarifications, /respond, /respond/withdraw, /respond/reconfirm,
               /responses/<rid>/receipt, /assessment
CLI:           flask --app wsgi tenders enter-due-contracts
"""
from __future__ import annotations

import json
from collections.abc import Callable
from io import BytesIO
from typing import Any

import click
from feedgen.feed import FeedGenerator
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required

from accounts import policy as accounts_policy
from accounts.models import User
from core import clock, storage
from core.check_answers import changing, confirmed
from core.errors import RuleViolation
from core.extensions import db
from core.forms import ConfirmForm, apply_violation, attempt
from core.guards import require
from core.request_args import page_number
from core.text import xml_safe
from core.timezones import uk_when
from core.transactions import call_service
from core.urls import external_url
from forum.models import Forum, Meeting, NeedStatement
from tenders import pictures, policy, queries, scoring
from tenders.forms import (
    AnswerForm,
    AwardForm,
    CloseForm,
    ConsensusForm,
    ContractForm,
    CriteriaForm,
    DetailsForm,
    DocumentForm,
    EngagementForm,
    EvaluatorForm,
    EventForm,
    FilterForm,
    LinksForm,
    MeetingEventForm,
    NewProcurementForm,
    PublishTenderForm,
    QuestionForm,
    ResponseForm,
    SpecChangeForm,
    SpecificationForm,
    combine,
    parse_int,
    parse_pounds,
    score_sheet_form,
)
from tenders.models import AwardCriterion, Clarification, Procurement, ProcurementDocument, TenderResponse
from tenders.services import (
    addenda,
    clarifications,
    drafts,
    evaluation,
    links,
    procurements,
    responses,
    specification,
)
from tenders.services.procurements import Details
from tenders.services.responses import Document
from tenders.services.specification import OutcomeInput
from tenders.thresholds import regime_of

bp = Blueprint("tenders", __name__, cli_group="tenders")

MAX_DOCUMENTS = 10


@bp.record_once
def _setup(state: Any) -> None:
    from tenders.config import init_tenders_config

    init_tenders_config(state.app)


# ---------------------------------------------------------------- helpers


def _procurement(procurement_id: int) -> Procurement:
    procurement = db.get_or_404(Procurement, procurement_id)
    require(policy.can_view(current_user, procurement), "procurement.view")
    return procurement


def _manage(procurement_id: int) -> Procurement:
    procurement = _procurement(procurement_id)
    require(policy.can_manage(current_user, procurement), "procurement.manage")
    return procurement


def _flags(procurement: Procurement) -> dict[str, bool]:
    now = clock.utcnow()
    user = current_user
    return {
        "manage": policy.can_manage(user, procurement),
        "edit_details": policy.can_edit_details(user, procurement),
        "edit_spec": policy.can_edit_specification(user, procurement),
        "ask": policy.can_ask_clarification(user, procurement),
        "answer": policy.can_answer_clarifications(user, procurement),
        "respond": policy.can_submit_response(user, procurement),
        "provider": accounts_policy.is_provider(user),
        "open": policy.can_open_responses(user, procurement, now),
        "read": policy.can_read_responses(user, procurement, now),
        "assign": policy.can_assign_evaluators(user, procurement),
        "evaluate": evaluation.assignment_for(procurement, user) is not None and procurement.stage == "evaluation",
        "publish_engagement": policy.can_publish_engagement(user, procurement),
        "publish_tender": policy.can_publish_tender(user, procurement),
        "needs_reason": policy.needs_no_engagement_reason(procurement)
        and not regime_of(procurement, now).regime.is_psr,  # PA23 s.17 does not bind the PSR (PR 2024 reg 43)
        "change_spec": policy.can_change_published_spec(user, procurement),
        "request_opening": policy.can_request_opening(user, procurement),
        "view_evaluation": policy.can_view_evaluation(user, procurement),
        "award": policy.can_decide_award(user, procurement),
        "contract": policy.can_enter_contract(user, procurement),
        "close": policy.can_close(user, procurement),
        "provider_in_tender": accounts_policy.is_provider(user) and procurement.stage == "tender",
        "criteria": policy.can_see_criteria(user, procurement),
    }


def _context(procurement: Procurement) -> dict[str, Any]:
    return {"procurement": procurement, "flags": _flags(procurement),
            "tender_open_for_responses": procurement.stage == "tender",
            "regime": regime_of(procurement, clock.utcnow())}


def _may_record_refusal() -> None:
    """A GET whose service may audit a refusal: end the read snapshot so the next transaction takes the
    write lock (SQLite BEGIN IMMEDIATE), as core.guards does. Nothing has been written yet."""
    g.write_intent = True
    db.session.commit()


# Functions that add their topic's data and flags to the procurement page (co-design, contacts,
# conflicts, spin-offs each register one with @procurement_panel). Each returns a dict merged into the
# template context under its own keys; the page includes each topic's partial.
PANELS: list[Callable[[Procurement], dict[str, Any]]] = []


def procurement_panel(function: Callable[[Procurement], dict[str, Any]]) -> Callable[[Procurement], dict[str, Any]]:
    PANELS.append(function)
    return function


def _panels(procurement: Procurement) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for panel in PANELS:
        context.update(panel(procurement))
    return context


def _back(procurement: Procurement, anchor: str = "") -> Any:
    return redirect(url_for("tenders.show", procurement_id=procurement.id) + anchor)


# ---------------------------------------------------------------- public pages


@bp.route("/tenders")
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


@bp.route("/tenders.atom")
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


@bp.route("/tenders/<int:procurement_id>")
def show(procurement_id: int):
    procurement = _procurement(procurement_id)
    user = current_user
    own_response = None
    if accounts_policy.is_provider(user):
        own_response = responses.current_response(procurement, user.organisation_id)
    award = evaluation.award_for(procurement)
    return render_template(
        "tenders/show.html", **_context(procurement), **_panels(procurement),
        notice=procurements.engagement_notice(procurement),
        answered=queries.published_clarifications(procurement),
        own_response=own_response, award=award,
        contract=evaluation.contract_for(procurement),
        assessment=evaluation.assessment_summary(procurement, user) if award else None,
        problems=procurements.tender_problems(procurement, clock.utcnow())
        if policy.can_publish_tender(user, procurement) else {},
        withdraw_form=ConfirmForm(prefix="withdraw"), reconfirm_form=ConfirmForm(prefix="reconfirm"),
    )


# ---------------------------------------------------------------- drafting (commissioners)


@bp.route("/tenders/new", methods=["GET", "POST"])
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
            return _back(procurement)
    return render_template("tenders/new.html", form=form)


@bp.route("/tenders/<int:procurement_id>/details", methods=["GET", "POST"])
@login_required
def details(procurement_id: int):
    procurement = _manage(procurement_id)
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
            return _back(procurement)
    return render_template("tenders/details.html", form=form, **_context(procurement))


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


@bp.route("/tenders/<int:procurement_id>/specification", methods=["GET", "POST"])
@login_required
def edit_specification(procurement_id: int):
    procurement = _manage(procurement_id)
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
        return render_template("tenders/specification.html", form=form, latest=latest, **_context(procurement))
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
    return render_template("tenders/specification.html", form=form, latest=latest, **_context(procurement))


@bp.route("/tenders/<int:procurement_id>/specification/versions")
def versions(procurement_id: int):
    procurement = _procurement(procurement_id)
    manage = policy.can_manage(current_user, procurement) or accounts_policy.is_auditor(current_user)
    # The public sees published versions only; drafts stay with the owners.
    visible = procurement.versions if manage else [v for v in procurement.versions if v.published_at]
    by_number = {v.number: v for v in visible}
    old, new = by_number.get(request.args.get("a", type=int)), by_number.get(request.args.get("b", type=int))
    diff = specification.diff_versions(old, new) if old and new else None
    checked = by_number.get(request.args.get("checked", type=int)) if manage else None
    shown = checked or (visible[-1] if visible else None)
    return render_template("tenders/versions.html", versions=visible, old=old, new=new, diff=diff, shown=shown,
                           errors=json.loads(shown.check_errors) if shown and manage else [],
                           warnings=json.loads(shown.check_warnings) if shown and manage else [],
                           **_context(procurement))


@bp.route("/tenders/<int:procurement_id>/specification/change", methods=["GET", "POST"])
@login_required
def change_specification(procurement_id: int):
    procurement = _manage(procurement_id)
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
            return _back(procurement)
    latest, published = procurement.latest_version, procurement.published_version
    diff = specification.diff_versions(published, latest) if latest and published and latest is not published else None
    return render_template("tenders/spec_change.html", form=form, diff=diff, **_context(procurement))


@bp.route("/tenders/<int:procurement_id>/criteria", methods=["GET", "POST"])
@login_required
def criteria(procurement_id: int):
    procurement = _manage(procurement_id)
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
        return render_template("tenders/criteria.html", form=form, **_context(procurement))
    if form.validate_on_submit():
        rows = [(entry.form.kind.data or "", entry.form.name.data or "", parse_int(entry.form.weight.data) or 0)
                for entry in form.criteria]
        done = attempt(form, procurements.set_criteria, procurement, current_user, rows,
                       score_max=parse_int(form.score_max.data) or 0, now=clock.utcnow())
        if done.ok:
            flash("Award criteria saved.", "success")
            return _back(procurement, "#criteria")
    return render_template("tenders/criteria.html", form=form, **_context(procurement))


@bp.route("/tenders/<int:procurement_id>/documents", methods=["GET", "POST"])
@login_required
def documents(procurement_id: int):
    procurement = _manage(procurement_id)
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
    return render_template("tenders/documents.html", form=form, **_context(procurement))


@bp.route("/tenders/<int:procurement_id>/documents/<int:document_id>")
def document(procurement_id: int, document_id: int):
    procurement = _procurement(procurement_id)
    found = db.get_or_404(ProcurementDocument, document_id)
    if found.procurement_id != procurement.id:
        abort(404)
    return storage.download(found.file, filename=found.filename, mimetype="application/octet-stream")


def _download(data: bytes, filename: str) -> Response:
    """Always a download, never rendered in the browser: uploaded files are not trusted."""
    return send_file(BytesIO(data), mimetype="application/octet-stream", as_attachment=True, download_name=filename)


# ---------------------------------------------------------------- stages (commissioners)


def _meeting_form(procurement: Procurement, formdata: Any = None) -> MeetingEventForm:
    form = MeetingEventForm(formdata=formdata)
    form.meeting.choices = [("", "Choose a meeting")] + [
        (str(m.id), f"{m.title}: {uk_when(m.starts_at)} ({m.mode_label})")
        for m in queries.addable_meetings(procurement, clock.utcnow())]
    return form


def _engagement_page(procurement: Procurement, form: EngagementForm, event_form: EventForm,
                     meeting_form: MeetingEventForm, status: int = 200) -> Any:
    return render_template("tenders/engagement.html", form=form, event_form=event_form, meeting_form=meeting_form,
                           **_context(procurement)), status


@bp.route("/tenders/<int:procurement_id>/engagement", methods=["GET", "POST"])
@login_required
def engagement(procurement_id: int):
    procurement = _manage(procurement_id)
    form, event_form = EngagementForm(), EventForm(formdata=None)
    if form.validate_on_submit() and not changing():
        if not confirmed():
            checked = attempt(form, procurements.check_engagement_notice, procurement, closes_on=form.closes_on.data,
                              now=clock.utcnow())
            if checked.ok:
                return checks.engagement_notice(procurement, form, _context(procurement))
            return _engagement_page(procurement, form, event_form, _meeting_form(procurement), 400)
        done = attempt(form, procurements.publish_engagement_notice, procurement, current_user,
                       closes_on=form.closes_on.data, now=clock.utcnow())
        if done.ok:
            flash("The preliminary market engagement notice is published.", "success")
            return _back(procurement)
    return _engagement_page(procurement, form, event_form, _meeting_form(procurement))


@bp.route("/tenders/<int:procurement_id>/events", methods=["POST"])
@login_required
def add_event(procurement_id: int):
    procurement = _manage(procurement_id)
    event_form, form = EventForm(), EngagementForm(formdata=None)
    if event_form.validate_on_submit():
        try:
            call_service(procurements.add_engagement_event, procurement, current_user, title=event_form.title.data,
                         starts_at=combine(event_form.day.data, event_form.at.data), place=event_form.place.data,
                         now=clock.utcnow())
        except RuleViolation as exc:
            apply_violation(event_form, exc)
            if "starts_at" in exc.reasons:
                event_form.day.errors = [exc.reasons["starts_at"]]
        else:
            flash("Event added to the engagement notice.", "success")
            return redirect(url_for("tenders.engagement", procurement_id=procurement.id))
    return _engagement_page(procurement, form, event_form, _meeting_form(procurement), 400)


@bp.route("/tenders/<int:procurement_id>/events/meeting", methods=["POST"])
@login_required
def add_meeting_event(procurement_id: int):
    procurement = _manage(procurement_id)
    meeting_form = _meeting_form(procurement, request.form)
    if meeting_form.validate_on_submit():
        meeting = db.get_or_404(Meeting, int(meeting_form.meeting.data))
        done = attempt(meeting_form, links.add_meeting_event, procurement, current_user, meeting, now=clock.utcnow())
        if done.ok:
            flash(f"“{meeting.title}” is now an engagement event on the notice.", "success")
            return redirect(url_for("tenders.engagement", procurement_id=procurement.id))
    return _engagement_page(procurement, EngagementForm(formdata=None), EventForm(formdata=None), meeting_form, 400)


def _links_form(procurement: Procurement, formdata: Any = None) -> LinksForm:
    form = LinksForm(formdata=formdata)
    forums = queries.linkable_forums(procurement)
    if procurement.forum is not None and procurement.forum not in forums:
        forums.append(procurement.forum)  # keep showing the current link even if it is no longer offered
    form.forum.choices = [("", "No forum")] + [(str(f.id), f.title) for f in forums]
    form.needs.choices = [(n.id, f"{n.title} ({n.forum.title})") for n in queries.linkable_needs(procurement)]
    if formdata is None:
        form.forum.data = str(procurement.forum_id or "")
        form.needs.data = [n.id for n in procurement.need_statements]
    return form


@bp.route("/tenders/<int:procurement_id>/links", methods=["GET", "POST"])
@login_required
def links_page(procurement_id: int):
    procurement = _manage(procurement_id)
    form = _links_form(procurement, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        forum = db.get_or_404(Forum, int(form.forum.data)) if form.forum.data else None
        needs = [db.get_or_404(NeedStatement, need_id) for need_id in (form.needs.data or [])]
        done = attempt(form, links.set_links, procurement, current_user, forum=forum, needs=needs, now=clock.utcnow())
        if done.ok:
            flash("The forum and need statements linked to this procurement are saved.", "success")
            return _back(procurement, "#links")
    return render_template("tenders/links.html", form=form, **_context(procurement)), 400 if form.errors else 200


@bp.route("/tenders/<int:procurement_id>/publish", methods=["GET", "POST"])
@login_required
def publish(procurement_id: int):
    procurement = _manage(procurement_id)
    form = PublishTenderForm()
    if form.validate_on_submit() and not changing():
        deadlines = {"clarification_deadline": combine(form.clarification_day.data, form.clarification_at.data),
                     "response_deadline": combine(form.response_day.data, form.response_at.data)}
        try:
            if not confirmed():
                procurements.check_tender_publication(procurement, current_user, **deadlines,
                                                      no_engagement_reason=form.no_engagement_reason.data,
                                                      now=clock.utcnow())
                return checks.tender_notice(procurement, form, _context(procurement), **deadlines)
            call_service(procurements.publish_tender, procurement, current_user, **deadlines,
                         no_engagement_reason=form.no_engagement_reason.data, now=clock.utcnow())
        except RuleViolation as exc:
            apply_violation(form, exc)
            for key, field in (("clarification_deadline", form.clarification_day),
                               ("response_deadline", form.response_day)):
                if key in exc.reasons:
                    field.errors = [exc.reasons[key]]
        else:
            flash("The tender notice is published. The specification is frozen.", "success")
            return _back(procurement)
    return render_template("tenders/publish.html", form=form,
                           problems=procurements.tender_problems(procurement, clock.utcnow()), **_context(procurement))


@bp.route("/tenders/<int:procurement_id>/close", methods=["GET", "POST"])
@login_required
def close(procurement_id: int):
    procurement = _manage(procurement_id)
    form = CloseForm()
    if form.validate_on_submit():
        done = attempt(form, procurements.close_procurement, procurement, current_user, outcome=form.outcome.data,
                       reason=form.reason.data, now=clock.utcnow())
        if done.ok:
            flash(f"The procurement is {procurement.stage}. The reason is published.", "success")
            return _back(procurement)
    return render_template("tenders/close.html", form=form, **_context(procurement))


# ---------------------------------------------------------------- clarifications


@bp.route("/tenders/<int:procurement_id>/clarifications", methods=["GET", "POST"])
@login_required
def clarifications_page(procurement_id: int):
    procurement = _procurement(procurement_id)
    flags = _flags(procurement)
    require(flags["ask"] or flags["manage"] or accounts_policy.is_provider(current_user), "clarification.view")
    form = QuestionForm()
    if form.validate_on_submit():
        require(flags["ask"], "clarification.ask")
        done = attempt(form, clarifications.ask_clarification, procurement, current_user,
                       question=form.question.data, now=clock.utcnow())
        if done.ok:
            clarification = done.value
            flash(f"Question sent. It will be answered to everyone; you appear as {clarification.pseudonym}.",
                  "success")
            return redirect(url_for("tenders.clarifications_page", procurement_id=procurement.id))
    if flags["manage"]:
        listed = queries.all_clarifications(procurement)
    elif accounts_policy.is_provider(current_user):
        listed = queries.own_clarifications(procurement, current_user.organisation_id)
    else:
        listed = []
    return render_template("tenders/clarifications.html", form=form, listed=listed,
                           cutoff=clarifications.answer_cutoff(procurement) if procurement.response_deadline else None,
                           **_context(procurement))


@bp.route("/tenders/<int:procurement_id>/clarifications/<int:clarification_id>/answer", methods=["GET", "POST"])
@login_required
def answer(procurement_id: int, clarification_id: int):
    procurement = _manage(procurement_id)
    clarification = db.get_or_404(Clarification, clarification_id)
    if clarification.procurement_id != procurement.id:
        abort(404)
    form = AnswerForm()
    if form.validate_on_submit():
        done = attempt(form, clarifications.answer_clarification, clarification, current_user,
                       answer_md=form.answer.data, now=clock.utcnow())
        if done.ok:
            result = done.value
            flash("Answer published to every participant and on the public page.", "success")
            if result.warning:
                flash(result.warning, "info")
            return redirect(url_for("tenders.clarifications_page", procurement_id=procurement.id))
    return render_template("tenders/answer.html", form=form, clarification=clarification,
                           late=clock.utcnow() > clarifications.answer_cutoff(procurement), **_context(procurement))


# ---------------------------------------------------------------- sealed responses (providers)


@bp.route("/tenders/<int:procurement_id>/respond", methods=["GET", "POST"])
@login_required
def respond(procurement_id: int):
    procurement = _procurement(procurement_id)
    require(accounts_policy.is_provider(current_user), "response.submit")
    outcomes = procurement.published_version.outcomes if procurement.published_version else []
    if request.method == "POST" and "save_draft" in request.form:
        return keeping.save_response_draft(procurement, outcomes)
    draft = drafts.draft_for(procurement, current_user.organisation_id) if procurement.stage == "tender" else None
    form = ResponseForm(data={"method_statement": draft.method_statement, "price": draft.price} if draft else None)
    commitments = {o.id: (request.form.get(f"commitment-{o.id}") or "") if request.method == "POST"
                   else (draft.commitments.get(o.id, "") if draft else "") for o in outcomes}
    answers = {c.id: (request.form.get(f"answer-{c.id}") or "") if request.method == "POST"
               else (draft.criterion_answers.get(c.id, "") if draft else "") for c in procurement.criteria}
    if form.validate_on_submit():
        files = [f for f in (form.documents.data or []) if f and f.filename]
        if len(files) > MAX_DOCUMENTS:
            form.documents.errors = [f"Attach at most {MAX_DOCUMENTS} documents"]
        else:
            documents = [Document(f.filename[:200], f.mimetype or "application/octet-stream", f.read()) for f in files]
            done = attempt(form, responses.submit_response, procurement, current_user,
                           method_statement=form.method_statement.data, commitments=commitments,
                           criterion_answers=answers, price_pence=parse_pounds(form.price.data), documents=documents,
                           now=clock.utcnow())
            if done.ok:
                receipt = done.value
                flash("Your response is sealed. Keep this receipt.", "success")
                return redirect(url_for("tenders.receipt", procurement_id=procurement.id,
                                        response_id=receipt.response_id))
    return render_template(
        "tenders/respond.html",
        form=form,
        outcomes=outcomes,
        commitments=commitments,
        answers=answers,
        current=responses.current_response(procurement, current_user.organisation_id),
        draft=draft,
        **_context(procurement),
    )


@bp.route("/tenders/<int:procurement_id>/respond/withdraw", methods=["POST"])
@login_required
def withdraw(procurement_id: int):
    procurement = _procurement(procurement_id)
    require(accounts_policy.is_provider(current_user), "response.withdraw")
    form = ConfirmForm(prefix="withdraw")
    current = responses.current_response(procurement, current_user.organisation_id)
    if form.validate_on_submit() and current is not None:
        done = attempt(None, responses.withdraw_response, current, current_user, now=clock.utcnow())
        if done.ok:
            flash("Your response is withdrawn. You can submit a new one until the deadline.", "success")
    elif current is None:
        flash("You have no current response to withdraw.", "error")
    return _back(procurement)


@bp.route("/tenders/<int:procurement_id>/respond/reconfirm", methods=["POST"])
@login_required
def reconfirm(procurement_id: int):
    procurement = _procurement(procurement_id)
    require(accounts_policy.is_provider(current_user), "response.reconfirm")
    form = ConfirmForm(prefix="reconfirm")
    current = responses.current_response(procurement, current_user.organisation_id)
    if form.validate_on_submit() and current is not None:
        done = attempt(None, responses.reconfirm_response, current, current_user, now=clock.utcnow())
        if done.ok:
            flash("Your response is re-confirmed against the changed specification.", "success")
    elif current is None:
        flash("You have no current response to re-confirm.", "error")
    return _back(procurement)


@bp.route("/tenders/<int:procurement_id>/responses/<int:response_id>/receipt")
@login_required
def receipt(procurement_id: int, response_id: int):
    procurement, found = own_receipt(procurement_id, response_id)
    return render_template("tenders/receipt.html", receipt=found, **_context(procurement))


def own_receipt(procurement_id: int, response_id: int) -> tuple[Procurement, responses.Receipt]:
    """The receipt a URL names, for its own organisation only (anyone else's attempt is audited)."""
    _may_record_refusal()
    procurement = _procurement(procurement_id)
    response = _addressed_response(procurement, response_id, "response.receipt")
    return procurement, call_service(responses.receipt_for, response, current_user)


# ---------------------------------------------------------------- opening and reading


def _addressed_response(procurement: Procurement, response_id: int, attempted: str) -> TenderResponse:
    """The response a URL names; before the opening, the same refusal whether or not it exists."""
    found = call_service(responses.find_response, procurement, response_id, current_user, attempted)
    if found is None:
        abort(404)
    return found


def _unreadable(procurement: Procurement, error: responses.UnreadableResponse):
    """A response the sealing key in use cannot decrypt: say so plainly (409), never a 500."""
    return render_template("tenders/unreadable.html", message=str(error), **_context(procurement)), 409


@bp.route("/tenders/<int:procurement_id>/open", methods=["GET", "POST"])
@login_required
def open_responses(procurement_id: int):
    procurement = _manage(procurement_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        done = attempt(form, responses.open_box, procurement, current_user, now=clock.utcnow())
        if done.ok:
            if procurement.is_opened:
                flash("The responses are open. Evaluation has started.", "success")
                return redirect(url_for("tenders.responses_list", procurement_id=procurement.id))
            flash("Your request to open is recorded. A different commissioner must now confirm.", "success")
            return _back(procurement)
    return render_template("tenders/open.html", form=form, **_context(procurement))


@bp.route("/tenders/<int:procurement_id>/responses")
@login_required
def responses_list(procurement_id: int):
    procurement = _procurement(procurement_id)
    require(policy.can_read_responses(current_user, procurement, clock.utcnow()), "response.list")
    return render_template("tenders/responses.html", listed=responses.responses_for(procurement),
                           **_context(procurement))


@bp.route("/tenders/<int:procurement_id>/responses/<int:response_id>")
@login_required
def read(procurement_id: int, response_id: int):
    _may_record_refusal()
    procurement = _procurement(procurement_id)
    response = _addressed_response(procurement, response_id, "response.read")
    try:
        content = call_service(responses.read_response, response, current_user, now=clock.utcnow())
    except responses.UnreadableResponse as exc:
        return _unreadable(procurement, exc)
    outcomes = {o.id: o for v in procurement.versions for o in v.outcomes}
    return render_template("tenders/read.html", response=response, content=content, outcomes=outcomes,
                           **_context(procurement))


@bp.route("/tenders/<int:procurement_id>/responses/<int:response_id>/documents/<int:index>")
@login_required
def response_document(procurement_id: int, response_id: int, index: int):
    _may_record_refusal()
    procurement = _procurement(procurement_id)
    response = _addressed_response(procurement, response_id, "response.read")
    try:
        found = call_service(responses.read_response_document, response, current_user, index, now=clock.utcnow())
    except RuleViolation:
        abort(404)
    except responses.UnreadableResponse as exc:
        return _unreadable(procurement, exc)
    return _download(found.data, found.filename)


# ---------------------------------------------------------------- evaluation and award


def _evaluators_choices(procurement: Procurement) -> list[tuple[str, str]]:
    assigned = {a.user_id for a in evaluation.assignments(procurement)}
    return [("", "Choose a commissioner")] + [
        (str(person.id), person.full_name) for person in procurement.owner.members
        if person.id not in assigned and policy.is_owner_commissioner(person, procurement)]


@bp.route("/tenders/<int:procurement_id>/evaluation")
@login_required
def evaluation_page(procurement_id: int):
    procurement = _procurement(procurement_id)
    require(policy.can_view_evaluation(current_user, procurement), "evaluation.view")
    form = EvaluatorForm()
    form.evaluator.choices = _evaluators_choices(procurement)
    mine = evaluation.assignment_for(procurement, current_user)
    return render_template("tenders/evaluation.html", form=form, mine=mine,
                           assignments=evaluation.assignments(procurement),
                           scores=evaluation.visible_scores(procurement, current_user),
                           ranking=evaluation.ranking(procurement),
                           quality=evaluation.quality_criteria(procurement),
                           all_submitted=evaluation.all_submitted(procurement),
                           price_formula=evaluation.PRICE_FORMULA, submit_form=ConfirmForm(prefix="submitscores"),
                           **_context(procurement))


@bp.route("/tenders/<int:procurement_id>/evaluators", methods=["POST"])
@login_required
def assign(procurement_id: int):
    procurement = _manage(procurement_id)
    form = EvaluatorForm()
    form.evaluator.choices = _evaluators_choices(procurement)
    if form.validate_on_submit():
        person = db.get_or_404(User, int(form.evaluator.data))
        done = attempt(form, evaluation.assign_evaluator, procurement, current_user, person,
                       is_moderator=form.is_moderator.data, now=clock.utcnow())
        if done.ok:
            flash(f"{person.full_name} is an evaluator.", "success")
            return redirect(url_for("tenders.evaluation_page", procurement_id=procurement.id))
    return render_template(
        "tenders/evaluation.html",
        form=form,
        mine=evaluation.assignment_for(procurement, current_user),
        assignments=evaluation.assignments(procurement),
        scores=evaluation.visible_scores(procurement, current_user),
        ranking=evaluation.ranking(procurement),
        quality=evaluation.quality_criteria(procurement),
        all_submitted=evaluation.all_submitted(procurement),
        price_formula=evaluation.PRICE_FORMULA,
        submit_form=ConfirmForm(prefix="submitscores"),
        **_context(procurement),
    ), 400


@bp.route("/tenders/<int:procurement_id>/evaluation/<int:response_id>/score", methods=["GET", "POST"])
@login_required
def score(procurement_id: int, response_id: int):
    _may_record_refusal()
    procurement = _manage(procurement_id)
    response = _addressed_response(procurement, response_id, "evaluation.score")
    require(evaluation.assignment_for(procurement, current_user) is not None, "evaluation.score")
    quality = evaluation.quality_criteria(procurement)
    existing = {s.criterion_id: (s.score, s.rationale) for s in evaluation.visible_scores(procurement, current_user)
                if s.response_id == response.id and s.evaluator_id == current_user.id}
    form = score_sheet_form(quality, procurement.score_max, existing)
    if form.validate_on_submit():
        sheet = {c.id: (parse_int(form[f"score-{c.id}"].data), form[f"rationale-{c.id}"].data or "") for c in quality}
        done = attempt(form, evaluation.record_scores, procurement, current_user, response, sheet, now=clock.utcnow())
        if done.ok:
            flash("Your scores for this response are saved.", "success")
            return redirect(url_for("tenders.evaluation_page", procurement_id=procurement.id))
    try:
        content = call_service(responses.read_response, response, current_user, now=clock.utcnow())
    except responses.UnreadableResponse as exc:
        return _unreadable(procurement, exc)
    outcomes = {o.id: o for v in procurement.versions for o in v.outcomes}
    return render_template("tenders/score.html", form=form, response=response, content=content, outcomes=outcomes,
                           quality=quality, bands=scoring.bands(procurement.score_max), **_context(procurement))


@bp.route("/tenders/<int:procurement_id>/evaluation/submit", methods=["POST"])
@login_required
def submit_scores(procurement_id: int):
    procurement = _manage(procurement_id)
    form = ConfirmForm(prefix="submitscores")
    if form.validate_on_submit() and not changing():
        if not confirmed():
            return checks.scores(procurement, form, _context(procurement))
        done = attempt(None, evaluation.submit_scores, procurement, current_user, now=clock.utcnow())
        if done.ok:
            flash("Your scores are submitted. You can now see the other evaluators' scores.", "success")
    return redirect(url_for("tenders.evaluation_page", procurement_id=procurement.id))


@bp.route("/tenders/<int:procurement_id>/evaluation/<int:response_id>/consensus/<int:criterion_id>",
          methods=["GET", "POST"])
@login_required
def consensus(procurement_id: int, response_id: int, criterion_id: int):
    procurement = _manage(procurement_id)
    response = _addressed_response(procurement, response_id, "evaluation.moderate")
    criterion = db.get_or_404(AwardCriterion, criterion_id)
    if criterion.procurement_id != procurement.id:
        abort(404)
    form = ConsensusForm()
    if form.validate_on_submit():
        done = attempt(form, evaluation.record_consensus, procurement, current_user, response, criterion,
                       score=parse_int(form.score.data), rationale=form.rationale.data or "", now=clock.utcnow())
        if done.ok:
            flash("Consensus score recorded.", "success")
            return redirect(url_for("tenders.evaluation_page", procurement_id=procurement.id))
    scores = [s for s in evaluation.visible_scores(procurement, current_user)
              if s.response_id == response.id and s.criterion_id == criterion.id]
    return render_template("tenders/consensus.html", form=form, response=response, criterion=criterion,
                           scores=scores, **_context(procurement))


@bp.route("/tenders/<int:procurement_id>/award", methods=["GET", "POST"])
@login_required
def award(procurement_id: int):
    procurement = _manage(procurement_id)
    ranked = evaluation.ranking(procurement)
    form = AwardForm()
    form.response.choices = [(str(e.response.id), f"{e.response.provider.name}: {e.total} points (rank {e.rank})")
                             for e in ranked]
    if form.validate_on_submit() and not changing():
        chosen = next(e.response for e in ranked if str(e.response.id) == form.response.data)
        if not confirmed():
            return checks.award(
                procurement, form, _context(procurement), dict(form.response.choices)[form.response.data]
            )
        done = attempt(form, evaluation.decide_award, procurement, current_user, chosen,
                       reasons_md=form.reasons.data, standstill_applies=form.standstill.data,
                       now=clock.utcnow())
        if done.ok:
            decision = done.value
            flash("The contract award notice (UK6) is published." + (
                f" Standstill ends at the end of {decision.standstill_ends_on:%-d %B %Y}."
                if decision.standstill_ends_on else ""), "success")
            return _back(procurement, "#award")
    return render_template("tenders/award.html", form=form, ranking=ranked, **_context(procurement))


@bp.route("/tenders/<int:procurement_id>/assessment")
@login_required
def assessment(procurement_id: int):
    procurement = _procurement(procurement_id)
    summary = evaluation.assessment_summary(procurement, current_user)
    require(summary is not None and accounts_policy.is_provider(current_user), "assessment.view")
    return render_template("tenders/assessment.html", summary=summary,
                           rows=list(zip(summary.own.results, summary.winner.results)), **_context(procurement))


@bp.route("/tenders/<int:procurement_id>/contract", methods=["GET", "POST"])
@login_required
def contract(procurement_id: int):
    procurement = _manage(procurement_id)
    form = ContractForm()
    if form.validate_on_submit():
        done = attempt(form, evaluation.enter_contract, procurement, current_user, starts_on=form.starts_on.data,
                       now=clock.utcnow())
        if done.ok:
            flash("The contract record is created.", "success")
            return _back(procurement, "#contract")
    return render_template("tenders/contract.html", form=form, award=evaluation.award_for(procurement),
                           **_context(procurement))


# ---------------------------------------------------------------- CLI


@bp.cli.command("enter-due-contracts")
def enter_due_contracts() -> None:
    """Create the contract record for every procurement whose standstill has ended (the worker does it daily)."""
    from tenders.jobs import enter_due_contracts as enter

    entered = enter()
    click.echo(f"{entered} contract record(s) created.")


# Routes for co-design, the parity ledger, conflicts and spin-offs are on the same blueprint.
from tenders import worklist as _worklist  # noqa: E402,F401  (the tenders' items for "My work")
from tenders.publish_links import with_fixes  # noqa: E402
from tenders.views import (  # noqa: E402,F401
    checks,
    codesign,
    conflicts,
    keeping,
    ledger,
    notices,
    regime,
    spinoffs,
    wales,
)

bp.add_app_template_filter(with_fixes, "publish_fixes")  # every "before publishing" item links to its fix
