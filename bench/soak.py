"""`make soak`: many simulated people on gunicorn + PostgreSQL for a while; then check nothing broke.

Not part of `make test`: it takes ten minutes and most of the machine. Steps:
  1. a fresh scratch PostgreSQL database (cc_soak, never the shared "test" one),
     migrated with `flask db upgrade heads`, loaded with `flask seed-demo` and a
     modest `flask bench-data --scale S` (default 0.005: 5,000 posts);
  2. gunicorn with --workers W (default 4) on loopback;
  3. locust, headless, --users U (default 100) for --minutes M (default 10),
     with the visitors in bench/soak_locustfile.py (anonymous readers, providers
     posting and registering for meetings, two commissioners signing in with TOTP);
  4. `flask audit verify` over the whole trail afterwards.
It writes the figures (per page: requests, failures, 5xx, p50/p95/p99 ms) with
the date and the machine into bench/SOAK.md, in a section named by --label, and
exits 1 on any 5xx, any failed request, a gunicorn traceback, or a broken chain.

    make soak                                      # the full run: 100 users, 10 minutes
    make soak SOAK_ARGS='--users 20 --minutes 1'   # a short check
"""
from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from common import ROOT, git_revision, machine

ADMIN_URL = os.environ.get("SOAK_PG_URL", "postgresql+psycopg://root@127.0.0.1:5432/postgres")
RESULTS = ROOT / "bench" / "SOAK.md"
WORK = ROOT / "instance" / "soak"


def _flask(env: dict, *args: str, timeout: float = 3600) -> str:
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def fresh_database(name: str) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    if name == "test":
        raise SystemExit("refusing to use the shared 'test' database")
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def _serve(env: dict, workers: int, port: int, log: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
                             "--timeout", "60", "--log-level", "warning", "wsgi:app"],
                            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).read()
            return proc
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"gunicorn did not start:\n{log.read_text()[-3000:]}")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (what a person waiting saw), 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summarise(tally: dict, seconds: float) -> tuple[list[dict], dict]:
    """Per page and overall: requests, failures, 5xx, p50/p95/p99/max ms."""
    def row(name: str, statuses: dict, ms: list[float], failures: int) -> dict:
        return {"page": name, "requests": len(ms), "failures": failures,
                "five_xx": sum(n for status, n in statuses.items() if int(status) >= 500),
                "p50": percentile(ms, 50), "p95": percentile(ms, 95), "p99": percentile(ms, 99),
                "max": max(ms, default=0.0)}

    rows = [row(name, page["status"], page["ms"], page["failures"]) for name, page in sorted(tally["pages"].items())]
    every = [ms for page in tally["pages"].values() for ms in page["ms"]]
    statuses: dict[str, int] = {}
    for page in tally["pages"].values():
        for status, n in page["status"].items():
            statuses[status] = statuses.get(status, 0) + n
    total = row("all", statuses, every, sum(page["failures"] for page in tally["pages"].values()))
    total["rps"] = len(every) / seconds if seconds else 0.0
    total["statuses"] = dict(sorted(statuses.items()))
    return rows, total


