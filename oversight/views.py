"""The auditor's pages: the trail, one event, verification, redaction, exports and procurement records.

Also the public resources that make checkpoints useful to outsiders: the
list of signed checkpoints, the key that signed them, and the Atom feed of
the public trail that announces each checkpoint as it is signed.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

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
    stream_with_context,
    url_for,
)
from flask_login import current_user, login_required

from core.clock import utcnow
from core.errors import RuleViolation
from core.extensions import db
from core.forms import apply_violation, attempt
from core.guards import require
from core.request_args import page_number
from core.text import xml_safe
from core.transactions import call_service
from oversight import exports, feeds, policy, records, subscriptions
from oversight.forms import CheckpointEmailsForm, RecordFilterForm, RedactForm, TrailFilterForm, VerifyForm
from tenders.models import Procurement
from trail import actions as trail_actions
from trail import checkpoints, events, jobs, verification
from trail import queries as trail_queries
from trail.actions import describe
from trail.models import AuditEvent

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.route("/")
@login_required
def trail():
    require(policy.can_view_audit_trail(current_user), "audit.trail")
    form = _trail_form()
    filters = _trail_filters(form) if form.validate() else {}
    page = trail_queries.events_page(page_number(), 50, **filters)
    shared = {name: request.args[name] for name in TRAIL_FILTER_ARGS if request.args.get(name) and filters}
    return render_template("audit/trail.html", page=page, events=events.shown(page.items), form=form,
                           total=events.shown_event_count(),
                           export_args=shared, filtered=bool(filters))


TRAIL_FILTER_ARGS = ("actor", "organisation", "procurement", "action", "date_from", "date_to")


def _trail_form() -> TrailFilterForm:
    """The trail's filters, with people, organisations and actions listed from the trail itself."""
    form = TrailFilterForm(request.args)
    form.actor.choices = [("", "Anyone")] + [(str(i), label) for i, label in records.trail_people()]
    form.organisation.choices = [("", "Any organisation")] + [
        (str(i), name) for i, name in records.trail_organisations()]
    form.action.choices = action_choices(records.trail_actions())
    return form


DOMAIN_CHOICE = "domain:"


def action_choices(seen: Iterable[str]) -> list[tuple[str, str]]:
    """Every registered action by domain, each described in words, led by a choice of the whole domain; then any
    action the trail holds that is no longer registered (an older event's), by its code."""
    choices = [("", "Any action")]
    for domain, actions in trail_actions.by_domain():
        choices.append((f"{DOMAIN_CHOICE}{domain}", f"{domain}: every action"))
        choices += [(action.name, f"{domain}: {action.description}") for action in actions]
    registered = {value for value, _label in choices}
    choices += [(name, f"Other: {name}") for name in sorted(set(seen) - registered)]
    return choices


def _trail_filters(form: TrailFilterForm) -> dict[str, Any]:
    """filter_events' keywords from a valid trail form (an action is matched exactly: it comes from the list)."""
    found = getattr(form.procurement, "found", None)
    return {
        # A domain is every action registered under it; anything else is one action exactly.
        "actions": trail_actions.of_domain(form.action.data.removeprefix(DOMAIN_CHOICE))
        if form.action.data.startswith(DOMAIN_CHOICE) else None,
        "action": form.action.data if form.action.data and not form.action.data.startswith(DOMAIN_CHOICE) else None,
        "actor_user_id": int(form.actor.data) if form.actor.data else None,
        "actor_org_id": int(form.organisation.data) if form.organisation.data else None,
        "procurement_id": found.id if found is not None else None,
        "occurred_from": getattr(form.date_from, "parsed", None),
        "occurred_to": getattr(form.date_to, "parsed", None),
    }


@bp.route("/events/<int:seq>", methods=["GET", "POST"])
@login_required
def event(seq: int):
    require(policy.can_view_audit_trail(current_user), "audit.event")
    item = db.get_or_404(AuditEvent, seq)
    if events.is_withheld(item):
        # Only its number: who, when, which procurement and its hashes all wait for the opening.
        return render_template("audit/sealed_event.html", seq=seq)
    form = RedactForm()
    can_redact = policy.can_redact_audit_payload(current_user) and not item.is_redacted
    if request.method == "POST":
        require(can_redact, "audit.redact")
        if form.validate_on_submit():
            try:
                call_service(events.redact_payload, item, form.reason.data, current_user)
            except RuleViolation as exc:
                apply_violation(form, exc)
            else:
                flash(f"The payload of event {seq} is redacted. The chain still verifies.", "success")
                return redirect(url_for("audit.event", seq=seq))
    payload = json.dumps(json.loads(item.payload), indent=2, ensure_ascii=False) if item.payload else None
    return render_template("audit/event.html", event=events.ShownEvent(item), payload=payload, form=form,
                           can_redact=can_redact)


