"""The auditor's registers (filterable, exportable views of the trail) and the attention dashboard.

Routes on the audit blueprint; who may see them is the trail's own rule
(oversight.policy.can_view_audit_trail: auditors and admins).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from flask import Response, abort, current_app, g, render_template, request, stream_with_context
from flask_login import current_user, login_required
from sqlalchemy import select

from accounts.models import Organisation
from core import clock
from core.extensions import db
from core.guards import require
from core.request_args import page_number
from core.transactions import call_service
from oversight import attention as attention_items
from oversight import policy, registers
from oversight.forms import RegisterFilterForm
from oversight.views import bp
from trail.actions import describe

PER_PAGE = 50


def _register_or_404(slug: str) -> registers.Register:
    register = registers.get(slug)
    if register is None:
        abort(404)
    return register


def _filters(register: registers.Register) -> tuple[RegisterFilterForm, registers.RegisterFilters | None]:
    """The form with its choices, and the filters it asks for (None when it does not validate)."""
    form = RegisterFilterForm(request.args)
    form.organisation.choices = [("", "Any organisation")] + [
        (str(org_id), name) for org_id, name in db.session.execute(
            select(Organisation.id, Organisation.name).order_by(Organisation.name))]
    form.action.choices = [("", "Any action in this register")] + [(a, describe(a)) for a in register.actions]
    if not form.validate():
        return form, None
    found = getattr(form.procurement, "found", None)
    return form, registers.RegisterFilters(
        procurement_id=found.id if found else None,
        organisation_id=int(form.organisation.data) if form.organisation.data else None,
        action=form.action.data or None,
        occurred_from=getattr(form.date_from, "parsed", None), occurred_to=getattr(form.date_to, "parsed", None))


@bp.route("/registers")
@login_required
def registers_index():
    require(policy.can_view_audit_trail(current_user), "audit.registers")
    return render_template("audit/registers.html", registers=registers.REGISTERS, counts=registers.counts())


@bp.route("/registers/<register>")
@login_required
def register_page(register: str):
    """One register, newest first. Invalid filters are shown as errors over the whole register, never a 500
    and never an empty page that could be mistaken for an empty register."""
    require(policy.can_view_audit_trail(current_user), "audit.register")
    chosen = _register_or_404(register)
    form, filters = _filters(chosen)
    applied = filters or registers.RegisterFilters()
    page = registers.page(chosen, applied, page_number(), PER_PAGE)
    rows = [(values, registers.labelled_fields(chosen, values)) for values in page.rows]
    return render_template("audit/register.html", register=chosen, form=form, page=page, rows=rows,
                           filtered=bool(applied.as_query()), export_args=applied.as_query(),
                           total=registers.count(chosen))


def _export(slug: str, export_format: str, mimetype: str,
            chunks: Callable[[registers.Register, Iterable[Sequence[Any]]], Iterator[str]]) -> Response:
    """Audit the export, then stream it batch by batch (as the trail's exports: oversight.views._stream_export).

    The export event is committed before the first byte, so a download cut
    short is still on the record; the rows are those up to that event, a
    fixed snapshot; each batch ends its read transaction, so a slow download
    never holds one open.
    """
    require(policy.can_view_audit_trail(current_user), "audit.export")
    register = _register_or_404(slug)
    _form, filters = _filters(register)
    if filters is None:
        abort(400)
    g.write_intent = True
    db.session.commit()
    event = call_service(registers.record_register_export, current_user, register, export_format, filters)
    g.write_intent = False
    batches = registers.export_batches(register, filters, event.seq,
                                       batch_size=current_app.config["AUDIT_VERIFY_BATCH"],
                                       after_read=db.session.commit)
    response = Response(stream_with_context(chunks(register, batches)), mimetype=mimetype)
    response.headers["Content-Disposition"] = \
        f'attachment; filename="register-{register.slug}-to-{event.seq}.{export_format}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Accel-Buffering"] = "no"
    return response


@bp.route("/registers/<register>.csv")
@login_required
def register_csv(register: str) -> Response:
    return _export(register, "csv", "text/csv", registers.csv_chunks)


@bp.route("/registers/<register>.json")
@login_required
def register_json(register: str) -> Response:
    return _export(register, "json", "application/json", registers.json_chunks)


@bp.route("/attention")
@login_required
def attention():
    """What needs attention now, from the procurements' own state (oversight.attention)."""
    require(policy.can_view_audit_trail(current_user), "audit.attention")
    now = clock.utcnow()
    found = attention_items.attention(now)
    return render_template("audit/attention.html", kinds=attention_items.KINDS, found=found, now=now,
                           total=sum(len(items) for items in found.values()))
