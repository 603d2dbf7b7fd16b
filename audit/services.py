"""Writing, verifying and redacting the audit trail.

`record` is called by every service, inside the service's own transaction, so
the event commits or rolls back with the change it describes. Appends are
serialised (a PostgreSQL advisory lock held to commit; SQLite's write lock,
taken at BEGIN IMMEDIATE by core.database) and the schema makes a fork
impossible anyway: `seq` is the primary key and `prev_hash` is unique.
"""
from __future__ import annotations

import hashlib
import json
import logging
import secrets
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, text
from sqlalchemy.orm import aliased

from audit.chain import GENESIS_HASH, HASHED_FIELDS, canonical_event, canonical_json, event_hash, sha256_hex
from audit.models import AUDIENCES, AuditEvent, VerificationRun
from core.errors import NotPermitted, RuleViolation
from core.extensions import db
from core.timezones import uk_to_utc

if TYPE_CHECKING:
    from audit.checkpoints import CheckpointCheck

# Arbitrary but fixed: the advisory lock key that serialises chain appends.
CHAIN_LOCK_KEY = 0x0A0D17C4A1


class Actor(Protocol):
    id: int
    organisation_id: int | None
    role: str | None

    @property
    def audit_label(self) -> str: ...


def utcnow() -> datetime:
    """Naive UTC, the one form of time stored everywhere in the database."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _lock_chain() -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})


def _subject(subject: Any) -> tuple[str | None, str | None]:
    if subject is None:
        return None, None
    if isinstance(subject, tuple):
        kind, ident = subject
        return str(kind), str(ident)
    return type(subject).__tablename__, str(subject.id)


def record(
    action: str,
    *,
    summary: str,
    actor: Actor | None = None,
    actor_label: str | None = None,
    subject: Any = None,
    payload: dict[str, Any] | None = None,
    audience: str = "auditors",
    procurement_id: int | None = None,
) -> AuditEvent:
    """Append one event to the chain in the caller's transaction.

    `subject` is a model instance (its table name and id are stored) or a
    (kind, id) pair. Without an actor the event is the system's, or an
    anonymous visitor's when `actor_label` says so.
    """
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}")
    # Views may pass Flask-Login's current_user proxy; record the real objects.
    actor = getattr(actor, "_get_current_object", lambda: actor)()
    subject = getattr(subject, "_get_current_object", lambda: subject)()
    return _append(action, summary=summary, payload=payload, audience=audience, procurement_id=procurement_id,
                   subject=subject, actor_user_id=actor.id if actor else None,
                   actor_org_id=actor.organisation_id if actor else None, actor_role=actor.role if actor else None,
                   actor_label=actor.audit_label if actor else (actor_label or "system"))


def _append(action: str, *, summary: str, payload: dict[str, Any] | None, audience: str,
            procurement_id: int | None, subject: Any, actor_user_id: int | None, actor_org_id: int | None,
            actor_role: str | None, actor_label: str) -> AuditEvent:
    """Append one event with exactly these columns (record and record_sealed decide what they hold)."""
    db.session.flush()  # the change this event describes gets its ids first
    _lock_chain()
    head = db.session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    seq, prev_hash = (head.seq + 1, head.hash) if head else (1, GENESIS_HASH)
    payload_text = canonical_json(payload or {})
    subject_type, subject_id = _subject(subject)
    event = AuditEvent(
        seq=seq,
        occurred_at=utcnow(),
        actor_user_id=actor_user_id,
        actor_org_id=actor_org_id,
        actor_role=actor_role,
        actor_label=actor_label,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        procurement_id=procurement_id,
        audience=audience,
        summary=summary,
        payload=payload_text,
        payload_hash=sha256_hex(payload_text),
        prev_hash=prev_hash,
    )
    event.hash = event_hash(event)
    db.session.add(event)
    db.session.flush()
    return event


# ---------------------------------------------------------------- sealed events
#
# Before a tender's two-person opening nobody but the bidder may learn whether
# anyone responded, who, how many or how large. A bidder's act on its response
# is still appended to the chain when it happens (the chain is never reordered),
# but as a sealed event: its hashed columns hold nothing that identifies the
# bidder (no actor, a neutral label and summary), and who acted, what they
# said and every size or hash live only in the payload, which enters the chain
# through its own hash. Every listing, export and page withholds a sealed event
# until the procurement's opening event exists (`unsealed`); verification
# covers it all along. A random nonce in the payload stops anyone confirming a
# guess at its contents against the payload hash.

SEALED_ROLE = "sealed"
SEALED_LABEL = "Sealed until the opening"
SEALED_SUMMARY = "A sealed event: it is revealed when the responses are opened"
# The event whose existence reveals a procurement's sealed events.
REVEAL_ACTION = "responses.opened"


def record_sealed(action: str, *, actor: Actor, summary: str, procurement_id: int, subject: Any = None,
                  payload: dict[str, Any] | None = None) -> AuditEvent:
    """Append a sealed event: the actor and the summary go into the payload, not the hashed row."""
    actor = getattr(actor, "_get_current_object", lambda: actor)()
    subject = getattr(subject, "_get_current_object", lambda: subject)()
    sealed = {"actor_user_id": actor.id, "actor_org_id": actor.organisation_id, "actor_role": actor.role,
              "actor_label": actor.audit_label, "summary": summary}
    return _append(action, summary=SEALED_SUMMARY,
                   payload={**(payload or {}), "sealed": sealed, "nonce": secrets.token_hex(16)},
                   audience="auditors", procurement_id=procurement_id, subject=subject, actor_user_id=None,
                   actor_org_id=None, actor_role=SEALED_ROLE, actor_label=SEALED_LABEL)


def unsealed() -> ColumnElement[bool]:
    """The events anyone may be shown: all but the sealed ones of a procurement not opened yet."""
    opening = aliased(AuditEvent)
    return or_(AuditEvent.actor_role.is_(None), AuditEvent.actor_role != SEALED_ROLE,
               AuditEvent.procurement_id.in_(select(opening.procurement_id).where(opening.action == REVEAL_ACTION)))


def sealed_actor_org_is(org_id: int) -> ColumnElement[bool]:
    """A sealed event whose real actor (in its payload) belongs to the organisation.

    The payload is canonical JSON with sorted keys, so the organisation is
    always written exactly so, followed by the role: a plain text match works
    alike on SQLite and PostgreSQL. Pair it with `unsealed()`.
    """
    return and_(AuditEvent.actor_role == SEALED_ROLE,
                AuditEvent.payload.contains(f'"actor_org_id":{int(org_id)},"actor_role"', autoescape=True))


def is_withheld(event: AuditEvent) -> bool:
    """A sealed event whose procurement has not been opened yet."""
    if event.actor_role != SEALED_ROLE:
        return False
    return not db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == REVEAL_ACTION, AuditEvent.procurement_id == event.procurement_id))


class ShownEvent:
    """An event as pages show it: a revealed sealed event names its actor and summary from its payload.

    Every other attribute is the stored event's own, so the hashes shown are
    the ones the chain holds (an auditor recomputes them from the row and the
    payload, as for any event).
    """

    def __init__(self, event: AuditEvent) -> None:
        self._event = event
        self._sealed: dict[str, Any] = {}
        if event.actor_role == SEALED_ROLE and event.payload:
            self._sealed = json.loads(event.payload).get("sealed") or {}

    def __getattr__(self, name: str) -> Any:
        if name in ("actor_user_id", "actor_org_id", "actor_role", "actor_label", "summary") and \
                name in self._sealed:
            return self._sealed[name]
        return getattr(self._event, name)

    @property
    def is_sealed(self) -> bool:
        return self._event.actor_role == SEALED_ROLE

    @property
    def stored_actor_label(self) -> str:
        """The hashed row's own values (what verification hashes), whatever the page shows."""
        return self._event.actor_label

    @property
    def stored_actor_role(self) -> str | None:
        return self._event.actor_role

    @property
    def stored_summary(self) -> str:
        return self._event.summary


