"""The auditor's pages: the trail, one event, verification, redaction and exports.

Also the two public resources that make checkpoints useful to outsiders: the
list of signed checkpoints and the key that signed them.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from flask import (Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request,
                   stream_with_context, url_for)
from flask_login import current_user, login_required

from audit import checkpoints, exports, policy, services
from audit.forms import RedactForm, TrailFilterForm, VerifyForm
from audit.models import AuditEvent
from core.errors import RuleViolation
from core.extensions import db
from core.forms import apply_violation
from core.guards import require
from core.transactions import call_service

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.route("/")
@login_required
def trail():
    require(policy.can_view_audit_trail(current_user), "audit.trail")
    form = TrailFilterForm(request.args)
    form.validate()
    action_prefix = (form.action.data or "").strip() or None
    actor_user_id = request.args.get("actor", type=int)
    page = services.events_page(request.args.get("page", 1, type=int), 50,
                                action_prefix=action_prefix, actor_user_id=actor_user_id)
    export_args = {name: value for name, value in (("action", action_prefix), ("actor", actor_user_id)) if value}
    return render_template("audit/trail.html", page=page, form=form, total=services.event_count(),
                           export_args=export_args)


@bp.route("/events/<int:seq>", methods=["GET", "POST"])
@login_required
def event(seq: int):
    require(policy.can_view_audit_trail(current_user), "audit.event")
    item = db.get_or_404(AuditEvent, seq)
    form = RedactForm()
    can_redact = policy.can_redact_audit_payload(current_user) and not item.is_redacted
    if request.method == "POST":
        require(can_redact, "audit.redact")
        if form.validate_on_submit():
            try:
                call_service(services.redact_payload, item, form.reason.data, current_user)
            except RuleViolation as exc:
                apply_violation(form, exc)
            else:
                flash(f"The payload of event {seq} is redacted. The chain still verifies.", "success")
                return redirect(url_for("audit.event", seq=seq))
    payload = json.dumps(json.loads(item.payload), indent=2, ensure_ascii=False) if item.payload else None
    return render_template("audit/event.html", event=item, payload=payload, form=form, can_redact=can_redact)


RECENT_CHECKPOINTS = 10


@bp.route("/verify", methods=["GET", "POST"])
@login_required
def verify():
    require(policy.can_verify_chain(current_user), "audit.verify")
    form = VerifyForm()
    result = None
    latest, latest_check = checkpoints.check_latest_checkpoint()
    if form.validate_on_submit():
        result = services.verify_chain(batch_size=current_app.config["AUDIT_VERIFY_BATCH"])
        call_service(services.record_verification, result, current_user, latest_check)
    return render_template("audit/verify.html", form=form, result=result, total=services.event_count(),
                           latest=latest, latest_check=latest_check,
                           recent=checkpoints.recent_checkpoints(RECENT_CHECKPOINTS),
                           checkpoint_total=checkpoints.checkpoint_count())


# ---------------------------------------------------------------- exports


def _export(export_format: str, mimetype: str, chunks: Callable[[Iterable[list[Any]]], Iterator[str]]) -> Response:
    """Audit the export, then stream it batch by batch.

    The export event is committed before the first byte is sent, so a download
    that is cut short is still on the record. The read transaction the request
    opened is ended first (nothing is pending in a GET) so, on SQLite, the
    write begins with the write lock (core.database) rather than upgrading.
    """
    require(policy.can_view_audit_trail(current_user), "audit.export")
    form = TrailFilterForm(request.args)
    if not form.validate():
        abort(400)
    filters = {"action_prefix": (form.action.data or "").strip() or None,
               "actor_user_id": request.args.get("actor", type=int)}
    g.write_intent = True
    db.session.commit()
    event = call_service(services.record_export, current_user, export_format, **filters)
    g.write_intent = False
    up_to = event.seq
    batches = services.export_batches(up_to, **filters, batch_size=current_app.config["AUDIT_VERIFY_BATCH"],
                                      after_read=db.session.commit)
    response = Response(stream_with_context(chunks(batches)), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="audit-trail-to-{up_to}.{export_format}"'
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
