"""The auditor's registers: named, documented views of the audit trail across every procurement.

A register is a set of audit actions and the payload fields worth a column.
Its rows are the trail's own events, read in place: nothing is copied into a
register table, so a register cannot drift from the chain, and every row
keeps its sequence number (a link to the event) and its hash. The same query
feeds the page, the CSV and JSON exports (streamed with keyset batches, so
memory stays flat however many events there are) and the JSON API.

REGISTERS is the one table of what each register holds: add a register or a
column there and the page, the exports, the API and its document follow.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, or_, select

from accounts.models import Organisation
from core.database import MAX_ID
from core.extensions import db
from core.text import csv_cell
from oversight.exports import json_array_chunks
from tenders.models import Procurement
from trail.chain import format_time
from trail.events import Actor, keyset_batches, record
from trail.models import AuditEvent
from trail.queries import filter_events


@dataclass(frozen=True)
class Field:
    """One register column taken from the event's payload: `path` walks into the JSON."""

    key: str
    label: str
    path: tuple[str, ...]


@dataclass(frozen=True)
class Register:
    slug: str
    title: str
    purpose: str
    actions: tuple[str, ...]
    fields: tuple[Field, ...]


def _f(key: str, label: str, *path: str) -> Field:
    return Field(key, label, path or (key,))


