"""`flask bench-data` stays correct: the counts it promises, a chain that verifies, a search that finds.

The benchmarks trust this command's output (bench/run.py loads the pages its
manifest names), so a tiny scale runs here on every `make test`. Nothing is
timed: speed is reported by `make bench`, never asserted.
"""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from demo.bench_data import COMMON_TERM, LONG_THREAD_POSTS, RARE_TERM, Plan
from forum import search
from forum.models import Forum, Post, PostRevision, Thread
from tenders.models import Procurement
from trail.models import AuditEvent
from trail.verification import verify_chain

SCALE = 0.0005


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_bench_data_builds_what_it_promises(db, runner, tmp_path: Path) -> None:
    from demo.load import load_demo

    load_demo()  # the command loads it when absent; loading it first lets us count only the bulk rows
    db.session.commit()
    models = (Forum, Thread, Post, PostRevision, Procurement, AuditEvent)
    before = {model: _count(db, model) for model in models}
    manifest = tmp_path / "bench.json"

    result = runner.invoke(args=["bench-data", "--scale", str(SCALE), "--manifest", str(manifest)])

    assert result.exit_code == 0, result.output
    plan = Plan.at(SCALE)
    added = {model: _count(db, model) - before[model] for model in models}
    assert added[Forum] == plan.forums
    assert added[Thread] == plan.threads
    assert added[Post] == plan.posts
    assert added[PostRevision] == plan.posts  # every post has its first revision, as the services write
    assert added[Procurement] == plan.procurements
    assert added[AuditEvent] == plan.audit_events

    data = json.loads(manifest.read_text())
    assert data["counts"]["posts"] == plan.posts
    assert (data["common_term"], data["rare_term"]) == (COMMON_TERM, RARE_TERM)

    # The chain continues from the demo's head and every hash is real.
    verification = verify_chain()
    assert verification.ok, verification.problem
    assert verification.count == before[AuditEvent] + plan.audit_events

    # Search finds the rare term in exactly the posts the manifest says, and the common one in many.
    rare = search.search(RARE_TERM)
    rare_hits, rare_total = rare.hits, rare.total
    assert rare_total == data["rare_posts"] >= 1
    assert all(hit.kind == "post" for hit in rare_hits)
    common = search.search(COMMON_TERM)
    assert common.total > 5 * rare_total  # results are one per thread, and the common word's posts share threads

    # The pages the benchmark loads exist, and the long thread really has 50 posts.
    thread_id = int(data["pages"]["50-post thread"].rsplit("/", 1)[1])
    assert db.session.scalar(select(func.count()).where(Post.thread_id == thread_id)) == LONG_THREAD_POSTS
    assert db.session.get(Thread, thread_id).post_count == LONG_THREAD_POSTS


def test_bench_data_pages_answer(db, runner, client, tmp_path: Path) -> None:
    manifest = tmp_path / "bench.json"
    result = runner.invoke(args=["bench-data", "--scale", str(SCALE), "--manifest", str(manifest)])
    assert result.exit_code == 0, result.output
    for label, path in json.loads(manifest.read_text())["pages"].items():
        assert client.get(path).status_code == 200, label