def shown(events: list[AuditEvent]) -> list[ShownEvent]:
    return [ShownEvent(event) for event in events]


def record_refusal(actor: Actor | None, attempted: str, reason: str, *, actor_label: str | None = None,
                   detail: dict[str, Any] | None = None, procurement_id: int | None = None,
                   sealed: bool = False) -> AuditEvent:
    """A security-relevant refusal: someone tried something they may not do.

    `actor` may be anyone, signed in or not: an anonymous visitor is recorded
    as such (callers need not tell the two apart). With a procurement id the
    refusal also lands on that procurement's s.98 record. `sealed` for a
    bidder's refused act on its own response: it would tell that they bid.
    """
    actor = getattr(actor, "_get_current_object", lambda: actor)()
    if actor is not None and not getattr(actor, "is_authenticated", True):
        actor = None
    if sealed and actor is not None and procurement_id is not None:
        return record_sealed("security.refused", actor=actor, summary=f"Refused {attempted}: {reason}",
                             procurement_id=procurement_id,
                             payload={"attempted": attempted, "reason": reason, **(detail or {})})
    return record(
        "security.refused",
        actor=actor,
        actor_label=None if actor is not None else (actor_label or "anonymous"),
        summary=f"Refused {attempted}: {reason}",
        payload={"attempted": attempted, "reason": reason, **(detail or {})},
        procurement_id=procurement_id,
    )