REGISTERS: tuple[Register, ...] = (
    Register(
        "contacts",
        "Bilateral contacts and their disclosures",
        "Every private contact between a commissioner and one provider while the commissioning organisation has "
        "a procurement in engagement or tender, whether or not a procurement was picked, and how it was resolved: "
        "disclosed to every participant (with the summary and what was redacted), marked not material (with the "
        "reason), or, for a contact naming no procurement, marked not about any live procurement (with the "
        "reason and the procurements live at the time). PA23 s.16(3), PCR reg 41(2)(a).",
        (
            "ledger.contact_opened",
            "ledger.conversation_tagged",
            "ledger.contact_disclosed",
            "ledger.contact_not_material",
            "ledger.contact_not_about_live_procurement",
        ),
        (
            _f("provider", "Provider"),
            _f("provider_org_id", "Provider organisation id"),
            _f("commissioner_org_id", "Commissioning organisation id (contact naming no procurement)"),
            _f("conversation_id", "Conversation"),
            _f("contact_id", "Contact (when a tag opened one)"),
            _f("automatic", "Tagged automatically (a message names the procurement)"),
            _f("contact_opened_at", "Contact opened", "opened_at"),
            _f("disclosure_summary", "Disclosed summary", "summary"),
            _f("disclosed_to", "Disclosed to (contact naming no procurement)"),
            _f("redactions", "Redactions"),
            _f("not_material_reason", "Reason (not material, or not about any live procurement)", "reason"),
            _f("live_procurements", "Live procurements at the time"),
            _f("message_ids", "Messages"),
        ),
    ),
    Register(
        "prior-involvement",
        "Prior involvement and mitigation notes",
        "Who contributed to co-designing each specification (threads, messages, proposals and their decisions) "
        "and the mitigation notes that say what was shared with everyone and why the time limit is adequate. "
        "PA23 s.16(4)-(5), PCR reg 41.",
        (
            "codesign.thread_opened",
            "codesign.message_posted",
            "codesign.proposal_made",
            "codesign.meeting_proposal_recorded",
            "codesign.proposal_decided",
            "codesign.mitigation_note_recorded",
        ),
        (
            _f("organisation", "Contributing organisation"),
            _f("thread_id", "Thread"),
            _f("thread_title", "Thread title", "title"),
            _f("message", "Message"),
            _f("section", "Section"),
            _f("proposed_text", "Proposed text", "text"),
            _f("rationale", "Rationale"),
            _f("decision", "Decision"),
            _f("decision_reason", "Reason for the decision", "reason"),
            _f("adapted_text", "Adapted text"),
            _f("spec_version", "Specification version", "version"),
            _f("note_number", "Mitigation note", "number"),
            _f("shared", "What was shared"),
            _f("time_limit", "Why the time limit is adequate"),
            _f("providers", "Providers involved"),
        ),
    ),
    Register(
        "conflicts",
        "Conflict declarations and assessments",
        "Every declaration of interest (at each stage, by everyone who acted) and every version of the conflicts "
        "assessment with the mitigation of each interest. PA23 ss.81-83.",
        ("conflicts.declared", "conflicts.assessed"),
        (
            _f("stage", "Stage"),
            _f("has_interest", "Interest declared"),
            _f("description", "Interest"),
            _f("roles", "Roles"),
            _f("assessment_version", "Assessment version", "version"),
            _f("none_identified", "None identified"),
            _f("entries", "Assessed interests and mitigations"),
        ),
    ),
    Register(
        "clarifications",
        "Clarifications",
        "Every clarification question and its published answer, the asker shown only by pseudonym, and whether "
        "the answer came later than the set number of days before the response deadline. PA23 s.12 (equal treatment); "
        "the number of days is platform policy.",
        ("clarification.asked", "clarification.answered"),
        (_f("pseudonym", "Asked by"), _f("question", "Question"), _f("answer", "Answer"), _f("late", "Answered late")),
    ),
    Register(
        "openings",
        "Sealed-box openings",
        "Each request to open the sealed responses and its confirmation by a second commissioner, with the "
        "SHA-256 of every response opened. PA23 s.12 (equal treatment); two-person opening is platform policy.",
        ("responses.open_requested", "responses.opened"),
        (
            _f("requested_at", "Requested at", "at"),
            _f("requested_by", "Requested by (user id)"),
            _f("confirmed_by", "Confirmed by (user id)"),
            _f("responses", "Responses opened"),
        ),
    ),
    Register(
        "scores",
        "Evaluation score changes",
        "Evaluator assignments, every score recorded or changed, score submissions and the moderated consensus "
        "scores with their rationale.",
        (
            "evaluation.evaluator_assigned",
            "evaluation.scored",
            "evaluation.scores_submitted",
            "evaluation.consensus_recorded",
        ),
        (
            _f("evaluator_user_id", "Evaluator (user id)", "user_id"),
            _f("moderator", "Moderator"),
            _f("response_id", "Response"),
            _f("scores", "Scores (per criterion; or how many were submitted)"),
            _f("criterion_id", "Criterion"),
            _f("score", "Consensus score"),
            _f("rationale", "Rationale"),
        ),
    ),
    Register(
        "awards",
        "Award decisions",
        "Every contract award notice (UK6): the winning provider, its total, the ranking and the end of the "
        "standstill. "
        "PA23 ss.50-51.",
        ("award.notice_published",),
        (
            _f("provider", "Provider"),
            _f("response_id", "Winning response"),
            _f("total", "Total score"),
            _f("standstill_ends_on", "Standstill ends"),
            _f("ranking", "Ranking"),
        ),
    ),
    Register(
        "modifications",
        "Contract modifications and spin-off decisions",
        "Contracts entered into, spin-off proposals and each decision on them with the lawful-route check as it "
        "was shown: the route, its legal source and the cumulative change as a percentage of the original value. "
        "PA23 ss.74-77, PCR reg 72.",
        ("contract.entered", "spinoff.proposed", "spinoff.accepted", "spinoff.declined", "spinoff.new_procurement"),
        (
            _f("provider", "Provider"),
            _f("contract_value_pence", "Contract value (pence)", "value_pence"),
            _f("regime", "Regime"),
            _f("spinoff_title", "Spin-off", "title"),
            _f("price_pence", "Price (pence)"),
            _f("proposal_id", "Proposal"),
            _f("value_before_pence", "Value before (pence)"),
            _f("value_after_pence", "Value after (pence)"),
            _f("route", "Lawful route", "check", "route"),
            _f("legal_source", "Legal source", "check", "source"),
            _f("cumulative_percent", "Cumulative change (% of original)", "check", "figures", "cumulative_percent"),
            _f("notices", "Notices that follow", "check", "notices"),
            _f("decision_reason", "Reason", "reason"),
            _f("new_procurement_reference", "New procurement"),
        ),
    ),
    Register(
        "moderation",
        "Moderation acts",
        "Forum posts reported, reports dismissed and posts hidden, with the public reason.",
        ("forum.post_reported", "forum.report_dismissed", "forum.post_hidden"),
        (
            _f("post_id", "Post"),
            _f("report_id", "Report"),
            _f("moderation_entry_id", "Moderation log entry"),
            _f("reason", "Reason"),
        ),
    ),
)

BY_SLUG = {register.slug: register for register in REGISTERS}

# The event's own columns, first in every row; the register's payload fields follow, then the hash.
EVENT_FIELDS = ("seq", "occurred_at", "action", "procurement_id", "procurement_reference", "actor_label",
                "actor_role", "actor_org_id", "actor_organisation", "audience", "subject_type", "subject_id",
                "summary")
TRAILING_FIELDS = ("redacted_at", "hash")

for _register in REGISTERS:
    _keys = EVENT_FIELDS + tuple(f.key for f in _register.fields) + TRAILING_FIELDS
    assert len(set(_keys)) == len(_keys), f"register {_register.slug} has two columns with one name"


def get(slug: str) -> Register | None:
    return BY_SLUG.get(slug)


