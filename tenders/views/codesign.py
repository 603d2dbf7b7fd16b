"""Co-design threads, proposals, specification sections and clause provenance (PA23 s.16(4)-(5): prior involvement).

Public:       /tenders/<id>/codesign, /codesign/<thread_id>, /codesign/proposals/<proposal_id>,
              /codesign/report.md, /specification/versions/<number>/provenance
Participants: /codesign/new, /codesign/<thread_id>/propose (providers and the owning commissioners, in engagement)
Owners:       /codesign/meeting-proposal, /codesign/mitigation, /codesign/report/attach, deciding on a proposal page
"""
from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from accounts.models import Organisation
from core import clock
from core.extensions import db
from core.forms import ConfirmForm, attempt
from core.guards import require
from core.timezones import uk_when
from tenders.forms.codesign import (
    DecisionForm,
    MeetingProposalForm,
    MessageForm,
    MitigationForm,
    ProposalForm,
    ThreadForm,
)
from tenders.models import EngagementEvent, Procurement, SpecVersion
from tenders.models.codesign import CodesignProposal, CodesignThread
from tenders.policy import codesign as codesign_policy
from tenders.services import codesign
from tenders.views.common import procurement_context, procurement_panel, visible_procurement


def _codesign_flags(procurement: Procurement) -> dict[str, Any]:
    user = current_user
    return {
        "contribute": codesign_policy.can_contribute(user, procurement),
        "may_contribute": codesign_policy.may_contribute(user, procurement),
        "decide": codesign_policy.can_decide(user, procurement),
        "meeting_proposal": codesign_policy.can_record_meeting_proposal(user, procurement),
        "mitigation": codesign_policy.can_write_mitigation(user, procurement),
        "attach": codesign_policy.can_attach_report(user, procurement),
        "manage": codesign_policy.may_decide(user, procurement),
        "closed": None if codesign_policy.is_open(procurement) else codesign.closed_message(procurement),
        "closed_after_tender": procurement.tender_published_at is not None,
    }


def _codesign_context(procurement: Procurement) -> dict[str, Any]:
    return {**procurement_context(procurement), "codesign_flags": _codesign_flags(procurement)}


@procurement_panel
def codesign_panel(procurement: Procurement) -> dict[str, Any]:
    """Threads, the prior-involvement list and the latest mitigation note on the procurement page."""
    return {
        "codesign_threads": codesign.threads_for(procurement),
        "codesign_involvement": codesign.prior_involvement(procurement),
        "codesign_note": codesign.latest_note(procurement),
        "codesign_provenance_version": codesign.report_version(procurement),
        "codesign_flags": _codesign_flags(procurement),
        "codesign_draft": _shared_draft(procurement),
    }


def _shared_draft(procurement: Procurement) -> SpecVersion | None:
    """The current draft, shown on the procurement page while co-design is shaping it (engagement); once the
    tender is out the published specification is shown instead."""
    latest = procurement.latest_version
    if (
        procurement.stage != "engagement"
        or latest is None
        or not codesign_policy.version_is_shared(procurement, latest)
    ):
        return None
    return latest


def _thread(procurement: Procurement, thread_id: int) -> CodesignThread:
    thread = db.get_or_404(CodesignThread, thread_id)
    if thread.procurement_id != procurement.id:
        abort(404)
    return thread


def _proposal(procurement: Procurement, proposal_id: int) -> CodesignProposal:
    proposal = db.get_or_404(CodesignProposal, proposal_id)
    if proposal.procurement_id != procurement.id:
        abort(404)
    return proposal


def _decision_form(proposal: CodesignProposal, *, bound: bool = True) -> DecisionForm:
    """Prefixed by proposal, so several decision forms on one page keep distinct field ids."""
    prefix = f"decision-{proposal.id}"
    return DecisionForm(prefix=prefix) if bound else DecisionForm(formdata=None, prefix=prefix)


def _decision_forms(procurement: Procurement, proposals: list[CodesignProposal]) -> dict[int, DecisionForm]:
    if not codesign_policy.can_decide(current_user, procurement):
        return {}
    return {p.id: _decision_form(p, bound=False) for p in proposals if not p.is_decided}


# ---------------------------------------------------------------- reading (public)


def codesign_threads(procurement_id: int):
    procurement = visible_procurement(procurement_id)
    meeting = [codesign.view_proposal(p) for p in codesign.meeting_proposals(procurement)]
    return render_template("tenders/codesign/threads.html", threads=codesign.threads_for(procurement),
                           meeting_views=meeting, involvement=codesign.prior_involvement(procurement),
                           notes=codesign.mitigation_notes(procurement), note_providers=codesign.note_providers,
                           decision_forms=_decision_forms(procurement, [v.proposal for v in meeting]),
                           problems=codesign.publish_problems(procurement, clock.utcnow())
                           if codesign_policy.may_decide(current_user, procurement) else {},
                           report=codesign.engagement_report(procurement),
                           provenance_version=codesign.report_version(procurement),
                           attached=codesign.attached_report(procurement),
                           attach_form=ConfirmForm(formdata=None), **_codesign_context(procurement))


