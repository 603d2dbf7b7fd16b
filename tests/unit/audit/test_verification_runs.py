"""Verification runs: the auditor page's verification, its progress row, its outcome and its one-at-a-time rule."""
from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from core.clock import utcnow
from trail import triggers, verification
from trail.models import AuditEvent, VerificationRun
from trail.verification import run_verification, start_verification


def _head(db) -> AuditEvent:
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()


def _progress_rows(db, run_id: int) -> tuple[str, int, int]:
    """The run's row as the page would read it: a plain query, not the worker's object."""
    row = db.session.execute(select(VerificationRun.status, VerificationRun.checked, VerificationRun.total)
                             .where(VerificationRun.id == run_id)).one()
    return row.status, row.checked, row.total


def _tamper(db, seq: int) -> None:
    """Change one event's summary without fixing its hash, as direct database access could (rolled back)."""
    for statement in triggers.statements(db.session.get_bind().dialect.name, "down"):
        db.session.execute(text(statement))
    db.session.execute(text("UPDATE audit_event SET summary = 'nothing to see' WHERE seq = :seq"), {"seq": seq})
    db.session.expire_all()


def test_run_commits_progress_after_each_batch_while_it_is_still_running(db, events, user_factory):
    auditor = user_factory("auditor")
    events(9)
    run, started = start_verification(auditor, now=utcnow())
    db.session.commit()
    assert started and run.status == "running" and run.checked == 0
    seen = []
    run_verification(run.id, batch_size=4, progress=lambda _run: seen.append(_progress_rows(db, run.id)))
    total = run.total
    assert len(seen) == -(-total // 4)  # one progress row per batch
    assert seen[0] == ("running", 4, total)
    assert [checked for _status, checked, _total in seen] == sorted(checked for _s, checked, _t in seen)
    assert all(status == "running" and checked < total for status, checked, _total in seen[:-1])
    assert _progress_rows(db, run.id) == ("intact", total, total)


def test_finished_run_reports_count_head_and_is_audited_as_the_auditor_who_started_it(db, events, user_factory):
    auditor = user_factory("auditor")
    events(5)
    head = _head(db)
    run, _started = start_verification(auditor, now=utcnow())
    db.session.commit()
    finished = run_verification(run.id, batch_size=2)
    assert finished.status == "intact" and finished.running_slot is None and finished.finished_at is not None
    assert (finished.checked, finished.head_seq, finished.head_hash) == (head.seq, head.seq, head.hash)
    recorded = db.session.get(AuditEvent, finished.event_seq)
    assert recorded.action == "audit.chain_verified" and recorded.actor_user_id == auditor.id
    assert json.loads(recorded.payload)["count"] == head.seq


@pytest.mark.database_owner
def test_run_of_a_tampered_chain_names_the_first_broken_link(db, events, user_factory):
    auditor = user_factory("auditor")
    seqs = [event.seq for event in events(6)]
    run, _started = start_verification(auditor, now=utcnow())
    db.session.commit()
    _tamper(db, seqs[3])
    finished = run_verification(run.id, batch_size=2)
    assert finished.status == "broken"
    assert finished.first_bad_seq == seqs[3]
    assert finished.checked == seqs[3] - 1
    assert finished.problem == "its contents do not match its hash"
    recorded = db.session.get(AuditEvent, finished.event_seq)
    assert recorded.summary == f"Chain verified: {seqs[3] - 1} events, broken at event {seqs[3]}"


def test_run_checks_the_chain_as_it_was_when_started(db, events, user_factory):
    auditor = user_factory("auditor")
    events(3)
    head = _head(db)
    run, _started = start_verification(auditor, now=utcnow())
    db.session.commit()
    events(4)  # written while the run waits for its worker
    finished = run_verification(run.id, batch_size=2)
    assert finished.up_to_seq == head.seq
    assert (finished.checked, finished.head_seq) == (head.seq, head.seq)


def test_a_second_start_while_one_runs_reuses_it(db, events, user_factory):
    first, second = user_factory("auditor"), user_factory("admin")
    events(3)
    run, started = start_verification(first, now=utcnow())
    db.session.commit()
    again, started_again = start_verification(second, now=utcnow() + timedelta(seconds=30))
    assert started and not started_again
    assert again.id == run.id and again.started_by_user_id == first.id
    assert db.session.scalar(select(func.count()).select_from(VerificationRun)
                             .where(VerificationRun.status == "running")) == 1


def test_a_start_after_the_run_finished_makes_a_new_run(db, events, user_factory):
    auditor = user_factory("auditor")
    events(2)
    run, _started = start_verification(auditor, now=utcnow())
    db.session.commit()
    run_verification(run.id, batch_size=10)
    later, started = start_verification(auditor, now=utcnow())
    assert started and later.id != run.id


def test_a_run_whose_worker_died_is_abandoned_and_replaced(db, events, user_factory):
    auditor = user_factory("auditor")
    events(2)
    now = utcnow()
    stuck, _started = start_verification(auditor, now=now)
    db.session.commit()
    assert not verification.is_stale(stuck, now + verification.VERIFICATION_STALE_AFTER)
    later = now + verification.VERIFICATION_STALE_AFTER + timedelta(seconds=1)
    assert verification.is_stale(stuck, later)
    fresh, started = start_verification(auditor, now=later)
    db.session.commit()
    assert started and fresh.id != stuck.id
    db.session.refresh(stuck)
    assert stuck.status == "abandoned" and stuck.running_slot is None
    assert "stopped reporting progress" in stuck.problem
    # The dead worker, if it ever wakes, must not overwrite the verdict of the run that replaced it.
    assert run_verification(stuck.id, batch_size=10).status == "abandoned"


def test_the_database_refuses_a_second_running_row(db, user_factory):
    now = utcnow()

    def running() -> VerificationRun:
        return VerificationRun(started_by_label="test", started_at=now, heartbeat_at=now, status="running",
                               running_slot=1, up_to_seq=0, total=0, checked=0)

    db.session.add(running())
    db.session.flush()
    savepoint = db.session.begin_nested()
    db.session.add(running())
    with pytest.raises(IntegrityError):
        db.session.flush()
    savepoint.rollback()


def test_an_empty_trail_verifies_as_empty(db):
    run, _started = start_verification(None, now=utcnow())
    assert run.total == 0 and run.up_to_seq == 0
    finished = run_verification(run.id, batch_size=10)
    assert finished.status == "intact" and finished.started_by_label == "system"


def _starter(app, barrier: threading.Barrier, results: list, errors: list) -> None:
    """One worker: its own app context, so its own session and connection."""
    from core.extensions import db

    try:
        with app.app_context():
            barrier.wait(timeout=30)
            run, started = start_verification(None, now=utcnow())
            db.session.commit()
            results.append((run.id, started))
            db.session.remove()
    except Exception as exc:
        errors.append(exc)


def test_concurrent_starts_share_one_run(scratch_database_url):
    """Several workers pressing start at the same moment, each in its own transaction on a real database."""
    from core.extensions import db
    from tests.conftest import make_test_app

    app = make_test_app(scratch_database_url)
    starters = 4
    barrier, results, errors = threading.Barrier(starters), [], []
    threads = [threading.Thread(target=_starter, args=(app, barrier, results, errors)) for _ in range(starters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with app.app_context():
        db.engine.dispose()
    assert not errors, errors
    assert len({run_id for run_id, _started in results}) == 1
    assert sorted(started for _run_id, started in results) == [False] * (starters - 1) + [True]


def test_a_batch_size_below_one_is_refused_rather_than_reporting_an_empty_chain_intact(db, events):
    events(2)
    with pytest.raises(ValueError, match="at least 1"):
        verification.verify_chain(batch_size=0)
    run, _started = start_verification(None, now=utcnow())
    db.session.commit()
    finished = run_verification(run.id, batch_size=0)
    assert finished.status == "failed" and finished.running_slot is None
    assert "stopped with an error (ValueError) after 0 of" in finished.problem
    assert not db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "audit.chain_verified"))