def columns(register: Register) -> tuple[str, ...]:
    """The export's column names, in order."""
    return EVENT_FIELDS + tuple(f.key for f in register.fields) + TRAILING_FIELDS


# ---------------------------------------------------------------- filters and queries


@dataclass(frozen=True)
class RegisterFilters:
    """What the auditor narrowed a register to; every field optional."""

    procurement_id: int | None = None
    organisation_id: int | None = None
    action: str | None = None
    occurred_from: date | None = None
    occurred_to: date | None = None

    def as_query(self) -> dict[str, Any]:
        """The filters as the page's URL arguments, so an export link downloads exactly what the page shows."""
        values = {"procurement": self.procurement_id, "organisation": self.organisation_id, "action": self.action,
                  "date_from": self.occurred_from.isoformat() if self.occurred_from else None,
                  "date_to": self.occurred_to.isoformat() if self.occurred_to else None}
        return {name: value for name, value in values.items() if value is not None}

    def as_payload(self) -> dict[str, Any]:
        values = {"procurement_id": self.procurement_id, "organisation_id": self.organisation_id,
                  "action": self.action,
                  "occurred_from": self.occurred_from.isoformat() if self.occurred_from else None,
                  "occurred_to": self.occurred_to.isoformat() if self.occurred_to else None}
        return {name: value for name, value in values.items() if value is not None}


_ROW_COLUMNS = (AuditEvent.seq, AuditEvent.occurred_at, AuditEvent.action, AuditEvent.procurement_id,
                AuditEvent.actor_label, AuditEvent.actor_role, AuditEvent.actor_org_id, AuditEvent.audience,
                AuditEvent.subject_type, AuditEvent.subject_id, AuditEvent.summary, AuditEvent.payload,
                AuditEvent.redacted_at, AuditEvent.redaction_reason, AuditEvent.hash,
                Procurement.reference.label("procurement_reference"),
                Organisation.name.label("actor_organisation"))


def _narrow(query: Select, register: Register, filters: RegisterFilters) -> Select:
    """The register's actions and the filters (dates as the trail's filters: whole days, both ends included).

    An organisation filter keeps what its people did and everything on the
    procurements it owns, so a council's register shows the providers' acts
    on its procurements too.
    """
    actions = (filters.action,) if filters.action else register.actions
    query = filter_events(query.where(AuditEvent.action.in_(actions)), None, None,
                          procurement_id=filters.procurement_id, occurred_from=filters.occurred_from,
                          occurred_to=filters.occurred_to)
    if filters.organisation_id is not None:
        owned = select(Procurement.id).where(Procurement.owner_org_id == filters.organisation_id)
        query = query.where(or_(AuditEvent.actor_org_id == filters.organisation_id,
                                AuditEvent.procurement_id.in_(owned)))
    return query


def rows_query(register: Register, filters: RegisterFilters) -> Select:
    """Plain rows (no ORM instances), with the procurement's reference and the acting organisation's name."""
    query = (select(*_ROW_COLUMNS)
             .outerjoin(Procurement, Procurement.id == AuditEvent.procurement_id)
             .outerjoin(Organisation, Organisation.id == AuditEvent.actor_org_id))
    return _narrow(query, register, filters)


def events_query(register: Register, filters: RegisterFilters) -> Select:
    """AuditEvent instances (for the API's cursor pagination); see `lookups` for the names."""
    return _narrow(select(AuditEvent), register, filters)


def count(register: Register, filters: RegisterFilters | None = None) -> int:
    query = _narrow(select(func.count()).select_from(AuditEvent), register, filters or RegisterFilters())
    return db.session.scalar(query) or 0


def counts() -> dict[str, int]:
    """How many events each register holds, in one query over the trail."""
    every = {action for register in REGISTERS for action in register.actions}
    per_action = dict(db.session.execute(select(AuditEvent.action, func.count()).where(
        AuditEvent.action.in_(every)).group_by(AuditEvent.action)).tuples().all())
    return {register.slug: sum(per_action.get(action, 0) for action in register.actions) for register in REGISTERS}


