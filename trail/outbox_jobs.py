"""Mail delivery as jobs: the outbox table stays the source of truth; these tasks only drain it.

A message is queued in the outbox in the same transaction as the change that
caused it. When that transaction commits, one delivery task is enqueued so the
email goes out within seconds; a scheduled drain every minute catches whatever
a lost task, a worker restart or a mail server outage left behind.
"""
from __future__ import annotations

from collections.abc import Iterator

from flask import current_app, has_app_context
from huey import crontab
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from core.clock import utcnow
from core.extensions import db
from core.jobs import huey, job, periodic_job
from core.models import OutboxMessage
from trail.outbox import MAX_ATTEMPTS, OUTBOX_QUEUED, deliver_outbox


def drain_outbox() -> tuple[int, int]:
    """Deliver what the outbox holds (sent, failed); nothing to do without a mail server configured.

    Without MAIL_SERVER the mail is only printed to the log (development), so a
    drain would merely count failed attempts against every message.
    """
    if not current_app.config.get("MAIL_SERVER"):
        return 0, 0
    sent, failed = deliver_outbox()
    if sent or failed:
        current_app.logger.info("Outbox drained: sent %d, failed %d (failures stay queued)", sent, failed)
    return sent, failed


@job()
def deliver_outbox_now() -> tuple[int, int]:
    """Enqueued when a transaction that queued mail commits."""
    return drain_outbox()


@periodic_job(crontab(minute="*"))
def drain_outbox_every_minute() -> tuple[int, int]:
    """The safety net: retries what failed and anything whose prompt task was lost."""
    return drain_outbox()


@event.listens_for(Session, "after_commit")
def _enqueue_delivery_after_commit(session: Session) -> None:
    """Ask a worker to deliver as soon as mail is committed (never for a transaction that rolled back).

    Immediate mode (tests) is left alone: delivering inside the commit of the
    change would make every test's commit talk SMTP. If the queue cannot be
    reached the mail is safe in the outbox and the minute's drain sends it.
    """
    if not session.info.pop(OUTBOX_QUEUED, False) or huey.immediate or not has_app_context():
        return
    if not current_app.config.get("MAIL_SERVER"):
        return
    try:
        deliver_outbox_now()
    except Exception as exc:
        current_app.logger.warning("Could not enqueue mail delivery (%s); the scheduled drain will send it", exc)


@event.listens_for(Session, "after_soft_rollback")
def _forget_mail_rolled_back(session: Session, previous_transaction: object) -> None:
    """Mail queued in a transaction that rolled back was never written: nothing to deliver.

    Only the outermost transaction counts: a savepoint rolled back inside it
    may leave earlier mail in place (an extra drain then finds nothing, harmlessly).
    """
    if getattr(previous_transaction, "parent", None) is None:
        session.info.pop(OUTBOX_QUEUED, None)


def backlog_gauges() -> Iterator[GaugeMetricFamily]:
    """The outbox's backlog for /metrics (core.metrics): waiting to be retried, given up, and the oldest's age."""
    retrying = OutboxMessage.attempts < MAX_ATTEMPTS
    waiting, given_up, oldest = db.session.execute(
        select(func.count().filter(retrying), func.count().filter(~retrying),
               func.min(OutboxMessage.created_at).filter(retrying))
        .where(OutboxMessage.sent_at.is_(None))).one()
    backlog = GaugeMetricFamily("commons_outbox_backlog", "Emails in the outbox not yet delivered.", labels=["state"])
    backlog.add_metric(["retrying"], waiting)
    backlog.add_metric(["given_up"], given_up)
    yield backlog
    if oldest is not None:
        yield GaugeMetricFamily("commons_outbox_oldest_seconds", "Age of the oldest email still to deliver.",
                                value=max(0.0, (utcnow() - oldest).total_seconds()))
