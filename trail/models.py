"""The audit event and checkpoint rows. Append-only, enforced by database triggers installed by the migrations."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.enums import one_of
from core.extensions import Model

AUDIENCES = ("public", "participants", "auditors")
# The tables the application may only read and append to (trail.db_roles grants no more on PostgreSQL).
APPEND_ONLY_TABLES = ("audit_event", "audit_checkpoint")


class AuditEvent(Model):
    __tablename__ = "audit_event"

    # The sequence number is the primary key: gaps or duplicates are impossible
    # to hide, and UNIQUE(prev_hash) means the chain can never fork.
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    occurred_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    actor_user_id: Mapped[int | None] = mapped_column(Integer)
    actor_org_id: Mapped[int | None] = mapped_column(Integer)
    actor_role: Mapped[str | None] = mapped_column(String(32))
    actor_label: Mapped[str] = mapped_column(String(200), nullable=False)
    action: Mapped[str] = mapped_column(String(80), nullable=False, index=True)
    subject_type: Mapped[str | None] = mapped_column(String(60))
    subject_id: Mapped[str | None] = mapped_column(String(60))
    procurement_id: Mapped[int | None] = mapped_column(Integer, index=True)
    audience: Mapped[str] = mapped_column(String(20), nullable=False)
    summary: Mapped[str] = mapped_column(Text, nullable=False)
    payload: Mapped[str | None] = mapped_column(Text)
    payload_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    redacted_at: Mapped[datetime | None] = mapped_column(DateTime)
    redaction_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_audit_event_subject", "subject_type", "subject_id"),
        Index("ix_audit_event_actor_user_id", "actor_user_id"),
    )

    @property
    def is_redacted(self) -> bool:
        return self.redacted_at is not None

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<AuditEvent {self.seq} {self.action}>"


class Checkpoint(Model):
    """A signed statement that the chain's head was event `seq` with `head_hash` at `created_at`.

    Published at /audit/checkpoints.json so that outsiders keep copies: someone
    with database access could rewrite history and recompute every hash, but
    not forge the signature over a head hash that a third party saved. The
    private key never enters the database; the public key is stored with each
    checkpoint so a key rotation stays verifiable.
    """

    __tablename__ = "audit_checkpoint"

    # The audit event whose hash was signed. One checkpoint per head: signing
    # writes an event, so the head always moves on after a checkpoint.
    seq: Mapped[int] = mapped_column(Integer, ForeignKey("audit_event.seq"), primary_key=True, autoincrement=False)
    head_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    # Base64 of the 64-byte Ed25519 signature and of the 32-byte raw public key.
    signature: Mapped[str] = mapped_column(String(88), nullable=False)
    public_key: Mapped[str] = mapped_column(String(44), nullable=False)
    # SHA-256 (hex) of the raw public key: short enough to read out and compare.
    key_fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)
    # The "audit.checkpoint_signed" event that records this checkpoint on the chain.
    event_seq: Mapped[int] = mapped_column(Integer, ForeignKey("audit_event.seq"), nullable=False, unique=True)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<Checkpoint {self.seq} {self.head_hash[:12]}>"


class CheckpointSubscription(Model):
    """An auditor who asked to be emailed each new checkpoint as it is signed.

    Each email is a copy of the signed head kept where whoever holds the
    database and the signing key cannot reach it: the auditor's own mailbox.
    """

    __tablename__ = "audit_checkpoint_subscription"

    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("user.id"), primary_key=True, autoincrement=False)
    subscribed_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<CheckpointSubscription user {self.user_id}>"


class VerificationStatus(StrEnum):
    """A verification run is running until it finds the chain intact or broken, or stops without an answer."""

    RUNNING = "running"
    INTACT = "intact"
    BROKEN = "broken"
    FAILED = "failed"
    ABANDONED = "abandoned"


VERIFICATION_STATUSES: dict[str, str] = {
    VerificationStatus.RUNNING: "Running",
    VerificationStatus.INTACT: "Finished: the chain is intact",
    VerificationStatus.BROKEN: "Finished: the chain is broken",
    VerificationStatus.FAILED: "Stopped with an error",
    VerificationStatus.ABANDONED: "Stopped: its server process ended",
}


class VerificationRun(Model):
    """One verification of the whole chain, with its progress, run outside the request that asked for it.

    A long chain takes longer to verify than a request may last, so the
    auditor's page starts a run and then reads its progress from here. At most
    one run is ever "running": `running_slot` is 1 while it runs and NULL
    after, and it is unique. `heartbeat_at` moves after every batch, so a run
    whose worker died (a restarted server) is seen to have stopped rather than
    blocking every later verification.
    """

    __tablename__ = "audit_verification_run"
    __table_args__ = (one_of("status", VerificationStatus),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_by_user_id: Mapped[int | None] = mapped_column(Integer)
    started_by_label: Mapped[str] = mapped_column(String(200), nullable=False)
    started_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    running_slot: Mapped[int | None] = mapped_column(Integer, unique=True)
    # The chain's head when the run started: the run checks events 1..up_to_seq,
    # so it ends even while new events keep arriving.
    up_to_seq: Mapped[int] = mapped_column(Integer, nullable=False)
    total: Mapped[int] = mapped_column(Integer, nullable=False)
    checked: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    head_seq: Mapped[int | None] = mapped_column(Integer)
    head_hash: Mapped[str | None] = mapped_column(String(64))
    first_bad_seq: Mapped[int | None] = mapped_column(Integer)
    problem: Mapped[str | None] = mapped_column(Text)
    # The "audit.chain_verified" event that put the outcome on the record.
    event_seq: Mapped[int | None] = mapped_column(Integer)

    @property
    def is_running(self) -> bool:
        return self.status == VerificationStatus.RUNNING

    @property
    def status_label(self) -> str:
        return VERIFICATION_STATUSES[self.status]

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if not self.is_running else 0
        return min(100, self.checked * 100 // self.total)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<VerificationRun {self.id} {self.status} {self.checked}/{self.total}>"