def redact_payload(event: AuditEvent, reason: str, actor: Actor) -> AuditEvent:
    """Remove personal data from an event's payload, leaving the chain intact.

    Only admins may redact. The redaction is its own audited event, naming the
    redacted seq and keeping the reason (never the removed data), and it is
    that event which redacts: appending it makes the database null the payload
    (the audit_event_redaction trigger), so a redaction can no more exist
    without its event than the event without the redaction. A plain UPDATE
    that tries it is refused.
    """
    if actor.role != "admin":
        record_refusal(actor, "audit.redact", "only an admin may redact audit payloads",
                       detail={"seq": event.seq})
        raise NotPermitted("Only an admin may redact audit payloads.")
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation({"reason": "Give the reason for the redaction"})
    if event.is_redacted:
        raise RuleViolation({"": f"Event {event.seq} is already redacted"})
    record(
        "audit.payload_redacted",
        actor=actor,
        subject=("audit_event", event.seq),
        summary=f"Redacted the payload of event {event.seq}",
        payload={"seq": event.seq, "reason": reason},
    )
    db.session.refresh(event)
    return event


@dataclass
class Verification:
    """What a verification found: all an auditor needs to sign off or dig in."""

    ok: bool
    count: int
    head_seq: int | None
    head_hash: str | None
    first_bad_seq: int | None = None
    problem: str | None = None


_HASHED = len(HASHED_FIELDS)
_SEQ, _PAYLOAD_HASH, _PREV_HASH = (HASHED_FIELDS.index(name) for name in ("seq", "payload_hash", "prev_hash"))
# The hashed fields first, in HASHED_FIELDS order, so a row's leading values are the hash input as they stand.
_VERIFY_NAMES = (*HASHED_FIELDS, "payload", "hash", "redacted_at")
_PAYLOAD, _HASH, _REDACTED_AT = _HASHED, _HASHED + 1, _HASHED + 2


def head_seq() -> int:
    """The number of the newest event: every committed change writes one, so it versions the whole record."""
    return db.session.scalar(select(func.max(AuditEvent.seq))) or 0


def event_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def shown_event_count() -> int:
    """The events a listing may show: sealed ones are not counted before their opening."""
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(unsealed())) or 0


def keyset_batches(query: Select, key: Any, batch_size: int, *, start_after: Any = 0,
                   after_read: Callable[[], None] | None = None) -> Iterator[list[Any]]:
    """The rows of `query` in `key` order, one page per query.

    Memory stays flat however many rows there are: each query fetches one
    batch of plain rows after the last key seen (no OFFSET, no ORM instances
    piling up in the session). `after_read` runs after each query, before the
    batch is handed on (a streaming view ends its read transaction there).
    """
    last = start_after
    while True:
        rows = db.session.execute(query.where(key > last).order_by(key).limit(batch_size)).all()
        if after_read:
            after_read()
        if not rows:
            return
        yield rows
        if len(rows) < batch_size:
            return
        last = getattr(rows[-1], key.key)