RECENT_CHECKPOINTS = 10
# How often the page updates its progress while a verification runs. The update is
# assets/js/audit-verify.mjs, served from /static/js (the CSP allows no inline script, and
# axe rightly fails a meta refresh); without JavaScript the page offers a "Check progress" link.
VERIFY_REFRESH_SECONDS = 2


@bp.route("/verify", methods=["GET", "POST"])
@login_required
def verify():
    """Start a verification, and follow the latest one to its report.

    A chain that fits in one batch verifies within the request and the report
    shows at once; a longer one runs in the background while the page shows
    its progress. Pressing the button while a verification runs joins that one.
    """
    require(policy.can_verify_chain(current_user), "audit.verify")
    form = VerifyForm()
    if form.validate_on_submit():
        run, started = call_service(verification.start_verification, current_user, now=utcnow())
        batch_size = current_app.config["AUDIT_VERIFY_BATCH"]
        if not started:
            flash(f"A verification started by {run.started_by_label} is already running: "
                  f"its progress is shown below.", "info")
            return redirect(url_for("audit.verify"), 303)
        if run.total > batch_size:
            # A worker walks it (trail.jobs) while this page follows the run's progress row.
            try:
                jobs.run_verification(run.id, batch_size)
            except Exception as exc:
                current_app.logger.warning("Job queue unreachable (%s): verifying within the request", exc)
                verification.run_verification(run.id, batch_size=batch_size)
            return redirect(url_for("audit.verify"), 303)
        verification.run_verification(run.id, batch_size=batch_size)
    latest, latest_check = checkpoints.check_latest_checkpoint()
    shown = verification.latest_verification()
    emails_form, subscribed = None, False
    if policy.can_receive_checkpoint_emails(current_user):
        subscribed = subscriptions.is_subscribed(current_user)
        # Never the posted data: this page also answers the verify form's POST.
        emails_form = CheckpointEmailsForm(formdata=None, subscribe="0" if subscribed else "1")
        if subscribed:
            emails_form.submit.label.text = "Stop emailing me checkpoints"
    stalled = shown is not None and verification.is_stale(shown, utcnow())
    return render_template("audit/verify.html", form=form, run=shown, stalled=stalled,
                           running=shown is not None and shown.is_running and not stalled,
                           refresh_seconds=VERIFY_REFRESH_SECONDS,
                           total=events.event_count(), latest=latest, latest_check=latest_check,
                           recent=checkpoints.recent_checkpoints(RECENT_CHECKPOINTS),
                           checkpoint_total=checkpoints.checkpoint_count(),
                           emails_form=emails_form, subscribed=subscribed)


@bp.route("/checkpoints/emails", methods=["POST"])
@login_required
def checkpoint_emails():
    """Turn the email of each new checkpoint on or off for the signed-in auditor."""
    require(policy.can_receive_checkpoint_emails(current_user), "audit.checkpoint_emails")
    form = CheckpointEmailsForm()
    if not form.validate_on_submit():
        flash("That request could not be read: use the button on this page.", "error")
    elif attempt(None, subscriptions.set_checkpoint_emails, current_user, form.subscribe.data == "1").ok:
        flash("Each new checkpoint will be emailed to you." if form.subscribe.data == "1"
              else "Checkpoints will no longer be emailed to you.", "success")
    return redirect(url_for("audit.verify", _anchor="checkpoint-emails"), 303)


# ---------------------------------------------------------------- exports


def _export(export_format: str, mimetype: str, chunks: Callable[[Iterable[Sequence[Any]]], Iterator[str]]) -> Response:
    """The whole trail, filtered like the trail page."""
    require(policy.can_view_audit_trail(current_user), "audit.export")
    form = _trail_form()
    if not form.validate():
        abort(400)
    return _stream_export(export_format, mimetype, chunks, _trail_filters(form), "audit-trail")