def _thread_page(procurement: Procurement, thread: CodesignThread, form: MessageForm) -> str:
    views = [codesign.view_proposal(p) for p in thread.proposals]
    return render_template("tenders/codesign/thread.html", thread=thread, form=form, proposal_views=views,
                           decision_forms=_decision_forms(procurement, thread.proposals),
                           **_codesign_context(procurement))


def codesign_thread(procurement_id: int, thread_id: int):
    procurement = visible_procurement(procurement_id)
    thread = _thread(procurement, thread_id)
    form = MessageForm()
    if request.method == "POST":
        require(codesign_policy.may_contribute(current_user, procurement), "codesign.post")
        if form.validate_on_submit():
            done = attempt(form, codesign.post_message, thread, current_user, body_md=form.message.data,
                           now=clock.utcnow(), confirmed_no_child_data=bool(form.confirm_no_child_data.data))
            if done.ok:
                flash("Message posted. Everyone can read it.", "success")
                return redirect(url_for("tenders.codesign_thread", procurement_id=procurement.id,
                                        thread_id=thread.id) + "#messages")
    return _thread_page(procurement, thread, form)


def codesign_proposal(procurement_id: int, proposal_id: int):
    procurement = visible_procurement(procurement_id)
    proposal = _proposal(procurement, proposal_id)
    form = _decision_form(proposal)
    if request.method == "POST":
        require(codesign_policy.may_decide(current_user, procurement), "codesign.decide")
        if form.validate_on_submit():
            done = attempt(form, codesign.decide_proposal, proposal, current_user, decision=form.decision.data,
                           reason_md=form.reason.data, adapted_text=form.adapted_text.data or "",
                           now=clock.utcnow())
            if done.ok:
                flash(f"{proposal.label}: {proposal.decision}. The reason is published"
                      + (f" and specification version {proposal.result_version.number} was saved."
                         if proposal.result_version else "."), "success")
                return redirect(url_for("tenders.codesign_proposal", procurement_id=procurement.id,
                                        proposal_id=proposal.id))
    show_form = codesign_policy.can_decide(current_user, procurement) and not proposal.is_decided
    # The layout shows an error summary for `form`, so it is passed only when the page shows it.
    shown = {"form": form} if show_form or form.errors else {}
    return render_template("tenders/codesign/proposal.html", view=codesign.view_proposal(proposal), **shown,
                           **_codesign_context(procurement))


def codesign_provenance(procurement_id: int, number: int):
    procurement = visible_procurement(procurement_id)
    version = db.session.scalar(select(SpecVersion).where(SpecVersion.procurement_id == procurement.id,
                                                          SpecVersion.number == number))
    if version is None or not codesign_policy.can_view_provenance(current_user, procurement, version):
        abort(404)
    rows = [(row, codesign.provenance_text(row)) for row in codesign.provenance_for(version)]
    return render_template("tenders/codesign/provenance.html", version=version, rows=rows,
                           **_codesign_context(procurement))


def codesign_report(procurement_id: int):
    procurement = visible_procurement(procurement_id)
    report = codesign.engagement_report(procurement)
    return Response(report.data, mimetype="text/markdown",
                    headers={"Content-Disposition": f'attachment; filename="{report.filename}"'})


# ---------------------------------------------------------------- taking part


@login_required
def codesign_new_thread(procurement_id: int):
    procurement = visible_procurement(procurement_id)
    require(codesign_policy.may_contribute(current_user, procurement), "codesign.open_thread")
    form = ThreadForm()
    if form.validate_on_submit():
        done = attempt(form, codesign.open_thread, procurement, current_user, title=form.title.data,
                       message_md=form.message.data, now=clock.utcnow(),
                       confirmed_no_child_data=bool(form.confirm_no_child_data.data))
        if done.ok:
            thread = done.value
            flash("Thread opened. Everyone can read it.", "success")
            return redirect(url_for("tenders.codesign_thread", procurement_id=procurement.id, thread_id=thread.id))
    return render_template("tenders/codesign/new_thread.html", form=form, **_codesign_context(procurement))


def _section_choices(procurement: Procurement) -> list[tuple[str, str]]:
    return codesign.section_choices(procurement.latest_version)


