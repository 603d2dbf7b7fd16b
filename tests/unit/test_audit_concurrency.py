"""Concurrent writers never fork the chain.

Several OS processes (as gunicorn workers would be) append to the same trail at
once, each in its own transactions, against a real database; afterwards the
chain verifies and holds every event exactly once.
"""
from __future__ import annotations

import multiprocessing

WRITERS = 4
EVENTS_EACH = 40


def _writer(url: str, writer: int, barrier) -> None:
    import trail
    from core.extensions import db
    from tests.conftest import make_test_app

    app = make_test_app(url)
    with app.app_context():
        barrier.wait(timeout=60)
        for i in range(EVENTS_EACH):
            trail.record("test.concurrent", summary=f"writer {writer} event {i}", payload={"writer": writer, "i": i})
            db.session.commit()
        db.engine.dispose()


def test_concurrent_processes_append_without_forking_the_chain(scratch_database_url):
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WRITERS)
    workers = [context.Process(target=_writer, args=(scratch_database_url, n, barrier)) for n in range(WRITERS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=180)
    assert [worker.exitcode for worker in workers] == [0] * WRITERS

    from sqlalchemy import func, select

    from core.extensions import db
    from tests.conftest import make_test_app
    from trail.models import AuditEvent
    from trail.verification import verify_chain

    app = make_test_app(scratch_database_url)
    with app.app_context():
        result = verify_chain()
        assert result.ok, result.problem
        count = db.session.scalar(select(func.count()).select_from(AuditEvent)
                                  .where(AuditEvent.action == "test.concurrent"))
        assert count == WRITERS * EVENTS_EACH
        writers_seen = {row for row in db.session.scalars(select(AuditEvent.summary)
                                                         .where(AuditEvent.action == "test.concurrent"))}
        assert len(writers_seen) == WRITERS * EVENTS_EACH
        db.session.remove()
        db.engine.dispose()
