"""Audit trail speed: appends per second (1 and 4 writers) and verification against raw SHA-256."""
from __future__ import annotations

import hashlib
import multiprocessing
import time

from common import fresh_database


def _writer(url: str, count: int, barrier) -> None:
    import trail
    from core.extensions import db
    from tests.conftest import make_test_app
    from trail.actions import register

    register("Benchmarks", {"bench.append": "A benchmark's own event"})
    app = make_test_app(url)
    with app.app_context():
        barrier.wait(timeout=120)
        for i in range(count):
            trail.record("bench.append", summary=f"event {i}", payload={"i": i, "text": "x" * 200})
            db.session.commit()
        db.engine.dispose()


def appends_per_second(kind: str, writers: int, per_writer: int) -> dict:
    url = fresh_database(kind, f"cc_bench_audit_{writers}")
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(writers + 1)
    procs = [context.Process(target=_writer, args=(url, per_writer, barrier)) for _ in range(writers)]
    for proc in procs:
        proc.start()
    barrier.wait(timeout=120)
    started = time.perf_counter()
    for proc in procs:
        proc.join()
    elapsed = time.perf_counter() - started
    ok = all(proc.exitcode == 0 for proc in procs)

    from core.extensions import db
    from tests.conftest import make_test_app
    from trail.verification import verify_chain

    app = make_test_app(url)
    with app.app_context():
        result = verify_chain()
        db.session.remove()
        db.engine.dispose()
    total = writers * per_writer
    return {"writers": writers, "events": total, "seconds": elapsed, "per_second": total / elapsed,
            "all_writers_ok": ok, "chain_ok": result.ok and result.count == total}


def verification_speed(kind: str, events: int) -> dict:
    """Verification walks the database; the baseline hashes the same canonical bytes in a tight loop."""
    from types import SimpleNamespace

    from sqlalchemy import insert

    from core.clock import utcnow
    from core.extensions import db
    from tests.conftest import make_test_app
    from trail.chain import GENESIS_HASH, canonical_json, event_fields, sha256_hex
    from trail.models import AuditEvent
    from trail.verification import verify_chain

    url = fresh_database(kind, "cc_bench_verify")
    app = make_test_app(url)
    payload = canonical_json({"text": "y" * 200})
    payload_hash = sha256_hex(payload)
    rows, blobs, prev = [], [], GENESIS_HASH
    for seq in range(1, events + 1):
        row = SimpleNamespace(seq=seq, occurred_at=utcnow(), actor_user_id=None, actor_org_id=None, actor_role=None,
                              actor_label="system", action="bench.verify", subject_type=None, subject_id=None,
                              procurement_id=None, audience="auditors", summary=f"event {seq}",
                              payload_hash=payload_hash, prev_hash=prev)
        encoded = canonical_json(event_fields(row))
        row.hash = prev = sha256_hex(encoded)
        rows.append({**vars(row), "payload": payload})
        blobs.append(encoded.encode() + payload.encode())  # the bytes verification must hash
    with app.app_context():
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(AuditEvent), rows[start:start + 5000])
        db.session.commit()

        started = time.perf_counter()
        for blob in blobs:
            hashlib.sha256(blob).hexdigest()
        raw = time.perf_counter() - started

        started = time.perf_counter()
        result = verify_chain(batch_size=5000)
        verify = time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    return {"events": events, "bytes": sum(len(b) for b in blobs), "raw_sha256_seconds": raw,
            "verify_seconds": verify, "fraction_of_raw": raw / verify, "ok": result.ok and result.count == events}