def _batches(batch_size: int, up_to_seq: int | None = None) -> Iterator[list[Any]]:
    """The chain in seq order, as plain tuples straight from the database driver.

    Verification reads every event, so the rows skip the ORM's row objects and
    per-value type processing: SQLite's stored time text goes to
    `canonical_event` as it is. Rows are still read in keyset pages on the
    session's own connection (and transaction), so memory stays flat.
    """
    connection = db.session.connection()
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    table = AuditEvent.__table__
    columns = ", ".join(table.c[name].name for name in _VERIFY_NAMES)
    bound = "" if up_to_seq is None else f" AND seq <= {mark}"
    sql = f"SELECT {columns} FROM {table.name} WHERE seq > {mark}{bound} ORDER BY seq LIMIT {int(batch_size)}"
    cursor = connection.connection.cursor()
    try:
        last = 0
        while True:
            cursor.execute(sql, (last,) if up_to_seq is None else (last, up_to_seq))
            rows = cursor.fetchall()
            if not rows:
                return
            yield rows
            if len(rows) < batch_size:
                return
            last = rows[-1][_SEQ]
    finally:
        cursor.close()


def _problem(row: Any, expected_seq: int, prev_hash: str) -> str | None:
    hashed, (payload, event_hash_, redacted_at) = row[:_HASHED], row[_HASHED:]
    if hashed[_SEQ] != expected_seq:
        return f"expected event {expected_seq} but found {hashed[_SEQ]}: an event is missing or out of order"
    if hashed[_PREV_HASH] != prev_hash:
        return "its previous-hash does not match the event before it"
    if payload is None:
        if redacted_at is None:
            return "its payload is missing but it was never redacted"
    elif sha256_hex(payload) != hashed[_PAYLOAD_HASH]:
        return "its payload does not match the payload hash"
    if sha256_hex(canonical_event(hashed)) != event_hash_:
        return "its contents do not match its hash"
    return None


REDACTION_ACTION = "audit.payload_redacted"
_ACTION, _SUBJECT_TYPE, _SUBJECT_ID = (HASHED_FIELDS.index(name) for name in ("action", "subject_type", "subject_id"))


def _redaction_target(hashed: Sequence[Any]) -> int | None:
    """The seq a redaction event names (its hashed subject), or None for any other event."""
    if hashed[_ACTION] != REDACTION_ACTION or hashed[_SUBJECT_TYPE] != "audit_event":
        return None
    subject = hashed[_SUBJECT_ID] or ""
    return int(subject) if subject.isdigit() else None


def _redactions_after(seqs: set[int], after_seq: int) -> set[int]:
    """Which of `seqs` a redaction event appended after `after_seq` names (one committed after a run began)."""
    rows = db.session.scalars(select(AuditEvent.subject_id).where(
        AuditEvent.seq > after_seq, AuditEvent.action == REDACTION_ACTION, AuditEvent.subject_type == "audit_event",
        AuditEvent.subject_id.in_([str(seq) for seq in seqs])))
    return {int(subject) for subject in rows}


