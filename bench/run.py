"""`make bench`: measure, then write bench/RESULTS.md with the figures and the machine.

Benchmarks are never timed assertions in tests: they report, and RESULTS.md
says plainly where a target is missed and why.

Per database (SQLite, then PostgreSQL; each in its own cc_bench_* database that
common.fresh_database creates, never the shared "test" one):
  * audit appends with 1 and 4 writers, and verification against raw SHA-256;
  * `flask bench-data --scale S` (default 0.02 so the whole run takes minutes on
    2 cores), then gunicorn + wrk (16 connections, loopback) over the pages the
    issue names, each as a ratio to /healthz measured in the same run, plus an
    unloaded (1 connection) p95 for search;
  * SQL queries per page and the OCDS export (time, peak RSS) at the main scale
    and at a smaller one (--small-scale, default S/4), to show what grows.

The full-size run of the issue (1,000,000 posts) is
    .venv/bin/python bench/run.py --scale 1.0
which needs roughly 3 GB of disk per database and, on 2 cores, most of an hour per database
(bench-data alone writes about 1,200 posts a second on SQLite here).
"""
from __future__ import annotations

import argparse
import datetime
import json
import math

from common import ROOT, fresh_database, git_revision, machine

TARGETS = {"thread_ratio": 0.20, "thread_p99_ms": 50.0, "search_p95_ms": 50.0, "verify_fraction": 0.50}
SEARCH_PAGES = ("search (common term)", "search (rare term)")
RENDERED_THREAD = "50-post thread, rendered (sent with a cookie, so not from the page cache)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--scale", type=float, default=0.02, help="bench-data scale for the pages (1.0 = 1M posts)")
    parser.add_argument("--small-scale", type=float, default=None,
                        help="second data size for queries per page and the export (default: scale / 4)")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per page")
    parser.add_argument("--verify-events", type=int, default=100_000)
    parser.add_argument("--appends", type=int, default=400, help="events per writer")
    parser.add_argument("--render-only", action="store_true",
                        help="measure nothing: rewrite RESULTS.md from the last run's bench/results.json")
    args = parser.parse_args()
    if args.render_only:
        write_markdown(json.loads((ROOT / "bench" / "results.json").read_text()))
        return
    small_scale = args.small_scale or max(args.scale / 4, 0.0005)

    import audit_bench
    import data_bench
    import http_bench

    report: dict = {"when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                    "machine": machine(), "revision": git_revision(), "scale": args.scale,
                    "small_scale": small_scale, "seconds": args.seconds, "databases": {}}
    manifests = ROOT / "instance" / "bench"
    for kind in args.databases.split(","):
        section: dict = {}
        print(f"[{kind}] audit appends", flush=True)
        section["appends"] = [audit_bench.appends_per_second(kind, writers, args.appends if writers == 1
                                                             else args.appends // 4) for writers in (1, 4)]
        print(f"[{kind}] verification speed", flush=True)
        section["verification"] = audit_bench.verification_speed(kind, args.verify_events)

        print(f"[{kind}] bench-data at scale {small_scale} (the smaller size)", flush=True)
        small_url = fresh_database(kind, "cc_bench_small")
        small = data_bench.build_data(small_url, small_scale, manifests / f"{kind}-small.json")
        small_queries = data_bench.queries_per_page(small_url, small["pages"])
        small_export = data_bench.ocds_export(small_url)

        print(f"[{kind}] bench-data at scale {args.scale}", flush=True)
        url = fresh_database(kind, "cc_bench_http")
        data = data_bench.build_data(url, args.scale, manifests / f"{kind}.json")
        section["data"] = {"small": small, "main": data}
        print(f"[{kind}] built {data['counts']} in {data['build_seconds']:.0f} s", flush=True)
        queries = data_bench.queries_per_page(url, data["pages"])
        section["queries"] = {label: {"small": small_queries[label], "main": queries[label]} for label in queries}
        print(f"[{kind}] OCDS export", flush=True)
        section["ocds"] = {"small": small_export, "main": data_bench.ocds_export(url)}

        print(f"[{kind}] pages under load", flush=True)
        with http_bench.Gunicorn(url) as server:
            section["pages"] = http_bench.measure_pages(server.url, {
                "home page": "/", "organisations list": "/organisations", **data["pages"]}, seconds=args.seconds,
                rendered={RENDERED_THREAD: data["pages"]["50-post thread"]})
            section["search_unloaded"] = {label: http_bench.wrk(server.url + data["pages"][label], connections=1,
                                                                threads=1, seconds=max(args.seconds // 2, 3))
                                          for label in SEARCH_PAGES}
        report["databases"][kind] = section
        (ROOT / "bench" / "results.json").write_text(json.dumps(report, indent=2, default=str))
    write_markdown(report)
    print((ROOT / "bench" / "RESULTS.md").read_text())


def _yes(flag: bool) -> str:
    return "**hit**" if flag else "**missed**"


def targets(kind: str, section: dict, scale: float) -> list[str]:
    """One line per target: hit or missed, with the figure and, where missed, why."""
    lines = []
    pages = section.get("pages", {})
    thread = pages.get("50-post thread")
    at = f"at scale {scale:g} ({section['data']['main']['counts']['posts']:,} posts)" if "data" in section else ""
    if thread:
        ok = thread["ratio"] >= TARGETS["thread_ratio"] and thread["p99_ms"] < TARGETS["thread_p99_ms"]
        why = (" Readers who are not signed in, as wrk is, are served the thread whole from core.page_cache "
               "(keyed on the audit head, so any recorded change retires it).")
        rendered = pages.get(RENDERED_THREAD)
        if rendered:
            why += (f" Rendered afresh, as for anyone signed in, it runs at {rendered['ratio'] * 100:.0f}% with p99 "
                    f"{rendered['p99_ms']:.0f} ms: 25 posts through the ORM and Jinja plus the layout, in Python, on "
                    "2 cores shared by 4 gunicorn workers and wrk itself.")
        if not ok:
            why += (" p99 under 16 connections is dominated by queueing (16 connections on 4 workers means up to "
                    "4 requests waiting behind each one).")
            bare = pages.get("/healthz")
            if bare:
                why += (f" The bare /healthz route itself had p95 {bare['p95_ms']:.0f} ms and p99 "
                        f"{bare['p99_ms']:.0f} ms in this run; the thread's p95 was {thread['p95_ms']:.0f} ms.")
        lines.append(f"- 50-post thread ≥ 20% of /healthz throughput with p99 < 50 ms: {_yes(ok)} "
                     f"({thread['ratio'] * 100:.0f}%, p99 {thread['p99_ms']:.0f} ms) {at}.{why}")
    search = section.get("search_unloaded", {})
    if search:
        worst = max(r["p95_ms"] for r in search.values())
        ok = worst < TARGETS["search_p95_ms"]
        loaded = max(pages[label]["p95_ms"] for label in SEARCH_PAGES if label in pages)
        why = ""
        slow = [label for label, r in search.items() if r["p95_ms"] >= TARGETS["search_p95_ms"]]
        if any("common" in label for label in slow):
            why += (" Why (common term): the term matches most posts; past forum.search.RANK_LIMIT matches the "
                    "search counts no further and lists the newest first, so what remains is the page itself.")
        if any("rare" in label for label in slow):
            why += (" Why (rare term): only a handful of rows match, so the index lookup is not the cost; the "
                    "rest is the page itself (Python, template, database round trips) on a busy 2-core machine.")
        full = "" if scale >= 1 else " Not measured at 1M posts on this run (see the scale above)."
        lines.append(f"- Search p95 < 50 ms: {_yes(ok)} (worst unloaded p95 {worst:.1f} ms; under 16 "
                     f"connections p95 {loaded:.0f} ms) {at}.{why}{full}")
    v = section["verification"]
    ok = v["fraction_of_raw"] >= TARGETS["verify_fraction"]
    why = "" if ok else (
        " Why: per event, verification reads a row from the database, rebuilds its canonical JSON and hashes the "
        "payload and the event in Python (about 15 µs of interpreter work for 640 bytes); raw SHA-256 over bytes "
        "already in memory is C at about 1 GB/s. The row read and the encoding, not the hashing, are the cost, and "
        "no Python loop over rows reaches half of memory-speed hashing. Reaching it would mean moving the walk "
        "into C or into the database itself.")
    lines.append(f"- Verification ≥ 50% of raw SHA-256 speed: {_yes(ok)} ({v['fraction_of_raw'] * 100:.1f}%).{why}")
    ocds = section.get("ocds")
    if ocds:
        small, main = ocds["small"], ocds["main"]
        grew = main["peak_rss_mb"] - small["peak_rss_mb"]
        ok = grew < max(0.1 * small["peak_rss_mb"], 10)
        lines.append(f"- OCDS export memory flat in the number of procurements: {_yes(ok)} "
                     f"({small['releases']} → {main['releases']} releases: peak RSS {small['peak_rss_mb']:.0f} → "
                     f"{main['peak_rss_mb']:.0f} MB).")
    queries = section.get("queries")
    if queries:
        grown = [label for label, q in queries.items() if q["main"] > q["small"]]
        lines.append(f"- SQL queries per page do not grow with data size: {_yes(not grown)}"
                     + (f" (grew: {', '.join(grown)})." if grown else "."))
    return lines


def write_markdown(report: dict) -> None:
    scale = report.get("scale", 0)
    lines = ["# Benchmark results", "",
             f"Run {report['when']} at revision {report['revision']} on {report['machine']}.",
             f"Data: `flask bench-data --scale {scale:g}` (1.0 = 500 forums, 50,000 threads, 1,000,000 posts, "
             "5,000 procurements, 1,000,000 audit events); a second data set at scale "
             f"{report.get('small_scale', 0):g} for queries per page and the export.",
             f"Load: wrk, 2 threads, 16 connections, {report.get('seconds', 10)} s per page, from loopback against "
             "gunicorn with 4 workers.", ""]
    if scale < 1:
        lines += [f"**Scale note:** this run used scale {scale:g}, not the 1,000,000 posts the targets are set "
                  "at, so that `make bench` finishes in minutes on this machine. The full run is "
                  "`.venv/bin/python bench/run.py --scale 1.0` (or `make bench BENCH_ARGS='--scale 1.0'`).", ""]
    for kind, section in report["databases"].items():
        lines += [f"## {kind}", ""]
        if "data" in section:
            main = section["data"]["main"]
            c = main["counts"]
            lines += [f"Data at scale {main['scale']:g}: {c['forums']:,} forums, {c['threads']:,} threads, "
                      f"{c['posts']:,} posts, {c['procurements']:,} procurements, {c['audit_events']:,} audit "
                      f"events, built in {main['build_seconds']:.0f} s (demo load included). Search terms: "
                      f"common “{main['common_term']}”, rare “{main['rare_term']}” ({main['rare_posts']} posts).", ""]
        lines += ["### Targets", ""] + targets(kind, section, scale) + [""]
        lines += ["### Pages (requests/s and latency, ratio to the bare /healthz route)", "",
                  "| page | path | req/s | ratio to /healthz | p50 ms | p95 ms | p99 ms | non-2xx |",
                  "|---|---|---|---|---|---|---|---|"]
        paths = {"/healthz": "/healthz", "home page": "/", "organisations list": "/organisations",
                 **section.get("data", {}).get("main", {}).get("pages", {})}
        paths[RENDERED_THREAD] = paths.get("50-post thread", "")
        for page, r in section["pages"].items():
            p95 = r.get("p95_ms", math.nan)
            lines.append(f"| {page} | `{paths.get(page, '')}` | {r['rps']:.0f} | {r['ratio']:.2f} | {r['p50_ms']:.1f} "
                         f"| {p95:.1f} | {r['p99_ms']:.1f} | {r['non_2xx']} |")
        lines += ["", "The 50-post thread page shows the thread's first page: 25 posts (forum.queries.POSTS_PER_PAGE). "
                      "wrk sends no cookie, so the forum listing, forum, thread and feed pages come from the page "
                      "cache (core.page_cache) as they would for a reader who is not signed in; the “rendered” row "
                      "sends a cookie and shows the cost of building the page. "
                      "Latencies here include queueing: 16 connections share 4 workers on 2 cores with wrk."]
        if section.get("search_unloaded"):
            lines += ["", "### Search latency, one connection (no queueing; the search target is judged on this)", "",
                      "| search | req/s | p50 ms | p95 ms | p99 ms |", "|---|---|---|---|---|"]
            for label, r in section["search_unloaded"].items():
                lines.append(f"| {label} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} "
                             f"| {r['p99_ms']:.1f} |")
        if section.get("queries"):
            small_posts = section["data"]["small"]["counts"]["posts"]
            main_posts = section["data"]["main"]["counts"]["posts"]
            lines += ["", "### SQL queries per page (one anonymous request, after a warm-up, page cache off)", "",
                      f"| page | at {small_posts:,} posts | at {main_posts:,} posts | grows? |", "|---|---|---|---|"]
            for label, q in section["queries"].items():
                lines.append(f"| {label} | {q['small']} | {q['main']} | {'YES' if q['main'] > q['small'] else 'no'} |")
        if section.get("ocds"):
            lines += ["", "### OCDS export (`flask export ocds --output FILE`, every published procurement)", "",
                      "| procurements (releases) | seconds | peak RSS MB | output MB |", "|---|---|---|---|"]
            for size in ("small", "main"):
                o = section["ocds"][size]
                procs = section["data"][size]["counts"]["procurements"]
                lines.append(f"| {procs:,} ({o['releases']:,}) | {o['seconds']:.2f} | {o['peak_rss_mb']:.0f} | "
                             f"{o['bytes'] / 1e6:.2f} |")
            lines += ["", "Peak RSS is the exporting process's own high-water mark (VmHWM), Python and the app "
                          "included (about 140 MB before any procurement is read): the part that matters is whether "
                          "it grows with the number of procurements."]
        lines += ["", "### Audit appends", "", "| writers | events | events/s | chain verifies after |",
                  "|---|---|---|---|"]
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
