"""`make prod-smoke`: the production process model, started on this machine without containers, used once.

It starts what deploy/compose.yaml runs, from this checkout:
  * a scratch PostgreSQL database (created here, dropped at the end) set up by `flask release`: the owner and
    application roles (`flask db-roles`), then the migrations as the owner; the demo data on top;
  * the local Redis as the job queue, under a key prefix of this run's own (deleted at the end);
  * an SMTP server on loopback (aiosmtpd) that keeps what it receives;
  * gunicorn with gunicorn.conf.py (2 workers), `flask jobs worker --no-periodic` and `flask jobs scheduler`,
    all with APP_ENV=production, JSON logs and a metrics token.
Then, as a person would over HTTP: waits for /readyz, signs in as a demo provider, replies in a forum, seals a
response to the demo tender, registers a newcomer and waits for the confirmation email to arrive through the
worker (nobody runs `flask outbox deliver`), verifies the audit chain on the page as the demo auditor (a job on
the worker) and with `flask audit verify`, and reads /metrics and the logs. It exits non-zero on the first
failure, saying what failed, and always stops what it started and drops what it made.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import pyotp
import requests
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from soak_mail import MailServer, free_port  # noqa: E402  (bench/ is on the path only from the line above)

ADMIN_URL = os.environ.get("SMOKE_PG_URL", "postgresql+psycopg://root@127.0.0.1:5432/postgres")
REDIS = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "Open-Commissioning-2026"
PROVIDER = "daniel.brooks@meadowbank.example"
AUDITOR, AUDITOR_TOTP = "sam.patel@audit.example", "JBSWY3DPEHPK3PXPAUDITAAAAAAAAAAA"
TENDER_TITLE = "Residential care for children with very challenging behaviour"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


class SmokeFailure(Exception):
    pass


def step(message: str) -> None:
    print(f"[prod-smoke] {message}", flush=True)


def check(condition: object, failure: str) -> None:
    if not condition:
        raise SmokeFailure(failure)


def page_errors(html: str) -> str:
    """The error summary's messages, so a refused form says why in the smoke's own output."""
    summary = re.search(r'<div class="govuk-error-summary"[^>]*>(.*?)</div>\s*</div>', html, re.DOTALL)
    text = re.sub(r"<[^>]+>", " ", summary.group(1)) if summary else ""
    return " ".join(text.split()) or "no error summary on the page"


def wait_for(what: str, probe: Callable[[], object], seconds: float = 60.0, every: float = 0.5) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = probe()
        if result:
            return result
        time.sleep(every)
    raise SmokeFailure(f"timed out after {seconds:g}s waiting for {what}")


class Browser:
    """A requests session that behaves like a browser behind the TLS proxy production runs behind.

    Production marks cookies Secure; this run is plain HTTP on loopback with
    X-Forwarded-Proto: https from a "proxy" the app trusts (TRUSTED_PROXIES=1),
    so the Secure flag is dropped from the jar to send them back.
    """

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()
        self.session.headers["X-Forwarded-Proto"] = "https"

    def _unsecure(self) -> None:
        for cookie in self.session.cookies:
            cookie.secure = False

    def get(self, path: str, **kwargs) -> requests.Response:
        response = self.session.get(self.base + path, allow_redirects=False, timeout=30, **kwargs)
        self._unsecure()
        check(response.status_code < 500, f"GET {path} answered {response.status_code}")
        return response

    def submit(self, page: str, data: dict, action: str | None = None) -> requests.Response:
        """GET the page, then POST its form with the CSRF token, as a person pressing the button."""
        html = self.get(page).text
        match = CSRF.search(html)
        check(match, f"no form on {page}")
        token = match.group(1) or match.group(2)
        # Over HTTPS a browser sends the page as Referer and Flask-WTF insists on it (same origin).
        referer = self.base.replace("http://", "https://", 1) + page
        response = self.session.post(self.base + (action or page), data={**data, "csrf_token": token},
                                     headers={"Referer": referer}, allow_redirects=False, timeout=60)
        self._unsecure()
        check(response.status_code < 500, f"POST {action or page} answered {response.status_code}")
        return response

    def sign_in(self, email: str, totp: str | None = None) -> None:
        response = self.submit("/sign-in", {"email": email, "password": PASSWORD})
        location = response.headers.get("Location", "")
        if totp is not None:
            check("two-factor" in location, f"{email}: no two-factor step after the password ({response.status_code})")
            for _ in range(2):  # a code works once: if this step's was used (by seed-demo, say), wait for the next
                response = self.submit("/sign-in/two-factor", {"code": pyotp.TOTP(totp).now()})
                if response.status_code == 302:
                    break
                time.sleep(31 - time.time() % 30)
        if response.status_code != 302 or "sign-in" in response.headers.get("Location", ""):
            errors = re.findall(r'govuk-error-message">(?:<span[^>]*>[^<]*</span>)?\s*([^<]+)', response.text)
            raise SmokeFailure(f"{email} could not sign in ({response.status_code}: {'; '.join(errors)})")


def flask(env: dict, *args: str, check_exit: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900, check=False)
    if check_exit and done.returncode != 0:
        raise SmokeFailure(f"flask {' '.join(args)} exited {done.returncode}:\n{done.stdout[-2000:]}"
                           f"\n{done.stderr[-2000:]}")
    return done


def start(stack: ExitStack, name: str, argv: list[str], env: dict, logs: Path) -> subprocess.Popen:
    log = (logs / f"{name}.log").open("w")
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def stop() -> None:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()

    stack.callback(stop)
    return proc


def scratch_database(stack: ExitStack, name: str) -> str:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        step(f"dropped database {name}")

    stack.callback(drop)
    return make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def forget_queue(stack: ExitStack, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS)
    client.ping()

    def forget() -> None:
        keys = list(client.scan_iter(match=f"huey.*.{prefix}*"))
        if keys:
            client.delete(*keys)
        client.close()
        step(f"deleted {len(keys)} Redis key(s) of queue {prefix}")

    stack.callback(forget)


def run(stack: ExitStack) -> list[str]:
    run_id = uuid.uuid4().hex[:8]
    work = Path(tempfile.mkdtemp(prefix="commons-prod-smoke-"))
    stack.callback(lambda: step(f"logs kept in {work}"))
    database = f"cc_prod_smoke_{run_id}"
    admin_url = scratch_database(stack, database)
    queue_name = f"commons_smoke_{run_id}"
    forget_queue(stack, queue_name)
    mail = MailServer(free_port())
    mail.start()
    stack.callback(lambda: mail.stop(outage=False))
    port, token = free_port(), uuid.uuid4().hex
    owner, app_role = make_url(admin_url).set(username="commons_owner"), make_url(admin_url).set(username="commons_app")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("MAIL_", "TEST_DATABASE", "DATABASE_", "REDIS_", "JOBS_", "PROMETHEUS_"))}
    env.update(
        APP_ENV="production", SECRET_KEY=uuid.uuid4().hex * 2, RESPONSE_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        DATABASE_ADMIN_URL=admin_url, DATABASE_URL=app_role.render_as_string(hide_password=False),
        MIGRATION_DATABASE_URL=owner.render_as_string(hide_password=False),
        JOBS_URL=REDIS, JOBS_NAME=queue_name, MAIL_SERVER="127.0.0.1", MAIL_PORT=str(mail.port),
        PUBLIC_BASE_URL=f"http://127.0.0.1:{port}", TRUSTED_PROXIES="1", LOG_JSON="1", METRICS_TOKEN=token,
        AUDIT_VERIFY_BATCH="100",  # the demo trail is longer: the page hands the verification to the worker
        AUDIT_SIGNING_KEY_PATH=str(work / "audit-signing-key.pem"),
        AUDIT_PUBLIC_KEYRING_PATH=str(work / "audit-public-keys.pem"),
        PROMETHEUS_MULTIPROC_DIR=str(work / "metrics"), GUNICORN_WORKERS="2", GUNICORN_BIND=f"127.0.0.1:{port}",
    )
    step(f"release into {database}: roles, then migrations as commons_owner")
    step("  " + flask(env, "release").stdout.strip().splitlines()[-1])
    step("demo data (seed-demo runs outside production)")
    flask({**env, "APP_ENV": "development"}, "seed-demo")

    step(f"gunicorn (2 workers) on 127.0.0.1:{port}, the job worker and the scheduler on Redis queue {queue_name}")
    web = start(stack, "gunicorn", [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"], env, work)
    worker = start(stack, "worker", [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "worker",
                                     "--no-periodic"], env, work)
    scheduler = start(stack, "scheduler", [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "scheduler"],
                      env, work)
    base = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        for proc, name in ((web, "gunicorn"), (worker, "worker"), (scheduler, "scheduler")):
            if proc.poll() is not None:
                raise SmokeFailure(f"{name} exited {proc.returncode}:\n{(work / f'{name}.log').read_text()[-3000:]}")
        try:
            return requests.get(base + "/readyz", timeout=5).status_code == 200
        except requests.RequestException:
            return False

    wait_for("/readyz to answer 200", ready, seconds=90)
    passed = ["/readyz: database and queue ready"]
    health = requests.get(base + "/readyz", timeout=5).json()
    check(health["checks"] == {"database": "ok", "queue": "ok"}, f"/readyz said {health}")

    step(f"sign in as {PROVIDER} and reply in a forum thread")
    provider = Browser(base)
    provider.sign_in(PROVIDER)
    forums = sorted(set(re.findall(r'href="(/forums/[\w-]+)"', provider.get("/forums").text)) - {"/forums/new"})
    check(forums, "no forums listed")
    marker = "smoke" + "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:12])
    for forum in forums:
        page = provider.get(forum).text
        if f'action="{forum}/join"' in page:
            provider.submit(forum, {}, action=f"{forum}/join")
        threads = sorted(set(re.findall(rf'href="({re.escape(forum)}/threads/\d+)"', provider.get(forum).text)))
        if not threads:
            continue
        reply = provider.submit(threads[0], {"body": f"We can offer two placements from spring ({marker})."},
                                action=f"{threads[0]}/reply")
        if reply.status_code in (302, 303) and "/posts/" in reply.headers.get("Location", ""):
            shown = provider.get(threads[0]).text
            check(marker in shown, "the reply is not on the thread page")
            passed.append(f"forum reply posted in {threads[0]}")
            break
    else:
        raise SmokeFailure("could not reply in any forum thread")

    step("seal a response to the demo tender")
    engine = create_engine(admin_url)
    with engine.connect() as conn:
        tender = conn.execute(text("SELECT id FROM procurement WHERE title = :t AND stage = 'tender'"),
                              {"t": TENDER_TITLE}).scalar()
    engine.dispose()
    check(tender, f"the demo tender {TENDER_TITLE!r} is not in the tender stage")
    respond = f"/tenders/{tender}/respond"
    form = provider.get(respond).text
    outcomes = sorted(set(re.findall(r'name="(commitment-\d+)"', form)))
    check(outcomes, "the response form has no outcome commitments")
    criteria = sorted(set(re.findall(r'name="(answer-\d+)"', form)))
    sealed = provider.submit(respond, {"price": "2,750,000", "method_statement": f"Small homes ({marker}).",
                                       **{name: "We commit to the target, reported quarterly." for name in outcomes},
                                       **{name: f"Our answer to this criterion ({marker})." for name in criteria}})
    receipt_at = sealed.headers.get("Location", "")
    check(sealed.status_code in (302, 303) and "/receipt" in receipt_at,
          f"sealing answered {sealed.status_code}: {page_errors(sealed.text)}")
    receipt = provider.get(receipt_at.replace(base, "")).text
    digest = re.search(r"<code>([0-9a-f]{64})</code>", receipt)
    check(digest, "the receipt shows no SHA-256")
    passed.append(f"sealed response receipt {digest.group(1)[:16]}…")

    step("register a newcomer: the confirmation email must arrive through the worker")
    newcomer = f"{marker}@newcomer.example"
    registered = Browser(base).submit("/register", {
        "full_name": "Smoke Newcomer", "email": newcomer, "password": "maple-orbit-lantern-47",
        "password_confirm": "maple-orbit-lantern-47", "organisation": "new", "org_name": f"Newcomer Care {marker}",
        "org_kind": "provider", "provider_type": "voluntary", "council": "", "region": "North West"})
    check(registered.status_code in (302, 303), f"registration answered {registered.status_code}")
    started = time.monotonic()
    wait_for(f"the confirmation email to {newcomer}",
             lambda: any(newcomer in m["to"] for m in list(mail.inbox.messages)), seconds=60, every=0.2)
    passed.append(f"confirmation email delivered by the worker in {time.monotonic() - started:.1f}s")

    step(f"verify the chain on the page as {AUDITOR} (a job on the worker) and with `flask audit verify`")
    auditor = Browser(base)
    auditor.sign_in(AUDITOR, AUDITOR_TOTP)
    verified = auditor.submit("/audit/verify", {})
    check(verified.status_code == 303, f"starting a long verification answered {verified.status_code}, not a "
                                       f"redirect to its progress")
    wait_for("the page to report the chain intact",
             lambda: "The chain is intact" in auditor.get("/audit/verify").text, seconds=120, every=1)
    passed.append("verification from the page: the chain is intact")
    cli = flask(env, "audit", "verify")
    check(cli.stdout.startswith("OK:"), f"flask audit verify said {cli.stdout!r}")
    passed.append(cli.stdout.strip().splitlines()[0])

    step("read /metrics with the token, and the JSON logs")
    check(requests.get(base + "/metrics", timeout=5, headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 404,
          "/metrics answered a request from outside without the token")
    metrics = requests.get(base + "/metrics", timeout=10, headers={"Authorization": f"Bearer {token}"})
    check(metrics.status_code == 200, f"/metrics with the token answered {metrics.status_code}")
    for needle in ('commons_request_seconds_count{endpoint="tenders.respond"', "commons_job_queue_depth",
                   'commons_outbox_backlog{state="retrying"}'):
        check(needle in metrics.text, f"/metrics lacks {needle}")
    passed.append("/metrics: latency by endpoint (both workers added up), queue depth, outbox backlog")
    request_id = f"smoke-{run_id}-request"
    echoed = requests.get(base + "/healthz", timeout=5, headers={"X-Request-ID": request_id})
    check(echoed.headers.get("X-Request-ID") == request_id, "X-Request-ID was not kept")
    time.sleep(0.5)
    lines = [json.loads(line) for line in (work / "gunicorn.log").read_text().splitlines() if line.startswith("{")]
    check(any(line.get("request_id") == request_id for line in lines), "no JSON access-log line with the request id")
    worker_lines = (work / "worker.log").read_text()
    check("Traceback" not in worker_lines, f"the worker logged a traceback:\n{worker_lines[-3000:]}")
    check("Traceback" not in (work / "gunicorn.log").read_text(), "gunicorn logged a traceback")
    passed.append(f"JSON logs carry the request id ({len(lines)} JSON lines from gunicorn)")
    return passed


def main() -> int:
    try:
        with ExitStack() as stack:
            passed = run(stack)
    except SmokeFailure as failure:
        print(f"[prod-smoke] FAILED: {failure}", flush=True)
        return 1
    print("[prod-smoke] PASSED:", flush=True)
    for line in passed:
        print(f"  - {line}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
