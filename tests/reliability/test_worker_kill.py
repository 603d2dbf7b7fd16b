"""A gunicorn worker killed with SIGKILL mid-write leaves no half-made change.

A real gunicorn (sync workers) serves a scratch database while several
providers post replies through real HTTP (sign-in, CSRF, the reply form). A
worker is SIGKILLed several times mid-stream: whatever it was doing dies with
it, uncommitted. Afterwards the audit chain verifies, every reply the client
saw acknowledged exists with its audit event, no reply exists without its
audit event (nor an event without its reply), and gunicorn has replaced the
dead workers and keeps serving.
"""
from __future__ import annotations

import http.client
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pyotp
import pytest

from core.config import TEST_RESPONSE_KEY
from tests.conftest import PASSWORD, csrf_token, serial

pytestmark = serial

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 3
WRITERS = 6
KILLS = 3
MARKER = "kill-test reply"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the test reads each 302 itself


class Lost(Exception):
    """The connection died before a response: the request's outcome is unknown to the client."""


class Browser:
    """Cookies, no redirects followed, every response (2xx-5xx) returned as (status, headers, body)."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  _NoRedirect)

    def open(self, path: str, data: dict | None = None, timeout: float = 20):
        request = urllib.request.Request(self.base + path, data=urlencode(data).encode() if data is not None else None)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            with error:
                try:
                    body = error.read()
                except http.client.IncompleteRead as cut:
                    # The worker was killed after sending its answer's headers: the status and Location
                    # arrived (the change was committed), only the body was cut short.
                    body = cut.partial
                return error.code, error.headers, body.decode(errors="replace")
        except (OSError, http.client.HTTPException) as error:  # reset, refused, timed out, cut short
            raise Lost(str(error)) from error


def _children(pid: int) -> set[int]:
    """Live child processes of `pid` (gunicorn's workers), read from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Fields after the command name, which is in parentheses and may hold spaces.
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == pid and state != "Z":
            found.add(int(entry.name))
    return found


def _world(url: str) -> dict:
    """A forum with a thread and WRITERS confirmed provider members, committed."""
    from accounts import services as accounts
    from core.clock import utcnow
    from core.extensions import db
    from forum import services as forum
    from tests.conftest import make_test_app

    app = make_test_app(url)
    with app.app_context():
        def person(kind: str, role: str, n: int):
            org = accounts.create_organisation(accounts.NewOrganisation(
                name=f"Kill test {kind} {n}", kind=kind, provider_type="independent" if kind == "provider" else None))
            user = accounts.register(full_name=f"Writer Number{n}", email=f"writer{n}@{kind}.example",
                                     password=PASSWORD, organisation=org)
            user.role = role
            user.email_confirmed_at = utcnow()
            if role == "commissioner":  # commissioners act only with two-factor sign-in set up
                user.totp_secret, user.totp_enabled_at = pyotp.random_base32(), utcnow()
            db.session.flush()
            return user

        owner = person("commissioning_unit", "commissioner", 0)
        place = forum.create_forum(owner, forum.ForumDetails(
            title="Worker kill forum", remit_md="Placements for the reliability test.", region="North West",
            categories=["fostering"], co_owner_ids=[]))
        writers = [person("provider", "provider", n) for n in range(1, WRITERS + 1)]
        for writer in writers:
            forum.join_forum(place, writer)
        thread = forum.start_thread(place, writers[0], "Capacity for the spring", "Opening post.")
        db.session.commit()
        world = {"slug": place.slug, "thread_id": thread.id, "emails": [w.email for w in writers]}
        db.session.remove()
        db.engine.dispose()
    return world


class Writer(threading.Thread):
    """One provider posting replies until told to stop, noting what was acknowledged."""

    def __init__(self, base: str, email: str, world: dict, stop: threading.Event):
        super().__init__(daemon=True)
        self.base, self.email, self.world, self.stop = base, email, world, stop
        self.acknowledged: dict[int, str] = {}  # post id -> body
        self.lost = 0  # connection dropped: the outcome is unknown to the client
        self.unexpected: list[str] = []

    def _session(self) -> tuple[Browser, str]:
        while not self.stop.is_set():
            browser = Browser(self.base)
            try:
                _, _, page = browser.open("/sign-in")
                status, _, _ = browser.open("/sign-in", {"email": self.email, "password": PASSWORD,
                                                         "csrf_token": csrf_token(page)})
                if status != 302:
                    self.unexpected.append(f"sign-in answered {status}")
                    raise Lost("sign-in failed")
                _, _, thread = browser.open(f"/forums/{self.world['slug']}/threads/{self.world['thread_id']}")
                return browser, csrf_token(thread)
            except Lost:
                self.lost += 1
        raise RuntimeError("stopped")

    def run(self) -> None:
        try:
            browser, token = self._session()
        except RuntimeError:
            return
        url = f"/forums/{self.world['slug']}/threads/{self.world['thread_id']}/reply"
        n = 0
        while not self.stop.is_set():
            n += 1
            body = f"{MARKER} from writer {self.world['emails'].index(self.email)} number {n}"
            try:
                status, headers, page = browser.open(url, {"body": body, "csrf_token": token})
            except Lost:
                self.lost += 1  # the worker died under us: committed or not, we cannot know
                continue
            match = re.search(r"/posts/(\d+)$", headers.get("Location", ""))
            if status == 302 and match:
                self.acknowledged[int(match.group(1))] = body
            else:
                errors = [" ".join(re.sub(r"<[^>]+>", " ", e).split())
                          for e in re.findall(r'govuk-error-message">(.*?)</p>', page, re.S)]
                self.unexpected.append(f"reply answered {status}: {errors or page[:300]}")


@pytest.fixture
def gunicorn(scratch_database_url, tmp_path):
    world = _world(scratch_database_url)
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MAIL_", "TEST_DATABASE"))}
    env.update(DATABASE_URL=scratch_database_url, SECRET_KEY="worker-kill-test", APP_ENV="development",
               RESPONSE_ENCRYPTION_KEY=TEST_RESPONSE_KEY,
               SIGNIN_RATE_LIMIT="100000 per minute")
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
                             "--timeout", "30", "--preload", "--log-level", "warning", "wsgi:app"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 40
    while True:
        try:
            if Browser(base).open("/healthz", timeout=10)[0] == 200:
                break
        except Lost:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            log.close()
            pytest.skip(f"gunicorn could not start: {(tmp_path / 'gunicorn.log').read_text()[-2000:]}")
        time.sleep(0.2)
    try:
        yield base, proc, world
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _wait_for_workers(master: int, gone: set[int], timeout: float = 20) -> set[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        workers = _children(master)
        if len(workers) == WORKERS and not workers & gone:
            return workers
        time.sleep(0.1)
    return _children(master)


def test_sigkilled_workers_leave_no_half_made_change_and_are_replaced(gunicorn, scratch_database_url):
    base, proc, world = gunicorn
    stop = threading.Event()
    writers = [Writer(base, email, world, stop) for email in world["emails"]]
    for writer in writers:
        writer.start()

    killed: set[int] = set()
    workers = _wait_for_workers(proc.pid, set())
    assert len(workers) == WORKERS
    # Writes are flowing before the first kill. Each writer signs in first (argon2 at its production cost), which
    # on a loaded machine, with the suite's other xdist worker busy beside it, took longer than 20 s.
    deadline = time.monotonic() + 90
    while sum(len(w.acknowledged) for w in writers) < 10 and time.monotonic() < deadline:
        time.sleep(0.1)
    for _ in range(KILLS):
        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        killed.add(victim)
        time.sleep(0.7)  # writes go on through the surviving workers meanwhile
        workers = _wait_for_workers(proc.pid, killed)
    time.sleep(1.0)
    stop.set()
    for writer in writers:
        writer.join(timeout=30)

    assert proc.poll() is None, "the gunicorn master died"
    replacements = _wait_for_workers(proc.pid, killed)
    assert len(replacements) == WORKERS and not replacements & killed, "gunicorn did not replace the killed workers"
    assert all(not w.unexpected for w in writers), [w.unexpected for w in writers]
    acknowledged = {post_id: body for w in writers for post_id, body in w.acknowledged.items()}
    assert len(acknowledged) >= 10

    # Still serving, and still writing, after the kills.
    after = Writer(base, world["emails"][0], world, threading.Event())
    browser, token = after._session()
    status, headers, _ = browser.open(f"/forums/{world['slug']}/threads/{world['thread_id']}/reply",
                                      {"body": f"{MARKER} after the kills", "csrf_token": token})
    assert status == 302 and "/posts/" in headers["Location"]
    assert browser.open("/healthz")[0] == 200

    from sqlalchemy import select

    from core.extensions import db
    from forum.models import Post
    from tests.conftest import make_test_app
    from trail.models import AuditEvent
    from trail.verification import verify_chain

    app = make_test_app(scratch_database_url)
    with app.app_context():
        result = verify_chain()
        assert result.ok, result.problem
        posts = {post.id: post.body_md for post in db.session.scalars(
            select(Post).where(Post.thread_id == world["thread_id"], Post.body_md.startswith(MARKER)))}
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "forum.post_created")).all()
        events_for: dict[int, int] = {}
        for event in events:
            payload = json.loads(event.payload or "{}")
            if payload.get("thread_id") == world["thread_id"]:
                events_for[payload["post_id"]] = events_for.get(payload["post_id"], 0) + 1
        db.session.remove()
        db.engine.dispose()

    missing = {post_id for post_id in acknowledged if posts.get(post_id) != acknowledged[post_id]}
    assert not missing, f"acknowledged replies lost: {sorted(missing)}"
    assert set(events_for) == set(posts), "a reply without its audit event, or an event without its reply"
    assert all(count == 1 for count in events_for.values())
    print(f"\n{len(acknowledged)} replies acknowledged, {sum(w.lost for w in writers)} requests cut off by "
          f"{len(killed)} SIGKILLs, {len(posts) - 1} replies stored before the check (the ones over the acknowledged "
          "count committed just before their worker died)")
