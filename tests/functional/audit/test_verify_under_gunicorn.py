"""A long verification started from the page finishes under a real gunicorn with sync workers.

The request that starts it returns at once; the verification is a job that
the queue's worker (`flask jobs worker`, on the SQLite queue here) walks, and
whichever gunicorn worker answers the page next reads its progress and report
from the database.
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest

from core.config import TEST_RESPONSE_KEY
from tests.conftest import PASSWORD, csrf_token, make_test_app, serial, totp_code
from tests.functional.audit.test_verify_progress_pages import _scratch_auditor
from tests.reliability.test_worker_kill import ROOT, Browser, Lost, _free_port

pytestmark = serial


@pytest.fixture
def served(scratch_database_url, tmp_path):
    person = _scratch_auditor(make_test_app(scratch_database_url))
    port = _free_port()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("MAIL_", "TEST_DATABASE", "JOBS_", "REDIS_"))}
    env.update(DATABASE_URL=scratch_database_url, SECRET_KEY="verify-under-gunicorn", APP_ENV="development",
               JOBS_SQLITE_PATH=str(tmp_path / "jobs.sqlite3"),
               RESPONSE_ENCRYPTION_KEY=TEST_RESPONSE_KEY,
               SIGNIN_RATE_LIMIT="100000 per minute", AUDIT_VERIFY_BATCH="4")
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "-k", "sync", "-b", f"127.0.0.1:{port}",
                             "--timeout", "30", "--preload", "--log-level", "warning", "wsgi:app"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    worker_log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed below
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "worker", "--no-periodic"],
                              cwd=ROOT, env=env, stdout=worker_log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 40
    while True:
        try:
            if Browser(base).open("/healthz", timeout=10)[0] == 200:
                break
        except Lost:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            for started in (proc, worker):
                started.kill()
                started.wait()
            log.close()
            worker_log.close()
            pytest.skip(f"gunicorn could not start: {(tmp_path / 'gunicorn.log').read_text()[-2000:]}")
        time.sleep(0.2)
    try:
        yield base, person
    finally:
        for started in (proc, worker):
            started.send_signal(signal.SIGTERM)
            try:
                started.wait(timeout=15)
            except subprocess.TimeoutExpired:
                started.kill()
                started.wait()
        log.close()
        worker_log.close()


def test_verification_started_on_the_page_finishes_on_the_job_worker_under_gunicorn(served):
    base, person = served
    browser = Browser(base)
    _, _, page = browser.open("/sign-in")
    status, headers, _ = browser.open("/sign-in", {"email": person.email, "password": PASSWORD,
                                                   "csrf_token": csrf_token(page)})
    assert status == 302 and "/two-factor" in headers["Location"]
    _, _, page = browser.open("/sign-in/two-factor")
    status, _, _ = browser.open("/sign-in/two-factor", {"code": totp_code(person), "csrf_token": csrf_token(page)})
    assert status == 302

    _, _, page = browser.open("/audit/verify")
    status, headers, _ = browser.open("/audit/verify", {"csrf_token": csrf_token(page)})
    assert status == 303, "a chain longer than one batch is verified outside the request"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status, _, html = browser.open("/audit/verify")
        assert status == 200
        if 'data-running="false"' in html:
            break
        assert re.search(r'<progress id="verify-progress" max="\d+" value="\d+">', html)
        time.sleep(0.1)
    else:
        pytest.fail("the verification did not finish under gunicorn")
    assert "The chain is intact" in html
    match = re.search(r"(\d+) events verified", html)
    assert match and int(match.group(1)) > 4
