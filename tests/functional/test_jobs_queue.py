"""Background work goes through a real queue: Redis (production) and the SQLite file (`make run`).

Each test makes its own app on a scratch database that really commits, points
the shared Huey instance at its queue (a Redis name of its own, or a file in
tmp), and works the queue from a thread with no app context, as the worker
process does.
"""
from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
import redis
from aiosmtpd.controller import Controller
from sqlalchemy import select

from core import jobs
from core.extensions import db
from core.models import OutboxMessage
from tests.conftest import make_test_app
from tests.functional.test_mail_outbox import Inbox, _free_port
from trail.outbox import queue_email

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture(params=["redis", "sqlite"])
def queued_app(request, app, scratch_database_url, smtp, tmp_path):
    """An app whose jobs go to a real queue; the suite's app (and its immediate queue) is put back afterwards."""
    if request.param == "redis":
        try:
            redis.Redis.from_url(REDIS_URL).ping()
        except redis.ConnectionError:
            pytest.fail("the local Redis (127.0.0.1:6379) is not running")
        queue = {"JOBS_URL": REDIS_URL}
    else:
        queue = {"JOBS_URL": None, "JOBS_SQLITE_PATH": str(tmp_path / "jobs.sqlite3")}
    _inbox, port = smtp
    application = make_test_app(scratch_database_url, JOBS_IMMEDIATE=False, JOBS_NAME=f"test_{uuid.uuid4().hex}",
                                MAIL_SERVER="127.0.0.1", MAIL_PORT=port, **queue)
    try:
        assert jobs.backend_name() == request.param
        yield application
    finally:
        jobs.huey.storage.flush_all()
        jobs.configure(app)
        with application.app_context():
            db.engine.dispose()


def _work_one_job() -> None:
    """What the worker process does for one job: dequeue and run it, outside any app context."""
    failures: list[BaseException] = []

    def work() -> None:
        try:
            task = jobs.huey.dequeue()
            assert task is not None, "no job was waiting"
            jobs.huey.execute(task)
        except BaseException as exc:
            failures.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(30)
    assert not failures, failures


def test_committing_queued_mail_enqueues_one_delivery_that_the_worker_sends(queued_app, smtp):
    inbox, _ = smtp
    with queued_app.app_context():
        queue_email("kim@council.example", "Your meeting", "See you on Tuesday")
        assert jobs.queue_depth() == 0, "nothing is enqueued before the commit"
        db.session.commit()
        assert jobs.queue_depth() == 1
    _work_one_job()
    assert [to for _, to, _ in inbox.messages] == [["kim@council.example"]]
    with queued_app.app_context():
        assert jobs.queue_depth() == 0
        message = db.session.scalars(select(OutboxMessage)).one()
        assert message.sent_at is not None and message.attempts == 1


def test_a_rolled_back_change_enqueues_no_delivery(queued_app):
    with queued_app.app_context():
        queue_email("kim@council.example", "Never sent", "Rolled back")
        db.session.rollback()
        db.session.commit()
        assert jobs.queue_depth() == 0
        assert db.session.scalars(select(OutboxMessage)).all() == []


def test_the_scheduler_enqueues_every_periodic_job_on_the_queue(queued_app):
    """The schedule is the code's: one minute's tick enqueues the outbox drain, and the day's jobs at their hour."""
    from datetime import datetime

    names = {task.name for task in jobs.huey.read_periodic(datetime(2026, 12, 3, 6, 30))}
    assert names == {"drain_outbox_every_minute", "send_daily_digests"}
    names = {task.name for task in jobs.huey.read_periodic(datetime(2026, 12, 3, 0, 20))}
    assert names == {"drain_outbox_every_minute", "enter_due_contracts_daily"}
    names = {task.name for task in jobs.huey.read_periodic(datetime(2026, 12, 3, 9, 7))}
    assert names == {"drain_outbox_every_minute", "sign_checkpoint_hourly"}
    for task in jobs.huey.read_periodic(datetime(2026, 12, 3, 9, 7)):
        jobs.huey.enqueue(task)
    with queued_app.app_context():
        assert jobs.queue_depth() == 2


def test_a_long_verification_started_on_the_page_is_walked_by_the_worker(queued_app):
    from core.clock import utcnow
    from trail import jobs as trail_jobs
    from trail.models import VerificationRun
    from trail.verification import start_verification

    with queued_app.app_context():
        run, started = start_verification(None, now=utcnow())
        db.session.commit()
        assert started
        trail_jobs.run_verification(run.id, 2)
        assert db.session.get(VerificationRun, run.id).finished_at is None
        run_id = run.id
    _work_one_job()
    with queued_app.app_context():
        finished = db.session.get(VerificationRun, run_id)
        assert finished.finished_at is not None and finished.status == "intact", finished.status