def _stream_export(export_format: str, mimetype: str, chunks: Callable[[Iterable[Sequence[Any]]], Iterator[str]],
                   filters: dict[str, Any], name: str, *, rows: dict[str, Any] | None = None) -> Response:
    """Audit the export, then stream it batch by batch.

    The export event is committed before the first byte is sent, so a download
    that is cut short is still on the record. The read transaction the request
    opened is ended first (nothing is pending in a GET) so, on SQLite, the
    write begins with the write lock (core.database) rather than upgrading.
    `filters` are trail_queries.filter_events' filters, used for the event and the
    rows alike, so the record of the export says exactly what was taken
    (`rows`, when given, are the filters for the rows: a procurement record's
    scope rather than its id alone).
    """
    g.write_intent = True
    db.session.commit()
    event = call_service(trail_queries.record_export, current_user, export_format, **filters)
    g.write_intent = False
    up_to = event.seq
    batches = trail_queries.export_batches(up_to, **(filters if rows is None else rows),
                                      batch_size=current_app.config["AUDIT_VERIFY_BATCH"],
                                      after_read=db.session.commit)
    response = Response(stream_with_context(chunks(batches)), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}-to-{up_to}.{export_format}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Accel-Buffering"] = "no"  # let a proxy pass each batch straight on
    return response


@bp.route("/export.csv")
@login_required
def export_csv() -> Response:
    return _export("csv", "text/csv", exports.csv_chunks)


@bp.route("/export.json")
@login_required
def export_json() -> Response:
    return _export("json", "application/json", exports.json_chunks)


# ---------------------------------------------------------------- the procurement record (PA 2023 s.98)

RECORD_INDEX_PER_PAGE = 50


@bp.route("/procurements")
@login_required
def procurements():
    require(policy.can_view_audit_trail(current_user), "audit.procurements")
    page, rows = records.procurement_index(page_number(), RECORD_INDEX_PER_PAGE)
    return render_template("audit/procurements.html", page=page, rows=rows)


def _record_filters(procurement_id: int) -> tuple[RecordFilterForm, records.RecordFilters | None]:
    """The filter form with its choices, and the filters it asks for (None when it does not validate)."""
    form = RecordFilterForm(request.args)
    form.action.choices = action_choices(())
    form.organisation.choices = [("", "Any organisation")] + [
        (str(org_id), name) for org_id, name in records.actor_organisations(procurement_id)]
    if not form.validate():
        return form, None
    return form, records.RecordFilters(
        actor_org_id=int(form.organisation.data) if form.organisation.data else None,
        action=form.action.data if form.action.data and not form.action.data.startswith(DOMAIN_CHOICE) else None,
        action_domain=form.action.data.removeprefix(DOMAIN_CHOICE) if form.action.data.startswith(DOMAIN_CHOICE)
        else None,
        occurred_from=getattr(form.date_from, "parsed", None), occurred_to=getattr(form.date_to, "parsed", None))


def _described(form: RecordFilterForm, filters: records.RecordFilters) -> list[tuple[str, str]]:
    """The filters in words, for the page and the exported file alike."""
    organisations = dict(form.organisation.choices)
    return [(label, value) for label, value in (
        ("organisation", organisations.get(str(filters.actor_org_id)) if filters.actor_org_id else None),
        ("action", describe(filters.action) if filters.action else None),
        ("actions", f"{filters.action_domain}: every action" if filters.action_domain else None),
        ("from", filters.occurred_from.isoformat() if filters.occurred_from else None),
        ("to", filters.occurred_to.isoformat() if filters.occurred_to else None)) if value]


@bp.route("/procurements/<int:procurement_id>")
@login_required
def procurement_record(procurement_id: int):
    """Every event of one procurement, oldest first: the record an auditor reads, filters and prints.

    Invalid filters are shown as errors and the whole record is listed, rather
    than an empty page that could be mistaken for an empty record.
    """
    require(policy.can_view_audit_trail(current_user), "audit.procurement_record")
    procurement = db.get_or_404(Procurement, procurement_id)
    form, filters = _record_filters(procurement.id)
    applied = filters or records.RecordFilters()
    described = _described(form, applied)
    return render_template("audit/procurement_record.html", procurement=procurement, form=form,
                           entries=records.record_entries(procurement.id, applied),
                           summary=records.record_summary(procurement.id), described=described,
                           filtered=bool(described), export_args=applied.as_query())