def verify_chain(progress: Callable[[int], None] | None = None, batch_size: int = 2000, *,
                 up_to_seq: int | None = None) -> Verification:
    """Walk the whole chain in order; stop at the first broken link.

    `progress(n)` is called after each batch with the number of events checked
    in it, so the CLI and the auditor page can show how far it has got. With
    `up_to_seq` the walk stops there: a run that started at that head ends
    even while new events keep arriving.

    A redacted payload counts only with its own audit.payload_redacted event,
    later on the chain, naming its seq: a payload nulled any other way (by
    someone who switched the triggers off) breaks the chain at that event.
    """
    if batch_size < 1:
        # A batch of none would read nothing and call the chain intact.
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    prev_hash, expected, count = GENESIS_HASH, 1, 0
    head_seq: int | None = None
    # Redacted events whose redaction event has not been seen yet, with the hash of the event before each.
    unexplained: dict[int, str] = {}
    sha256, encode = hashlib.sha256, canonical_event
    for rows in _batches(batch_size, up_to_seq):
        for row in rows:
            # The common case in one expression; any doubt goes to _problem, which says what is wrong.
            payload = row[_PAYLOAD]
            if (row[_SEQ] != expected or row[_PREV_HASH] != prev_hash or payload is None
                    or sha256(payload.encode()).hexdigest() != row[_PAYLOAD_HASH]
                    or sha256(encode(row[:_HASHED]).encode()).hexdigest() != row[_HASH]):
                problem = _problem(row, expected, prev_hash)
                if problem:
                    # Every event before this one verified: seqs run 1, 2, 3... up to expected - 1.
                    count = expected - 1
                    seq = row[_SEQ]
                    return Verification(False, count, count or None, prev_hash if count else None,
                                        first_bad_seq=seq if seq == expected else expected, problem=problem)
            if row[_REDACTED_AT] is not None:
                unexplained[row[_SEQ]] = prev_hash
            if row[_ACTION] == REDACTION_ACTION:
                target = _redaction_target(row[:_HASHED])
                if target is not None and target < row[_SEQ]:
                    unexplained.pop(target, None)
            prev_hash = row[_HASH]
            expected += 1
        count, head_seq = expected - 1, expected - 1
        if progress:
            progress(len(rows))
    if unexplained and head_seq is not None:
        for seq in _redactions_after(set(unexplained), head_seq):
            del unexplained[seq]
    if unexplained:
        # Reported like any broken link: the events before it verified, and it is the first bad one.
        silent = min(unexplained)
        return Verification(False, silent - 1, silent - 1 or None, unexplained[silent] if silent > 1 else None,
                            first_bad_seq=silent,
                            problem="its payload was redacted, but no audit.payload_redacted event names it: "
                                    "a redaction made outside the application")
    return Verification(True, count, head_seq, prev_hash if count else None)


def filter_events(query: Select, action_prefix: str | None, actor_user_id: int | None, *,
                  procurement_id: int | None = None, actor_org_id: int | None = None,
                  occurred_from: date | None = None, occurred_to: date | None = None,
                  scope: ColumnElement[bool] | None = None, action: str | None = None) -> Select:
    """The trail's and the procurement record's filters, shared with the exports so a download matches the page.

    Sealed events are left out until their procurement is opened (`unsealed`), whatever the filters.

    Dates are whole days on the UK calendar, both ends included: `occurred_from` starts at UK midnight and
    `occurred_to` runs to the UK midnight at its end (the stored times, and the exports, stay UTC).
    `scope` is a whole record's condition (audit.records.record_scope: a
    procurement's own events and the forum history before it).
    """
    query = query.where(unsealed())
    if scope is not None:
        query = query.where(scope)
    if action_prefix:
        query = query.where(AuditEvent.action.startswith(action_prefix, autoescape=True))
    if action:
        query = query.where(AuditEvent.action == action)
    if actor_user_id:
        query = query.where(AuditEvent.actor_user_id == actor_user_id)
    if procurement_id is not None:
        query = query.where(AuditEvent.procurement_id == procurement_id)
    if actor_org_id is not None:
        query = query.where(or_(AuditEvent.actor_org_id == actor_org_id, sealed_actor_org_is(actor_org_id)))
    if occurred_from is not None:
        query = query.where(AuditEvent.occurred_at >= uk_to_utc(occurred_from, time.min))
    if occurred_to is not None:
        query = query.where(AuditEvent.occurred_at < uk_to_utc(occurred_to + timedelta(days=1), time.min))
    return query


def events_page(page: int, per_page: int, action_prefix: str | None = None, actor_user_id: int | None = None,
                **filters: Any):
    """Newest first, for the auditor's trail page; `filters` are filter_events' keyword filters."""
    query = filter_events(select(AuditEvent).order_by(AuditEvent.seq.desc()), action_prefix, actor_user_id,
                          **filters)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


EXPORT_COLUMNS = [getattr(AuditEvent, name) for name in (
    "seq", "occurred_at", "actor_user_id", "actor_org_id", "actor_role", "actor_label",
    "action", "subject_type", "subject_id", "procurement_id", "audience", "summary",
    "payload", "payload_hash", "prev_hash", "hash", "redacted_at", "redaction_reason",
)]


