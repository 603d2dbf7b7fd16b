"""Writing the trail: one chained event per change, sealed events, refusals, redactions.

`record` is called by every service, inside the service's own transaction, so
the event commits or rolls back with the change it describes. Appends are
serialised (a PostgreSQL advisory lock held to commit; SQLite's write lock,
taken at BEGIN IMMEDIATE by core.database) and the schema makes a fork
impossible anyway: `seq` is the primary key and `prev_hash` is unique.
"""
from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Row, Select, and_, func, or_, select, text
from sqlalchemy.orm import aliased

from core.clock import utcnow
from core.errors import NotPermitted, RuleViolation
from core.extensions import db
from trail.actions import require as require_action
from trail.chain import GENESIS_HASH, canonical_json, event_hash, sha256_hex
from trail.models import AUDIENCES, AuditEvent

# Arbitrary but fixed: the advisory lock key that serialises chain appends.
CHAIN_LOCK_KEY = 0x0A0D17C4A1


class Actor(Protocol):
    id: int
    organisation_id: int | None
    role: str | None

    @property
    def audit_label(self) -> str: ...


_actor_loader: Callable[[int], Actor | None] | None = None


def register_actor_loader(loader: Callable[[int], Actor | None]) -> None:
    """How the trail finds a person by id: the accounts package registers it (the trail sits below accounts)."""
    global _actor_loader
    _actor_loader = loader


def load_actor(user_id: int) -> Actor | None:
    """The person with this id, through the registered loader (None when none is registered or they are gone)."""
    return _actor_loader(user_id) if _actor_loader is not None else None


def lock_chain() -> None:
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
    require_action(action)
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
    lock_chain()
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
    require_action(action)
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

def head_seq() -> int:
    """The number of the newest event: every committed change writes one, so it versions the whole record."""
    return db.session.scalar(select(func.max(AuditEvent.seq))) or 0


def event_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def shown_event_count() -> int:
    """The events a listing may show: sealed ones are not counted before their opening."""
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(unsealed())) or 0


def keyset_batches(query: Select, key: Any, batch_size: int, *, start_after: Any = 0,
                   after_read: Callable[[], None] | None = None) -> Iterator[Sequence[Row[Any]]]:
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