@bp.route("/procurements/<int:procurement_id>/record.csv")
@login_required
def procurement_record_csv(procurement_id: int) -> Response:
    """The filtered record as CSV, streamed, and itself recorded on the procurement's record."""
    require(policy.can_view_audit_trail(current_user), "audit.export")
    procurement = db.get_or_404(Procurement, procurement_id)
    _form, filters = _record_filters(procurement.id)
    if filters is None:
        abort(400)
    chosen = filters.as_export_filters()
    return _stream_export("csv", "text/csv", exports.csv_chunks, {"procurement_id": procurement.id, **chosen},
                          f"procurement-{procurement.reference}-record",
                          rows={"scope": records.record_scope(procurement), **chosen})


@bp.route("/procurements/<int:procurement_id>/record.html")
@login_required
def procurement_record_html(procurement_id: int) -> Response:
    """The filtered record as one self-contained HTML file: it opens anywhere, prints cleanly and saves as PDF.

    Like the CSV, the download is itself put on the procurement's record first, so the file names the event
    that recorded it and lists every entry up to it.
    """
    require(policy.can_view_audit_trail(current_user), "audit.export")
    procurement = db.get_or_404(Procurement, procurement_id)
    form, filters = _record_filters(procurement.id)
    if filters is None:
        abort(400)
    g.write_intent = True
    db.session.commit()
    event = call_service(trail_queries.record_export, current_user, "html", procurement_id=procurement.id,
                         **filters.as_export_filters())
    entries = [entry for entry in records.record_entries(procurement.id, filters) if entry.event.seq <= event.seq]
    described = _described(form, filters)
    body = render_template("audit/procurement_record_export.html", procurement=procurement, entries=entries,
                           summary=records.record_summary(procurement.id), described=described, export=event)
    response = Response(xml_safe(body), mimetype="text/html")
    response.headers["Content-Disposition"] = (f'attachment; filename="procurement-{procurement.reference}-record-'
                                               f'to-{event.seq}.html"')
    response.headers["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- public checkpoints


@bp.route("/checkpoints.json")
def checkpoints_json() -> Response:
    """Every signed checkpoint, oldest first: public, so anyone can keep a copy."""
    batches = checkpoints.checkpoint_batches(current_app.config["AUDIT_VERIFY_BATCH"])
    body = exports.json_array_chunks([checkpoints.published(row) for row in rows] for rows in batches)
    response = Response(stream_with_context(body), mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data: other sites' scripts may read it
    return response


@bp.route("/public-key.pem")
def public_key() -> Response:
    """The key that signed the latest checkpoint. Save it with the checkpoints.

    Served from the checkpoint record, not the key file, so web workers never
    need the private key. An outsider's trust rests on the copy they saved,
    and each checkpoint names its key, so a changed key is plain to see.
    """
    latest = checkpoints.latest_checkpoint()
    if latest is None:
        abort(404)
    pem = checkpoints.public_key_pem(checkpoints.public_key_from_b64(latest.public_key))
    response = Response(pem, mimetype="application/x-pem-file")
    response.headers["Content-Disposition"] = 'inline; filename="audit-public-key.pem"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/public-keys.pem")
def public_keys() -> Response:
    """Every key that has signed a checkpoint, oldest first: a rotated key's checkpoints verify with its own key."""
    keys = checkpoints.signing_keys_published()
    if not keys:
        abort(404)
    body = "".join(f"Key fingerprint (SHA-256): {fingerprint}, first signed the checkpoint at event {first}\n"
                   f"{checkpoints.public_key_pem(checkpoints.public_key_from_b64(key))}"
                   for key, fingerprint, first in keys)
    response = Response(body, mimetype="application/x-pem-file")
    response.headers["Content-Disposition"] = 'inline; filename="audit-public-keys.pem"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/checkpoints.atom")
def checkpoints_feed() -> Response:
    """The latest signed checkpoints as Atom: a feed reader subscribed to it keeps an outside copy of each."""
    response = Response(feeds.checkpoints_atom(), mimetype="application/atom+xml")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/feed.atom")
def public_feed() -> Response:
    """The public trail as Atom: public events and each signed checkpoint, so outsiders archive heads as they come."""
    return Response(feeds.public_trail_atom(), mimetype="application/atom+xml")
from oversight import worklist as _worklist  # noqa: E402,F401  (the auditor's items for "My work")
