"""Finding runs: the one the public sees, the one open for replies, and the replies to a run."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from benchmarking.models import BenchmarkReply, BenchmarkRun
from core.extensions import db


def latest_published_run(today: date) -> BenchmarkRun | None:
    """The newest run whose right of reply is over: the only figures about named providers the public sees."""
    # The query form of runs.published: the right of reply closed before today.
    return db.session.scalar(select(BenchmarkRun).where(BenchmarkRun.reply_closes_on < today)
                             .order_by(BenchmarkRun.reply_closes_on.desc(), BenchmarkRun.id.desc()).limit(1))


def latest_run(today: date) -> BenchmarkRun | None:
    """The newest run already made (a provider's preview shows this one, open or closed)."""
    return db.session.scalar(select(BenchmarkRun).where(BenchmarkRun.reply_opens_on <= today)
                             .order_by(BenchmarkRun.id.desc()).limit(1))


def replies_to(run: BenchmarkRun) -> dict[int, BenchmarkReply]:
    return {r.provider_org_id: r for r in db.session.scalars(
        select(BenchmarkReply).where(BenchmarkReply.run_id == run.id))}
