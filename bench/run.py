"""`make bench`: measure, then write bench/RESULTS.md with the figures and the machine.

Benchmarks are never timed assertions in tests: they report, and RESULTS.md
says plainly where a target is missed and why.
"""
from __future__ import annotations

import argparse
import datetime
import json

from common import ROOT, fresh_database, git_revision, machine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per page")
    parser.add_argument("--verify-events", type=int, default=100_000)
    parser.add_argument("--appends", type=int, default=400, help="events per writer")
    args = parser.parse_args()

    import audit_bench
    import http_bench

    report: dict = {"when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                    "machine": machine(), "revision": git_revision(), "databases": {}}
    for kind in args.databases.split(","):
        section: dict = {}
        print(f"[{kind}] audit appends")
        section["appends"] = [audit_bench.appends_per_second(kind, writers, args.appends if writers == 1
                                                             else args.appends // 4) for writers in (1, 4)]
        print(f"[{kind}] verification speed")
        section["verification"] = audit_bench.verification_speed(kind, args.verify_events)
        print(f"[{kind}] pages under load")
        url = fresh_database(kind, "cc_bench_http")
        from tests.conftest import make_test_app

        app = make_test_app(url)
        with app.app_context():
            from core.demo import load_demo
            from core.extensions import db

            load_demo()
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
        with http_bench.Gunicorn(url) as server:
            section["pages"] = http_bench.measure_pages(server.url, {
                "home page": "/",
                "organisations list": "/organisations",
            }, seconds=args.seconds)
        report["databases"][kind] = section
    (ROOT / "bench" / "results.json").write_text(json.dumps(report, indent=2))
    write_markdown(report)
    print((ROOT / "bench" / "RESULTS.md").read_text())


def write_markdown(report: dict) -> None:
    lines = ["# Benchmark results", "",
             f"Run {report['when']} at revision {report['revision']} on {report['machine']}.",
             "Load: wrk, 2 threads, 16 connections, from loopback against gunicorn with 4 workers.", ""]
    for kind, section in report["databases"].items():
        lines += [f"## {kind}", "", "### Pages (requests/s and latency, ratio to the bare /healthz route)", "",
                  "| page | req/s | ratio to /healthz | p50 ms | p99 ms | non-2xx |", "|---|---|---|---|---|---|"]
        for page, r in section["pages"].items():
            lines.append(f"| {page} | {r['rps']:.0f} | {r['ratio']:.2f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} "
                         f"| {r['non_2xx']} |")
        lines += ["", "### Audit appends", "", "| writers | events | events/s | chain verifies after |", "|---|---|---|---|"]
        for a in section["appends"]:
            lines.append(f"| {a['writers']} | {a['events']} | {a['per_second']:.0f} | "
                         f"{'yes' if a['chain_ok'] and a['all_writers_ok'] else 'NO'} |")
        v = section["verification"]
        lines += ["", "### Verification", "",
                  f"{v['events']} events ({v['bytes'] / 1e6:.1f} MB of canonical encodings): verification took "
                  f"{v['verify_seconds']:.2f} s, raw SHA-256 over the same bytes {v['raw_sha256_seconds']:.3f} s, "
                  f"so verification runs at **{v['fraction_of_raw'] * 100:.1f}%** of raw SHA-256 speed "
                  f"({v['events'] / v['verify_seconds']:.0f} events/s). Chain verified: {'yes' if v['ok'] else 'NO'}.",
                  ""]
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
