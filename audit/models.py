"""The audit event row. Append-only, enforced by database triggers (audit.triggers)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db

AUDIENCES = ("public", "participants", "auditors")


class AuditEvent(db.Model):
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