def write_results(label: str, run: dict) -> None:
    """Replace (or add) this label's section of bench/SOAK.md; other sections stay."""
    total = run["total"]
    lines = [f"<!-- soak:{label} -->", f"## {label}", "",
             f"- When: {run['when']} (revision {run['revision']})",
             f"- Machine: {run['machine']}",
             f"- Load: {run['users']} simulated people (spawn rate {run['spawn_rate']:g}/s) for {run['minutes']:g} "
             f"minute(s); gunicorn {run['workers']} sync workers; PostgreSQL {run['pg_version']}; "
             f"seed-demo + bench-data scale {run['scale']:g} ({run['counts']})",
             f"- Requests: {total['requests']} ({total['rps']:.1f}/s), failed: {total['failures']}, "
             f"5xx: {total['five_xx']}; statuses {total['statuses']}",
             f"- Latency over all requests (ms): p50 {total['p50']:.0f}, p95 {total['p95']:.0f}, "
             f"p99 {total['p99']:.0f}, max {total['max']:.0f}",
             f"- Tracebacks in the gunicorn log: {run['tracebacks']}",
             f"- `flask audit verify` afterwards: {run['audit']}",
             f"- Verdict: **{'PASS' if run['ok'] else 'FAIL'}**" + ("" if run["ok"] else f" ({run['why']})"),
             "", "| page | requests | failures | 5xx | p50 ms | p95 ms | p99 ms | max ms |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for row in run["rows"]:
        lines.append(f"| `{row['page']}` | {row['requests']} | {row['failures']} | {row['five_xx']} | {row['p50']:.0f} | "
                     f"{row['p95']:.0f} | {row['p99']:.0f} | {row['max']:.0f} |")
    if run["failures"]:
        lines += ["", "Failures:", ""] + [f"- {f}" for f in run["failures"][:20]]
    lines += [f"<!-- /soak:{label} -->"]
    section = "\n".join(lines)

    text = RESULTS.read_text() if RESULTS.exists() else (
        "# Soak test results\n\n`make soak` (bench/soak.py) writes this file: one section per run label, the newest "
        "run of a label replacing the older one. See README (\"Soak test\") for what it does.\n")
    pattern = re.compile(rf"<!-- soak:{re.escape(label)} -->.*?<!-- /soak:{re.escape(label)} -->", re.S)
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section + "\n"
    RESULTS.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--spawn-rate", type=float, default=None, help="people started per second (default users/30)")
    parser.add_argument("--scale", type=float, default=0.005, help="bench-data scale (1.0 = 1M posts)")
    parser.add_argument("--database", default="cc_soak", help="scratch PostgreSQL database, dropped and recreated")
    parser.add_argument("--port", type=int, default=5077)
    parser.add_argument("--label", default=None, help="section of SOAK.md (default: 'Full run' for the defaults, "
                                                      "else 'Short run')")
    args = parser.parse_args()
    spawn_rate = args.spawn_rate or max(args.users / 30, 1)
    full = (args.users, args.minutes, args.workers) == (100, 10, 4)
    label = args.label or ("Full run" if full else "Short run")
    WORK.mkdir(parents=True, exist_ok=True)

    url = fresh_database(args.database)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MAIL_", "TEST_DATABASE"))}
    env.update(DATABASE_URL=url, SECRET_KEY="soak-secret", APP_ENV="development",
               SIGNIN_RATE_LIMIT="100000 per minute", AUDIT_SIGNING_KEY_PATH=str(WORK / "audit-signing-key.pem"))
    print(f"[soak] migrating {args.database}", flush=True)
    _flask(env, "db", "upgrade", "heads")
    print("[soak] seed-demo", flush=True)
    _flask(env, "seed-demo")
    print(f"[soak] bench-data --scale {args.scale}", flush=True)
    manifest = WORK / "bench-data.json"
    _flask(env, "bench-data", "--scale", str(args.scale), "--manifest", str(manifest))
    counts = json.loads(manifest.read_text())["counts"]

    log = WORK / "gunicorn.log"
    print(f"[soak] gunicorn, {args.workers} workers, on port {args.port}", flush=True)
    server = _serve(env, args.workers, args.port, log)
    tally = WORK / "tally.json"
    tally.unlink(missing_ok=True)
    started = datetime.datetime.now(datetime.timezone.utc)
    clock = time.monotonic()
    try:
        print(f"[soak] locust: {args.users} users for {args.minutes} minute(s)", flush=True)
        run_time = f"{max(int(args.minutes * 60), 10)}s"
        subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "soak_locustfile.py"), "--headless",
                        "--users", str(args.users), "--spawn-rate", str(spawn_rate), "--run-time", run_time,
                        "--stop-timeout", "30", "--host", f"http://127.0.0.1:{args.port}",
                        "--only-summary", "--loglevel", "WARNING"],
                       cwd=ROOT, env={**env, "SOAK_MANIFEST": str(manifest), "SOAK_TALLY": str(tally)}, check=False)
        seconds = time.monotonic() - clock
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()

    print("[soak] flask audit verify", flush=True)
    verify = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "audit", "verify"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    said = (verify.stdout.strip() or verify.stderr.strip()).splitlines()
    audit_line = said[-1] if said else f"no output (exit {verify.returncode})"

    counted = json.loads(tally.read_text())
    rows, total = summarise(counted, seconds)
    tracebacks = log.read_text().count("Traceback")
    why = [reason for reason, bad in [(f"{total['five_xx']} responses were 5xx", total["five_xx"]),
                                      (f"{total['failures']} requests failed", total["failures"]),
                                      (f"{tracebacks} tracebacks in the gunicorn log", tracebacks),
                                      ("the audit chain did not verify", verify.returncode != 0)] if bad]
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        pg_version = conn.execute(text("SHOW server_version")).scalar()
    engine.dispose()
    run = {"when": started.isoformat(timespec="seconds"), "machine": machine(), "revision": git_revision(),
           "users": args.users, "minutes": args.minutes, "workers": args.workers, "spawn_rate": spawn_rate,
           "scale": args.scale, "counts": ", ".join(f"{n} {k}" for k, n in counts.items()), "pg_version": pg_version,
           "total": total, "rows": rows, "failures": counted["failures"] + counted["server_errors"],
           "tracebacks": tracebacks, "audit": audit_line, "ok": not why, "why": "; ".join(why)}
    write_results(label, run)
    print(f"[soak] {'PASS' if not why else 'FAIL: ' + '; '.join(why)}; {total['requests']} requests; "
          f"audit: {audit_line}; results in {RESULTS.relative_to(ROOT)}", flush=True)
    raise SystemExit(0 if not why else 1)


if __name__ == "__main__":
    main()