def export_batches(up_to_seq: int, *, action_prefix: str | None = None, actor_user_id: int | None = None,
                   batch_size: int = 1000, after_read: Callable[[], None] | None = None,
                   **record_filters: Any) -> Iterator[list[Any]]:
    """Matching events up to `up_to_seq`, oldest first, one keyset page per query.

    The upper bound makes the export a fixed snapshot even while new events
    are appended; the view ends its read transaction in `after_read`, so a slow
    download never holds one open. `record_filters` are filter_events' keyword
    filters (one procurement's record, an organisation, dates).
    """
    query = filter_events(select(*EXPORT_COLUMNS).where(AuditEvent.seq <= up_to_seq),
                          action_prefix, actor_user_id, **record_filters)
    return keyset_batches(query, AuditEvent.seq, batch_size, after_read=after_read)


def record_export(actor: Actor, export_format: str, *, action_prefix: str | None = None,
                  actor_user_id: int | None = None, procurement_id: int | None = None,
                  actor_org_id: int | None = None, occurred_from: date | None = None,
                  occurred_to: date | None = None, action: str | None = None) -> AuditEvent:
    """Who took a copy of the trail, in what form and with which filters.

    The export covers every matching event up to and including this one, so
    the event's seq is also the export's upper bound. A procurement record's
    export belongs to that procurement's record too: who took a copy of it,
    and when, is part of what an auditor reconstructs.
    """
    filters: dict[str, Any] = {"action_prefix": action_prefix, "actor_user_id": actor_user_id}
    extra = {"action": action, "actor_org_id": actor_org_id,
             "occurred_from": occurred_from.isoformat() if occurred_from else None,
             "occurred_to": occurred_to.isoformat() if occurred_to else None}
    filters.update({name: value for name, value in extra.items() if value is not None})
    described = ", ".join(f"{name} {value!r}" for name, value in filters.items() if value) or "no filters"
    what = f"the record of procurement {procurement_id}" if procurement_id is not None else "the audit trail"
    payload = {"format": export_format, **filters}
    if procurement_id is not None:
        payload["procurement_id"] = procurement_id
    return record(
        "audit.exported",
        actor=actor,
        summary=f"Exported {what} as {export_format.upper()} ({described})",
        payload=payload,
        procurement_id=procurement_id,
    )


def record_verification(result: Verification, actor: Actor | None,
                        checkpoints: CheckpointCheck | None = None) -> AuditEvent:
    """Each verification is itself on the record: who checked, and what they saw.

    When checkpoints were checked too, their outcome joins the record.
    """
    outcome = "intact" if result.ok else f"broken at event {result.first_bad_seq}"
    summary = f"Chain verified: {result.count} events, {outcome}"
    payload: dict[str, Any] = {
        "ok": result.ok, "count": result.count, "head_seq": result.head_seq, "head_hash": result.head_hash,
        "first_bad_seq": result.first_bad_seq, "problem": result.problem}
    if checkpoints is not None:
        if checkpoints.ok:
            summary += f"; extends all {checkpoints.checked} checkpoints"
        else:
            first = checkpoints.first_failed.seq if checkpoints.first_failed else None
            summary += f"; {checkpoints.failures} of {checkpoints.checked} checkpoints fail, first at event {first}"
        payload["checkpoints"] = checkpoints.as_payload()
    return record("audit.chain_verified", actor=actor, summary=summary, payload=payload)


# ---------------------------------------------------------------- verification runs (the auditor page)
#
# A long chain takes longer to verify than a request may last, so the page
# starts a run (start_verification, a service like any other: the view
# commits it) and a worker walks the chain (run_verification), writing its
# progress to the run's row after every batch for the page to show.

# A running run whose heartbeat is older than this has lost its worker (a
# restarted or killed server process): the next start takes over from it.
VERIFICATION_STALE_AFTER = timedelta(minutes=5)
# Arbitrary but fixed, like CHAIN_LOCK_KEY: serialises starting a run on PostgreSQL.
VERIFICATION_LOCK_KEY = 0x0A0D17C4A2

log = logging.getLogger(__name__)


class _Superseded(Exception):
    """The run was marked abandoned by someone else while this worker still held it."""


def latest_verification() -> VerificationRun | None:
    return db.session.scalars(select(VerificationRun).order_by(VerificationRun.id.desc()).limit(1)).first()


