"""Real-browser journeys: Debian's Chromium driven by Playwright against a live server.

The server runs in a thread on a loopback port with its own database, so what
the browser does is really committed. That database is of the kind the rest of
the pass uses: a SQLite file, or with TEST_DATABASE_URL a database of its own
on that PostgreSQL server, reached through the application's role as in
production; so CI runs the journeys once per database, against that database. No browser is ever downloaded: tests are
skipped (with the reason) where /usr/bin/chromium is missing; `make test`
installs it where it can, and CI (REQUIRE_BROWSER=1) fails without it.
"""
from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from core.clock import utcnow
from tests.conftest import create_database, drop_database, make_test_app, migrate_database

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

if not os.path.exists(CHROMIUM):
    # CI (.ci/run sets REQUIRE_BROWSER) must run the journeys, so there a missing browser is a failure.
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(f"Chromium not found at {CHROMIUM}, and REQUIRE_BROWSER is set", pytrace=False)
    pytest.skip(f"Chromium not found at {CHROMIUM}: run `make test` to install it", allow_module_level=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe-core is injected into every page (new_context below); the app's CSP rightly forbids that.
    return {**browser_context_args, "bypass_csp": True, "locale": "en-GB"}


# In every HTML page of every context, once the page has loaded: axe-core, and its serious and critical
# violations reported to the test through a binding. One rule for the automatic check and the explicit one.
AXE_ON_EVERY_PAGE = """
window.__axeSerious = async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id} (${v.impact}): ${v.help} - ${JSON.stringify(v.nodes.slice(0, 3).map(n => n.target))}`);
};
if (window === window.top && document.contentType === 'text/html') {
  window.addEventListener('load', () => {
    window.__axeOnLoad = window.__axeSerious()
      .then(found => window.__axeReport(location.href, found))
      .catch(() => {});  // the test left the page before axe finished: nothing to report for it
  });
}
"""


# In every HTML page, once loaded: is the page wider than the window (so a phone would scroll sideways)?
# If so, which elements stick out, reported to the test through a binding. A page that fits at 390 px but
# not at 1280 px (or the other way) fails either way: every journey's pages are checked at its width.
WIDTH_ON_EVERY_PAGE = """
window.__tooWide = () => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const culprits = [];
  const scrolls = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    if (scrolls(el)) continue;  // inside a scrolling region: it scrolls there, not the page
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0 && !el.closest('.govuk-visually-hidden')) {
      const parentBox = el.parentElement ? el.parentElement.getBoundingClientRect() : null;
      if (!parentBox || parentBox.right <= width + 1) {
        culprits.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : ''} (right edge ${Math.round(box.right)} px)`);
      }
    }
    if (culprits.length >= 5) break;
  }
  // Text that overflows its box (a long word) shows as a box wider inside than out.
  const spilling = [...document.body.querySelectorAll('*')].filter(el => el.clientWidth > 0
    && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible' && !scrolls(el));
  for (const el of spilling.slice(-2)) {
    culprits.push(`${el.tagName.toLowerCase()} whose content is ${el.scrollWidth} px wide: "${el.textContent.trim().slice(0, 80)}"`);
  }
  return [`page is ${document.documentElement.scrollWidth} px wide in a ${width} px window: ${culprits.join('; ')}`];
};
if (window === window.top && document.contentType === 'text/html') {
  window.addEventListener('load', () => { window.__widthReport(location.href, window.__tooWide()); });
}
"""


def fits_viewport(page) -> None:
    """The page as it is now is no wider than the window."""
    page.wait_for_load_state("load")
    bad = page.evaluate("() => window.__tooWide()")
    assert not bad, f"Wider than the viewport on {page.url}:\n" + "\n".join(bad)


@pytest.fixture
def new_context(new_context):
    """Contexts (and so every `page`) whose pages all run axe-core when they load.

    A journey visits many pages in passing (after a redirect, between clicks); this checks each of them, as
    the issue asks, beside the explicit check_accessibility calls at the states that matter. Any serious
    or critical violation fails the test at its end, naming the page.
    """
    findings: list[str] = []
    too_wide: list[str] = []

    def report(source, url: str, found: list[str]) -> None:
        findings.extend(f"{url}: {line}" for line in found)

    def report_width(source, url: str, found: list[str]) -> None:
        too_wide.extend(f"{url}: {line}" for line in found)

    def make(**kwargs):
        context = new_context(**kwargs)
        context.add_init_script(path=str(AXE))
        context.add_init_script(script=AXE_ON_EVERY_PAGE)
        context.add_init_script(script=WIDTH_ON_EVERY_PAGE)
        context.expose_binding("__axeReport", report)
        context.expose_binding("__widthReport", report_width)
        return context

    yield make
    assert not findings, "Accessibility violations on pages visited:\n" + "\n".join(dict.fromkeys(findings))
    assert not too_wide, "Pages wider than the viewport:\n" + "\n".join(dict.fromkeys(too_wide))


@pytest.fixture(autouse=True)
def _quick_failures(page):
    """Pages here answer in milliseconds: fail fast rather than wait 30 s for a missing element."""
    page.set_default_timeout(15000)


class LiveServer:
    def __init__(self, app, url: str):
        self.app = app
        self.url = url

    def do(self, fn, *args, **kwargs):
        """Run a service in the server's database (to set up what a test needs) and commit."""
        from core.extensions import db

        with self.app.app_context():
            try:
                result = fn(*args, **kwargs)
                db.session.commit()
                return result
            finally:
                db.session.remove()


def _files_read_at_once(app):
    """WSGI wrapper: a file response (static files, downloads) is read and closed before it is sent.

    Werkzeug's development server closes a response's file only if the client is still connected after
    the body is written; a browser that drops a favicon request when it navigates away leaves the file
    open, and its ResourceWarning (an error here) then fails whichever test is running.
    """
    def read_whole(file, block_size=8192):
        try:
            return [file.read()]
        finally:
            file.close()

    def wrapped(environ, start_response):
        environ["wsgi.file_wrapper"] = read_whole
        return app(environ, start_response)

    return wrapped


@contextmanager
def serving(url: str) -> Iterator[LiveServer]:
    """The app on a loopback port in a thread, with its own database, until the block ends."""
    app = make_test_app(url, PUBLIC_BASE_URL="http://127.0.0.1")
    migrate_database(app)
    server = make_server("127.0.0.1", 0, _files_read_at_once(app), threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_BASE_URL"] = base
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(app, base)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        from core.extensions import db

        with app.app_context():
            for engine in db.engines.values():
                engine.dispose()


@pytest.fixture(scope="session")
def live_server(database_url, tmp_path_factory) -> Iterator[LiveServer]:
    if database_url.startswith("postgresql"):
        # Beside the pass's own database (the worker's, under xdist), never in it: journeys commit.
        url = create_database(database_url, f"{make_url(database_url).database}_browser")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'browser.db'}"
    with serving(url) as server:
        yield server
    if url.startswith("postgresql"):
        drop_database(url)


def check_accessibility(page) -> None:
    """axe-core on the current page as it is now: no serious or critical violations.

    Waits for the page's own on-load run to finish first: axe refuses to run twice at once.
    """
    page.wait_for_load_state("load")
    bad = page.evaluate("async () => { await window.__axeOnLoad; return await window.__axeSerious(); }")
    assert not bad, f"Accessibility violations on {page.url}:\n" + "\n".join(bad)


# ---------------------------------------------------------------- people and time for the tenders journeys

PASSWORD = "maple-orbit-lantern-47"


@pytest.fixture
def tenders_clock():
    """core.clock.set_now, seen by the live server (same process); always unfrozen afterwards."""
    from core import clock

    yield clock.set_now
    clock.set_now(None)


def make_organisation(live_server: LiveServer, name: str, kind: str, *, verified: bool = True) -> int:
    """An organisation made through the real service (found by name if it exists); its id."""
    from sqlalchemy import select

    from accounts import services
    from accounts.models import Organisation
    from core.extensions import db

    def make():
        org = db.session.scalar(select(Organisation).where(Organisation.name == name))
        if org is None:
            org = services.create_organisation(services.NewOrganisation(
                name=name, kind=kind, provider_type="independent" if kind == "provider" else None))
        if verified and org.verified_at is None:
            org.verified_at = utcnow()
        db.session.flush()
        return org.id

    return live_server.do(make)


def make_person(live_server: LiveServer, *, email: str, full_name: str, role: str, organisation_id: int) -> str | None:
    """A confirmed account; commissioners get two-factor sign-in. Returns the TOTP secret (or None)."""
    import pyotp

    from accounts import services
    from accounts.models import Organisation
    from core.extensions import db

    def make():
        user = services.register(full_name=full_name, email=email, password=PASSWORD,
                                 organisation=db.session.get(Organisation, organisation_id))
        user.email_confirmed_at = utcnow()
        user.role = role
        if role in {"commissioner", "auditor", "admin"}:
            user.totp_secret = pyotp.random_base32()
            user.totp_enabled_at = utcnow()
        db.session.flush()
        return user.totp_secret

    return live_server.do(make)


def _unused_code(live_server: LiveServer, email: str, secret: str) -> str:
    """The code an authenticator shows for a step this account has not used yet (replays are refused)."""
    import time

    import pyotp

    from accounts.queries import user_by_email

    last = live_server.do(lambda: user_by_email(email).totp_last_step)
    totp = pyotp.TOTP(secret)
    current = int(time.time()) // totp.interval
    offset = 0 if last is None or last < current else last - current + 1
    assert offset <= 1, "no unused two-factor step left in the window"
    return totp.at(time.time(), counter_offset=offset)


def sign_in(page, live_server: LiveServer, email: str, secret: str | None = None, *,
            password: str | None = None) -> None:
    """Sign in through the real pages (with the code from the authenticator when the account has 2FA)."""
    from playwright.sync_api import expect

    page.set_default_timeout(15000)
    page.goto(live_server.url + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password or PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if secret:
        page.get_by_label("Code from your authenticator app").fill(_unused_code(live_server, email, secret))
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your account")).to_be_visible()
    # Every role starts the day from what is waiting for them.
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")


def confirm_answers(page, button: str) -> None:
    """On a "check your answers" page: it is accessible, then the act is confirmed with its button."""
    from playwright.sync_api import expect

    expect(page.locator("h1")).to_contain_text("Check your answers")
    check_accessibility(page)
    page.get_by_role("button", name=button, exact=True).click()