@login_required
def codesign_new_proposal(procurement_id: int, thread_id: int):
    procurement = visible_procurement(procurement_id)
    thread = _thread(procurement, thread_id)
    require(codesign_policy.may_contribute(current_user, procurement), "codesign.propose")
    form = ProposalForm()
    form.section.choices = _section_choices(procurement)
    if request.method == "GET" and request.args.get("section") in dict(form.section.choices):
        form.section.data = request.args["section"]
        section = codesign.sections_of(procurement.latest_version).get(form.section.data)
        form.text.data = section.text if section is not None else ""
    if form.validate_on_submit():
        done = attempt(form, codesign.propose_change, thread, current_user, section_key=form.section.data,
                       new_heading=form.new_heading.data or "", text=form.text.data,
                       rationale_md=form.rationale.data, now=clock.utcnow(),
                       confirmed_no_child_data=bool(form.confirm_no_child_data.data))
        if done.ok:
            proposal = done.value
            flash(f"{proposal.label} made. Everyone can read it; the commissioners will decide with a reason.",
                  "success")
            return redirect(url_for("tenders.codesign_thread", procurement_id=procurement.id, thread_id=thread.id)
                            + f"#proposal-{proposal.id}")
    return render_template("tenders/codesign/new_proposal.html", form=form, thread=thread,
                           sections=codesign.sections_of(procurement.latest_version),
                           **_codesign_context(procurement))


def _provider_choices() -> list[tuple[str, str]]:
    organisations = db.session.scalars(select(Organisation).where(Organisation.kind == "provider")
                                       .order_by(Organisation.name))
    return [("", "Choose a provider")] + [(str(o.id), o.name) for o in organisations]


def _chosen(model: type, value: str | None) -> Any:
    return db.session.get(model, int(value)) if value and value.isdigit() else None


@login_required
def codesign_meeting_proposal(procurement_id: int):
    procurement = visible_procurement(procurement_id)
    require(codesign_policy.may_decide(current_user, procurement), "codesign.record_meeting_proposal")
    form = MeetingProposalForm()
    form.section.choices = _section_choices(procurement)
    events = codesign.meeting_events(procurement)
    form.event.choices = [("", "Choose a meeting")] + [
        (str(e.id), f"{e.title}: {uk_when(e.when)}") for e in events]
    form.organisation.choices = _provider_choices()
    if form.validate_on_submit():
        done = attempt(form, codesign.record_meeting_proposal, procurement, current_user,
                       event=_chosen(EngagementEvent, form.event.data),
                       organisation=_chosen(Organisation, form.organisation.data),
                       section_key=form.section.data, new_heading=form.new_heading.data or "",
                       text=form.text.data, rationale_md=form.rationale.data, now=clock.utcnow(),
                       confirmed_no_child_data=bool(form.confirm_no_child_data.data))
        if done.ok:
            proposal = done.value
            flash(f"{proposal.label} recorded, credited to {proposal.organisation.name}.", "success")
            return redirect(url_for("tenders.codesign_proposal", procurement_id=procurement.id,
                                    proposal_id=proposal.id))
    return render_template("tenders/codesign/meeting_proposal.html", form=form, events=events,
                           **_codesign_context(procurement))


@login_required
def codesign_mitigation(procurement_id: int):
    procurement = visible_procurement(procurement_id)
    require(codesign_policy.may_write_mitigation(current_user, procurement), "codesign.mitigation_note")
    form = MitigationForm()
    if form.validate_on_submit():
        done = attempt(form, codesign.record_mitigation_note, procurement, current_user,
                       shared_md=form.shared.data, time_limit_md=form.time_limit.data, now=clock.utcnow())
        if done.ok:
            note = done.value
            flash(f"Mitigation note {note.number} recorded and published.", "success")
            return redirect(url_for("tenders.codesign_threads", procurement_id=procurement.id) + "#mitigation")
    return render_template("tenders/codesign/mitigation.html", form=form,
                           involvement=codesign.prior_involvement(procurement),
                           notes=codesign.mitigation_notes(procurement), **_codesign_context(procurement))


@login_required
def codesign_attach_report(procurement_id: int):
    procurement = visible_procurement(procurement_id)
    require(codesign_policy.may_decide(current_user, procurement), "codesign.attach_report")
    back = url_for("tenders.codesign_threads", procurement_id=procurement.id) + "#report"
    if not ConfirmForm().validate_on_submit():
        flash("The form expired: try again.", "error")
        return redirect(back)
    done = attempt(None, codesign.attach_report, procurement, current_user, now=clock.utcnow())
    if done.ok:
        document = done.value
        flash(f"“{document.title}” added to the tender documents (SHA-256 {document.sha256[:12]}…).", "success")
    return redirect(back)
