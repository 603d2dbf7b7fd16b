"""The auditor's registers in the JSON API (GET /api/v1/registers...), for an auditor's token only.

The same registers, filters and rows as the pages and exports
(oversight.registers); the rows come a page at a time, newest first, with the
API's signed cursor.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response
from werkzeug.exceptions import BadRequest, NotFound

from accounts.policy import is_auditor
from core.api import PAGE_PARAMS, ApiRoutes, json_response, paginate
from core.database import MAX_ID
from core.openapi import INTEGER, TEXT, URL, Param, nullable, operation, page_of, ref, schema
from core.urls import external_url
from oversight import registers
from trail.models import AuditEvent

# Added to the API blueprint by the app factory.
routes = ApiRoutes()

TAG = "Registers (auditors)"


schema("RegisterColumn", {"type": "object", "required": ["key", "label"],
                          "properties": {"key": TEXT, "label": TEXT}})
schema("Register", {
    "type": "object", "description": "A named view of the audit trail across every procurement.",
    "required": ["slug", "title", "purpose", "actions", "columns", "count", "api_url", "url"],
    "properties": {
        "slug": TEXT, "title": TEXT, "purpose": TEXT,
        "actions": {"type": "array", "items": TEXT, "description": "The audit actions the register holds."},
        "columns": {"type": "array", "items": ref("RegisterColumn"),
                    "description": "The payload fields each row carries besides the event's own."},
        "count": INTEGER, "api_url": URL, "url": URL},
})
schema("RegisterList", {"type": "object", "required": ["items"],
                        "properties": {"items": {"type": "array", "items": ref("Register")}}})
schema("RegisterRow", {
    "type": "object",
    "description": "One audit event as a register row: the event's columns, the register's payload fields "
                   "(see the register's `columns`; null when absent or redacted) and the event's hash.",
    "required": ["seq", "occurred_at", "action", "procurement_id", "actor_label", "audience", "summary", "hash",
                 "event_url"],
    "properties": {
        "seq": INTEGER, "occurred_at": {"type": "string", "description": "UTC, as hashed in the chain."},
        "action": TEXT, "procurement_id": nullable(INTEGER), "procurement_reference": nullable(TEXT),
        "actor_label": TEXT, "actor_role": nullable(TEXT), "actor_org_id": nullable(INTEGER),
        "actor_organisation": nullable(TEXT), "audience": TEXT, "subject_type": nullable(TEXT),
        "subject_id": nullable(TEXT), "summary": TEXT, "redacted_at": nullable(TEXT), "hash": TEXT,
        "event_url": URL},
})
schema("RegisterPage", page_of("RegisterRow", "A register's rows, newest first."))

FILTERS = (
    Param("procurement_id", "Only events of this procurement.", type="integer", minimum=1, maximum=MAX_ID),
    Param("organisation_id", "Only what this organisation's people did, and everything on the procurements it "
                             "owns.", type="integer", minimum=1, maximum=MAX_ID),
    Param("action", "Only this one of the register's actions.", max_length=80),
    Param("date_from", "Only events on or after this day (YYYY-MM-DD, UTC).", max_length=10),
    Param("date_to", "Only events on or before this day (YYYY-MM-DD, UTC).", max_length=10),
)


def _register(slug: str) -> registers.Register:
    register = registers.get(slug)
    if register is None:
        raise NotFound(f"There is no register {slug[:40]!r}: see /api/v1/registers.")
    return register


def _day(query: dict[str, Any], name: str) -> date | None:
    if query[name] is None:
        return None
    try:
        return date.fromisoformat(query[name])
    except ValueError:
        raise BadRequest(f"{name} must be a real date written as YYYY-MM-DD.") from None


def _filters(register: registers.Register, query: dict[str, Any]) -> registers.RegisterFilters:
    if query["action"] is not None and query["action"] not in register.actions:
        raise BadRequest(f"action must be one of: {', '.join(register.actions)}.")
    start, end = _day(query, "date_from"), _day(query, "date_to")
    if start and end and end < start:
        raise BadRequest("date_to must be the same as or after date_from.")
    return registers.RegisterFilters(procurement_id=query["procurement_id"], organisation_id=query["organisation_id"],
                                     action=query["action"], occurred_from=start, occurred_to=end)


@routes.get("/registers")
@operation(summary="The auditor's registers, with how many events each holds", response="RegisterList", tag=TAG,
           requires=is_auditor)
def registers_list(query: dict[str, Any]) -> Response:
    """Every register: what it is for, the audit actions it holds and the columns its rows carry."""
    counts = registers.counts()
    return json_response({"items": [{
        "slug": r.slug, "title": r.title, "purpose": r.purpose, "actions": list(r.actions),
        "columns": [{"key": f.key, "label": f.label} for f in r.fields], "count": counts[r.slug],
        "api_url": external_url("api.register_rows", register=r.slug),
        "url": external_url("audit.register_page", register=r.slug)} for r in registers.REGISTERS]})


@routes.get("/registers/<register>")
@operation(summary="One register's rows, newest first", response="RegisterPage", tag=TAG,
           params=FILTERS + PAGE_PARAMS, path_params={"register": "The register's slug (see /api/v1/registers)."},
           path_choices={"register": tuple(r.slug for r in registers.REGISTERS)},
           not_found=True, requires=is_auditor)
def register_rows(register: str, query: dict[str, Any]) -> Response:
    """Audit events of the register's actions, filtered by procurement, organisation, action and day; each row
    keeps the event's hash and a link to it."""
    chosen = _register(register)
    filters = _filters(chosen, query)
    events, next_url = paginate(registers.events_query(chosen, filters), AuditEvent.seq,
                                resource=f"register:{chosen.slug}", query_args=query)
    references, names = registers.lookups(events)
    items = []
    for event in events:
        row = registers.row_record(chosen, event, procurement_reference=references.get(event.procurement_id),
                                   actor_organisation=names.get(event.actor_org_id))
        row["event_url"] = external_url("audit.event", seq=event.seq)
        items.append(row)
    return json_response({"items": items, "next": next_url})
