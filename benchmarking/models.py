"""Benchmark runs and the providers' replies to them.

A run keeps its inputs (the verified strata and approved payments it was
computed from, already aggregates: no child is in them) so that every page
and every filter shows figures of one recorded run, and an auditor can
recompute it from the trail. Neither is ever deleted.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Organisation, User
from core.extensions import Model


class BenchmarkRun(Model):
    __tablename__ = "benchmark_run"
    __table_args__ = (CheckConstraint("reply_closes_on > reply_opens_on", name="reply_window"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    method_version: Mapped[str] = mapped_column(String(20))
    parameters: Mapped[str] = mapped_column(Text)          # canonical JSON
    inputs: Mapped[str] = mapped_column(Text)              # canonical JSON of the strata and payments
    inputs_hash: Mapped[str] = mapped_column(String(64))
    results_hash: Mapped[str] = mapped_column(String(64))
    as_of: Mapped[date] = mapped_column(Date)              # returns and statements for periods ending by then
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reply_opens_on: Mapped[date] = mapped_column(Date)     # the UK date providers were shown their results
    reply_closes_on: Mapped[date] = mapped_column(Date)    # the last working day of the right of reply

    created_by: Mapped[User | None] = relationship()


class BenchmarkReply(Model):
    __tablename__ = "benchmark_reply"
    __table_args__ = (UniqueConstraint("run_id", "provider_org_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("benchmark_run.id"), index=True)
    provider_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    note: Mapped[str] = mapped_column(Text)
    written_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    written_at: Mapped[datetime] = mapped_column(DateTime)

    run: Mapped[BenchmarkRun] = relationship()
    provider: Mapped[Organisation] = relationship()
    written_by: Mapped[User] = relationship()