def is_stale(run: VerificationRun, now: datetime) -> bool:
    """A run that says it is running but has not moved for VERIFICATION_STALE_AFTER."""
    return run.is_running and now - run.heartbeat_at > VERIFICATION_STALE_AFTER


def start_verification(actor: Actor | None, *, now: datetime) -> tuple[VerificationRun, bool]:
    """The run to watch, and whether this call started it (False: one was running already; reuse it).

    Starts are serialised (a PostgreSQL advisory lock; SQLite's write lock,
    taken at BEGIN IMMEDIATE) and the unique running slot makes a second
    running row impossible anyway, so two auditors pressing the button at once
    share one verification. The run will check events 1..head as the head is
    now; its outcome is audited by run_verification when it ends.
    """
    actor = getattr(actor, "_get_current_object", lambda: actor)()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": VERIFICATION_LOCK_KEY})
    running = db.session.scalars(select(VerificationRun).where(VerificationRun.running_slot.is_not(None))).first()
    if running is not None:
        if not is_stale(running, now):
            return running, False
        running.status, running.running_slot, running.finished_at = "abandoned", None, now
        running.problem = (f"The verification stopped reporting progress after {running.checked} of "
                           f"{running.total} events (its server process ended) and was replaced by a new one.")
        db.session.flush()
    head = head_seq()
    total = db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.seq <= head)) or 0
    run = VerificationRun(
        started_by_user_id=actor.id if actor else None,
        started_by_label=actor.audit_label if actor else "system",
        started_at=now, heartbeat_at=now, status="running", running_slot=1,
        up_to_seq=head, total=total, checked=0)
    db.session.add(run)
    db.session.flush()
    return run, True


def run_verification(run_id: int, *, batch_size: int,
                     progress: Callable[[VerificationRun], None] | None = None) -> VerificationRun | None:
    """Walk the chain for one run, committing its progress after each batch; audit the outcome.

    A job, not a request: like the CLI it owns its transactions. Each batch is
    read, checked and its progress committed in one short transaction, so a
    long verification never holds a transaction (or SQLite's lock) open. The
    outcome and the audit.chain_verified event (with the latest checkpoint's
    check) commit together. Any failure is written to the run for the auditor
    to read, never raised: nobody is waiting on this call but the page.
    `progress(run)` is called after each committed batch.
    """
    from accounts.models import User
    from audit.checkpoints import check_latest_checkpoint

    run = db.session.get(VerificationRun, run_id)
    if run is None or not run.is_running:
        return run

    def step(checked: int) -> None:
        db.session.refresh(run)
        if not run.is_running:
            raise _Superseded
        run.checked += checked
        run.heartbeat_at = utcnow()
        db.session.commit()
        if progress:
            progress(run)

    try:
        result = verify_chain(progress=step, batch_size=batch_size, up_to_seq=run.up_to_seq)
        db.session.refresh(run)
        if not run.is_running:
            raise _Superseded
        _latest, check = check_latest_checkpoint()
        actor = db.session.get(User, run.started_by_user_id) if run.started_by_user_id else None
        event = record_verification(result, actor, check)
        run.status = "intact" if result.ok else "broken"
        run.checked = result.count
        run.head_seq, run.head_hash = result.head_seq, result.head_hash
        run.first_bad_seq, run.problem = result.first_bad_seq, result.problem
        run.event_seq = event.seq
        run.finished_at, run.running_slot = utcnow(), None
        db.session.commit()
    except _Superseded:
        db.session.rollback()
    except Exception as exc:  # noqa: BLE001 - reported on the run, never to a request
        log.exception("audit verification run %s failed", run_id)
        db.session.rollback()
        run = db.session.get(VerificationRun, run_id)
        if run is not None and run.is_running:
            run.status, run.running_slot, run.finished_at = "failed", None, utcnow()
            run.problem = (f"The verification stopped with an error ({type(exc).__name__}) after "
                           f"{run.checked} of {run.total} events. Nothing about the chain is known from it: "
                           f"start it again, and tell the operator if it keeps failing.")
            db.session.commit()
    return db.session.get(VerificationRun, run_id)
