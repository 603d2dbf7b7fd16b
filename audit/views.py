"""The auditor's pages: the trail, one event, verification and redaction."""
from __future__ import annotations

import json

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from audit import policy, services
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
    page = services.events_page(request.args.get("page", 1, type=int), 50,
                                action_prefix=(form.action.data or "").strip() or None,
                                actor_user_id=request.args.get("actor", type=int))
    return render_template("audit/trail.html", page=page, form=form, total=services.event_count())


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


@bp.route("/verify", methods=["GET", "POST"])
@login_required
def verify():
    require(policy.can_verify_chain(current_user), "audit.verify")
    form = VerifyForm()
    result = None
    if form.validate_on_submit():
        result = services.verify_chain()
        call_service(services.record_verification, result, current_user)
    return render_template("audit/verify.html", form=form, result=result, total=services.event_count())
