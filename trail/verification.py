"""Verifying the chain, and the verification runs an auditor starts and watches."""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text

from core.clock import utcnow
from core.extensions import db
from trail.chain import GENESIS_HASH, HASHED_FIELDS, canonical_event, sha256_hex
from trail.checkpoints import CheckpointCheck, check_latest_checkpoint
from trail.events import Actor, head_seq, load_actor, record
from trail.models import AuditEvent, VerificationRun, VerificationStatus


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


def _batches(batch_size: int, up_to_seq: int | None = None) -> Iterator[Sequence[Any]]:
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
    table_name = AuditEvent.__tablename__
    sql = f"SELECT {columns} FROM {table_name} WHERE seq > {mark}{bound} ORDER BY seq LIMIT {int(batch_size)}"
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
    return {int(subject) for subject in rows if subject is not None}


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
        running.status, running.running_slot, running.finished_at = VerificationStatus.ABANDONED, None, now
        running.problem = (f"The verification stopped reporting progress after {running.checked} of "
                           f"{running.total} events (its server process ended) and was replaced by a new one.")
        db.session.flush()
    head = head_seq()
    total = db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.seq <= head)) or 0
    run = VerificationRun(
        started_by_user_id=actor.id if actor else None,
        started_by_label=actor.audit_label if actor else "system",
        started_at=now, heartbeat_at=now, status=VerificationStatus.RUNNING, running_slot=1,
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
        actor = load_actor(run.started_by_user_id) if run.started_by_user_id else None
        event = record_verification(result, actor, check)
        run.status = VerificationStatus.INTACT if result.ok else VerificationStatus.BROKEN
        run.checked = result.count
        run.head_seq, run.head_hash = result.head_seq, result.head_hash
        run.first_bad_seq, run.problem = result.first_bad_seq, result.problem
        run.event_seq = event.seq
        run.finished_at, run.running_slot = utcnow(), None
        db.session.commit()
    except _Superseded:
        db.session.rollback()
    except Exception as exc:
        log.exception("audit verification run %s failed", run_id)
        db.session.rollback()
        failed = db.session.get(VerificationRun, run_id)
        if failed is not None and failed.is_running:
            failed.status, failed.running_slot, failed.finished_at = VerificationStatus.FAILED, None, utcnow()
            failed.problem = (f"The verification stopped with an error ({type(exc).__name__}) after "
                              f"{failed.checked} of {failed.total} events. Nothing about the chain is known "
                              f"from it: start it again, and tell the operator if it keeps failing.")
            db.session.commit()
    return db.session.get(VerificationRun, run_id)

