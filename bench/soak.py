"""`make soak`: many simulated people on gunicorn + PostgreSQL for a while; then check nothing broke.

Not part of `make test`: it takes ten minutes and most of the machine. Steps:
  1. a fresh scratch PostgreSQL database (cc_soak, never the shared "test" one),
     migrated with `flask db upgrade heads`, loaded with `flask seed-demo` and a
     modest `flask bench-data --scale S` (default 0.005: 5,000 posts);
  2. gunicorn with --workers W (default 4) on loopback;
  3. a loopback SMTP server (aiosmtpd, bench/soak_mail.py) that keeps every
     message, MAIL_SERVER/MAIL_PORT pointing at it, and a delivery loop
     (bench/soak_deliver.py: trail.outbox.deliver_outbox() every
     --deliver-every seconds, one process) for the whole run;
  4. locust, headless, --users U (default 100) for --minutes M (default 10),
     with the visitors in bench/soak_locustfile.py (anonymous readers; providers
     posting, registering for meetings, asking clarification questions and
     submitting sealed responses on the demo tender; two Northmere commissioners
     signing in with TOTP and answering the questions; a newcomer registering);
     the SMTP server is stopped for the middle third of the run, then restarted;
  5. afterwards: the outbox delivered until empty, then bench/soak_check.py:
     every write the server acknowledged (recorded by the simulated people) is
     in the database with its audit event, and every outbox message marked sent
     was received exactly once, none unsent or given up; `flask audit verify`.
It writes the figures (per page: requests, failures, 5xx, p50/p95/p99 ms; writes
acknowledged vs found; mail queued, sent, received, duplicates) with the date and
the machine into bench/SOAK.md, in a section named by --label, and exits 1 on any
5xx, failed request, gunicorn traceback, missing write, mail not delivered exactly
once, or broken chain.

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
import threading
import time
import urllib.request
from pathlib import Path

from common import ROOT, git_revision, machine
from soak_mail import MailServer, free_port

ADMIN_URL = os.environ.get("SOAK_PG_URL", "postgresql+psycopg://root@127.0.0.1:5432/postgres")
RESULTS = ROOT / "bench" / "SOAK.md"
WORK = ROOT / "instance" / "soak"
TENDER_TITLE = "Residential care for children with very challenging behaviour"


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


def _deliver_once(env: dict) -> str:
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "outbox", "deliver"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    return (done.stdout.strip() or f"exit {done.returncode}: {done.stderr.strip()[-300:]}") if done.returncode \
        else done.stdout.strip()


class DeliveryLoop:
    """bench/soak_deliver.py: deliver_outbox() every few seconds; stopped between runs, never mid-message."""

    def __init__(self, env: dict, every: float) -> None:
        self.every, self.stop_file = every, WORK / "deliver.stop"
        self.stop_file.unlink(missing_ok=True)
        self.log = WORK / "deliver.log"
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "bench" / "soak_deliver.py"), str(every),
                                      str(self.stop_file)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                     stderr=self.log.open("w"), text=True)
        self.tally = {"runs": 0, "sent": 0, "failed": 0, "runs_with_failures": 0}
        self.errors: list[str] = []

    def stop(self) -> None:
        self.stop_file.touch()
        try:
            out, _ = self.proc.communicate(timeout=600)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate()
        lines = [line for line in (out or "").splitlines() if line.startswith("{")]
        if self.proc.returncode != 0 or not lines:
            self.errors.append(f"delivery loop exited {self.proc.returncode}: {self.log.read_text()[-500:]}")
        else:
            self.tally = json.loads(lines[-1])


def _pending(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        n = conn.execute(text("SELECT count(*) FROM outbox_message WHERE sent_at IS NULL")).scalar()
    engine.dispose()
    return n


def _tender_id(url: str) -> int | None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        found = conn.execute(text("SELECT id FROM procurement WHERE title = :t AND stage = 'tender'"),
                             {"t": TENDER_TITLE}).scalar()
    engine.dispose()
    return found


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
             *run["extra_lines"],
             f"- `flask audit verify` afterwards: {run['audit']}",
             f"- Verdict: **{'PASS' if run['ok'] else 'FAIL'}**" + ("" if run["ok"] else f" ({run['why']})"),
             "", "| page | requests | failures | 5xx | p50 ms | p95 ms | p99 ms | max ms |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for row in run["rows"]:
        lines.append(
            f"| `{row['page']}` | {row['requests']} | {row['failures']} | {row['five_xx']} | {row['p50']:.0f} | "
            f"{row['p95']:.0f} | {row['p99']:.0f} | {row['max']:.0f} |"
        )
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
    parser.add_argument("--deliver-every", type=float, default=5.0, help="seconds between delivery runs")
    parser.add_argument("--label", default=None, help="section of SOAK.md (default: 'Full run' for the defaults, "
                                                      "else 'Short run')")
    args = parser.parse_args()
    spawn_rate = args.spawn_rate or max(args.users / 30, 1)
    full = (args.users, args.minutes, args.workers) == (100, 10, 4)
    label = args.label or ("Full run" if full else "Short run")
    WORK.mkdir(parents=True, exist_ok=True)

    url = fresh_database(args.database)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MAIL_", "TEST_DATABASE"))}
    mail = MailServer(free_port())
    env.update(DATABASE_URL=url, SECRET_KEY="soak-secret", APP_ENV="development",
               SIGNIN_RATE_LIMIT="100000 per minute", AUDIT_SIGNING_KEY_PATH=str(WORK / "audit-signing-key.pem"),
               MAIL_SERVER="127.0.0.1", MAIL_PORT=str(mail.port))
    print(f"[soak] migrating {args.database}", flush=True)
    _flask(env, "db", "upgrade", "heads")
    print("[soak] seed-demo", flush=True)
    _flask(env, "seed-demo")
    print(f"[soak] bench-data --scale {args.scale}", flush=True)
    manifest = WORK / "bench-data.json"
    _flask(env, "bench-data", "--scale", str(args.scale), "--manifest", str(manifest))
    counts = json.loads(manifest.read_text())["counts"]
    tender = _tender_id(url)
    if tender is None:
        raise SystemExit(f"the demo tender ({TENDER_TITLE!r}) is not in the tender stage")

    print(f"[soak] SMTP sink on 127.0.0.1:{mail.port}; delivery every {args.deliver_every:g}s", flush=True)
    mail.start()
    log = WORK / "gunicorn.log"
    print(f"[soak] gunicorn, {args.workers} workers, on port {args.port}", flush=True)
    server = _serve(env, args.workers, args.port, log)
    tally, writes = WORK / "tally.json", WORK / "writes.jsonl"
    tally.unlink(missing_ok=True)
    writes.unlink(missing_ok=True)
    delivery = DeliveryLoop(env, args.deliver_every)
    third = max(args.minutes * 60, 10) / 3
    halt_outage = threading.Event()

    def outage() -> None:  # the mail server is down for the middle third of the run
        if halt_outage.wait(third):
            return
        print(f"[soak] stopping the SMTP server for {third:.0f}s", flush=True)
        mail.stop()
        halt_outage.wait(third)
        print("[soak] SMTP server back", flush=True)
        mail.start()

    outage_thread = threading.Thread(target=outage, daemon=True)
    started = datetime.datetime.now(datetime.UTC)
    clock = time.monotonic()
    try:
        print(f"[soak] locust: {args.users} users for {args.minutes} minute(s)", flush=True)
        run_time = f"{max(int(args.minutes * 60), 10)}s"
        outage_thread.start()
        subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "soak_locustfile.py"), "--headless",
                        "--users", str(args.users), "--spawn-rate", str(spawn_rate), "--run-time", run_time,
                        "--stop-timeout", "30", "--host", f"http://127.0.0.1:{args.port}",
                        "--only-summary", "--loglevel", "WARNING"],
                       cwd=ROOT, env={**env, "SOAK_MANIFEST": str(manifest), "SOAK_TALLY": str(tally),
                                      "SOAK_WRITES": str(writes), "SOAK_TENDER": str(tender)}, check=False)
        seconds = time.monotonic() - clock
    finally:
        halt_outage.set()
        outage_thread.join(timeout=60)
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        delivery.stop()

    # The mail server is up again (restarted at two thirds, or now if the run ended early): drain the outbox.
    mail.start()
    drain_runs = 0
    while _pending(url) and drain_runs < 50:
        _deliver_once(env)
        drain_runs += 1
    mail.stop(outage=False)
    inbox_path, outages_path, checked_path = WORK / "inbox.json", WORK / "outages.json", WORK / "checked.json"
    mail.inbox.dump(inbox_path)
    outages_path.write_text(json.dumps(mail.outages))
    print("[soak] checking acknowledged writes and mail", flush=True)
    checking = subprocess.run([sys.executable, str(ROOT / "bench" / "soak_check.py"), str(writes), str(inbox_path),
                               str(outages_path), str(checked_path)], cwd=ROOT, env=env, capture_output=True, text=True)
    if checking.returncode != 0:
        raise SystemExit(f"soak_check.py failed:\n{checking.stdout[-3000:]}\n{checking.stderr[-3000:]}")
    checked = json.loads(checked_path.read_text())
    w, m = checked["writes"], checked["mail"]

    print("[soak] flask audit verify", flush=True)
    verify = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "audit", "verify"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    said = (verify.stdout.strip() or verify.stderr.strip()).splitlines()
    audit_line = said[-1] if said else f"no output (exit {verify.returncode})"

    counted = json.loads(tally.read_text())
    rows, total = summarise(counted, seconds)
    tracebacks = log.read_text().count("Traceback")
    why = [
        reason
        for reason, bad in [
            (f"{total['five_xx']} responses were 5xx", total["five_xx"]),
            (f"{total['failures']} requests failed", total["failures"]),
            (f"{tracebacks} tracebacks in the gunicorn log", tracebacks),
            ("the audit chain did not verify", verify.returncode != 0),
            (f"{w['acknowledged'] - w['found']} acknowledged writes missing", w["acknowledged"] - w["found"]),
            ("an organisation has two current responses", w["current_responses_doubled"]),
            ("a clarification was answered twice", w["clarifications_answered_twice"]),
            ("no acknowledged write queued mail", not m["outbox"]),
            (f"{m['unsent']} emails never sent ({m['given_up']} given up)", m["unsent"]),
            (f"{m['duplicates']} emails received twice", m["duplicates"]),
            (f"{m['not_received']} emails marked sent but not received", m["not_received"]),
            (f"{m['unknown']} received emails not in the outbox", m["unknown"]),
            (f"{m['ids_received_twice']} Message-IDs received twice", m["ids_received_twice"]),
            (f"{m['ids_not_received']} sent Message-IDs not received", m["ids_not_received"]),
            (f"{m['ids_unknown']} received Message-IDs not in the outbox", m["ids_unknown"]),
            ("the SMTP outage did not happen", not m["outages"]),
            ("the delivery loop failed", delivery.errors),
        ]
        if bad
    ]
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        pg_version = conn.execute(text("SHOW server_version")).scalar()
    engine.dispose()
    kinds = ", ".join(f"{kind} {row['found']}/{row['acknowledged']}" for kind, row in sorted(w["by_kind"].items()))
    extra_lines = [
        f"- Acknowledged writes found in the database with their audit events: {w['found']} of {w['acknowledged']} "
        f"({kinds}); organisations with two current responses: {len(w['current_responses_doubled'])}; "
        f"clarifications answered twice: {len(w['clarifications_answered_twice'])}",
        f"- Mail: {m['outbox']} emails queued in the outbox, {m['sent']} marked sent, {m['received']} received by "
        f"the SMTP server; duplicates {m['duplicates']}, marked sent but not received {m['not_received']}, "
        f"received but not in the outbox {m['unknown']}; left unsent {m['unsent']} (given up {m['given_up']}); "
        f"{m['retried']} needed more than one attempt; {m['delivered_events']} `mail.delivered` audit events "
        f"(outbox ids delivered twice: {len(m['outbox_ids_delivered_twice'])}); by Message-ID (one per outbox "
        f"message, kept across retries): received twice {m['ids_received_twice']}, not received "
        f"{m['ids_not_received']}, not in the outbox {m['ids_unknown']}",
    ] + [f"- SMTP outage: server stopped for {o['seconds']} s; {o['queued_during']} emails queued meanwhile, "
         f"{o['sent_during']} sent and {o['received_during']} received while it was down, "
         f"{o['queued_during_then_sent_after']} of those queued during it sent after it returned"
         for o in m["outages"]] + [
        f"- Delivery: `deliver_outbox()` run {delivery.tally['runs']} times during the run (every "
        f"{args.deliver_every:g} s; {delivery.tally['runs_with_failures']} runs found the server unreachable), "
        f"then `flask outbox deliver` {drain_runs} times afterwards to empty the outbox"]
    failures = counted["failures"] + counted["server_errors"] + w["missing"] + m["unsent_examples"] + delivery.errors
    run = {"when": started.isoformat(timespec="seconds"), "machine": machine(), "revision": git_revision(),
           "users": args.users, "minutes": args.minutes, "workers": args.workers, "spawn_rate": spawn_rate,
           "scale": args.scale, "counts": ", ".join(f"{n} {k}" for k, n in counts.items()), "pg_version": pg_version,
           "total": total, "rows": rows, "failures": failures, "extra_lines": extra_lines,
           "tracebacks": tracebacks, "audit": audit_line, "ok": not why, "why": "; ".join(why)}
    write_results(label, run)
    print(f"[soak] {'PASS' if not why else 'FAIL: ' + '; '.join(why)}; {total['requests']} requests; "
          f"audit: {audit_line}; results in {RESULTS.relative_to(ROOT)}", flush=True)
    print("\n".join(extra_lines), flush=True)
    raise SystemExit(0 if not why else 1)


if __name__ == "__main__":
    main()