@dataclass
class Page:
    """One page of a register, newest first."""

    number: int
    per_page: int
    total: int
    rows: list[dict[str, Any]]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page(register: Register, filters: RegisterFilters, number: int, per_page: int) -> Page:
    total = count(register, filters)
    number = min(max(number, 1), max(1, -(-total // per_page)))
    found = db.session.execute(rows_query(register, filters).order_by(AuditEvent.seq.desc())
                               .limit(per_page).offset((number - 1) * per_page)).all()
    return Page(number, per_page, total, [row_record(register, row) for row in found])


def lookups(events: list[AuditEvent]) -> tuple[dict[int, str], dict[int, str]]:
    """Procurement references and organisation names for a page of events, two queries in all."""
    procurement_ids = {e.procurement_id for e in events if e.procurement_id is not None}
    org_ids = {e.actor_org_id for e in events if e.actor_org_id is not None}
    references = dict(db.session.execute(select(Procurement.id, Procurement.reference).where(
        Procurement.id.in_(procurement_ids))).tuples().all()) if procurement_ids else {}
    names = dict(db.session.execute(select(Organisation.id, Organisation.name).where(
        Organisation.id.in_(org_ids))).tuples().all()) if org_ids else {}
    return references, names


# ---------------------------------------------------------------- rows


def _walk(payload: Any, path: tuple[str, ...]) -> Any:
    for step in path:
        if not isinstance(payload, dict):
            return None
        payload = payload.get(step)
    return payload


def row_record(register: Register, row: Any, *, procurement_reference: str | None = None,
               actor_organisation: str | None = None) -> dict[str, Any]:
    """One event as a register row: the event's columns, the register's payload fields, the hash.

    `row` is a rows_query row or an AuditEvent (then the names come from
    `lookups`). A redacted payload leaves its fields empty and says when.
    """
    payload = json.loads(row.payload) if row.payload else {}
    values: dict[str, Any] = {
        "seq": row.seq, "occurred_at": format_time(row.occurred_at), "action": row.action,
        "procurement_id": row.procurement_id,
        "procurement_reference": getattr(row, "procurement_reference", procurement_reference),
        "actor_label": row.actor_label, "actor_role": row.actor_role, "actor_org_id": row.actor_org_id,
        "actor_organisation": getattr(row, "actor_organisation", actor_organisation), "audience": row.audience,
        "subject_type": row.subject_type, "subject_id": row.subject_id, "summary": row.summary,
    }
    for field in register.fields:
        values[field.key] = _walk(payload, field.path)
    values["redacted_at"] = format_time(row.redacted_at) if row.redacted_at else None
    values["hash"] = row.hash
    return values


def labelled_fields(register: Register, values: dict[str, Any]) -> list[tuple[str, str]]:
    """The register's non-empty payload fields as (label, text), for the page."""
    return [(field.label, text(values[field.key])) for field in register.fields
            if values[field.key] not in (None, "", [], {})]


def text(value: Any) -> str:
    """A field as text: strings as they are, everything else as JSON (true, 12, ["a"])."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


# ---------------------------------------------------------------- exports


def export_batches(register: Register, filters: RegisterFilters, up_to_seq: int, *, batch_size: int,
                   after_read: Callable[[], None] | None = None) -> Iterator[Sequence[Any]]:
    """Matching events up to `up_to_seq` (a fixed snapshot while new events arrive), oldest first, in batches."""
    query = rows_query(register, filters).where(AuditEvent.seq <= up_to_seq)
    return keyset_batches(query, AuditEvent.seq, batch_size, after_read=after_read)


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    return text(value)


def csv_chunks(register: Register, batches: Iterable[Sequence[Any]]) -> Iterator[str]:
    """A header row, then a chunk of CSV per batch; cells a spreadsheet would run as formulas are defused."""
    names = columns(register)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    yield buffer.getvalue()
    for rows in batches:
        buffer.seek(0)
        buffer.truncate(0)
        for row in rows:
            values = row_record(register, row)
            writer.writerow([csv_cell(_cell(values[name])) for name in names])
        yield buffer.getvalue()


def json_chunks(register: Register, batches: Iterable[Sequence[Any]]) -> Iterator[str]:
    """One JSON array, one object per row (payload fields keep their JSON types), a chunk per batch."""
    return json_array_chunks([row_record(register, row) for row in rows] for rows in batches)


def record_register_export(actor: Actor, register: Register, export_format: str,
                           filters: RegisterFilters) -> AuditEvent:
    """Who took a copy of which register, in what form and with which filters (as audit.exported, like the
    trail's exports). The export covers the matching events up to this one. With a procurement filter the
    event also lands on that procurement's record."""
    chosen = filters.as_payload()
    described = ", ".join(f"{name} {value!r}" for name, value in chosen.items()) or "no filters"
    return record(
        "audit.exported",
        actor=actor,
        summary=f"Exported the register “{register.title}” as {export_format.upper()} ({described})",
        payload={"format": export_format, "register": register.slug, **chosen},
        procurement_id=filters.procurement_id,
    )




def find_procurement(text: str) -> Procurement | None:
    """A procurement by its reference (CC-2026-00012) or its number (12)."""
    text = (text or "").strip()
    if text.isascii() and text.isdigit():
        return db.session.get(Procurement, int(text)) if int(text) <= MAX_ID else None
    return db.session.scalar(select(Procurement).where(Procurement.reference == text.upper()))
