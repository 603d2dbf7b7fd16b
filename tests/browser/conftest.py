"""Real-browser journeys: Debian's Chromium driven by Playwright against a live server.

The server runs in a thread on a loopback port with its own database, so what
the browser does is really committed. No browser is ever downloaded: tests are
skipped (with the reason) where /usr/bin/chromium is missing; `make test`
installs it where it can, and CI always has it.
"""
from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import make_test_app, migrate_database

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

if not os.path.exists(CHROMIUM):
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
    # axe-core is injected as a script; the app's CSP rightly forbids that.
    return {**browser_context_args, "bypass_csp": True, "locale": "en-GB"}


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


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'browser.db'}"
    app = make_test_app(url, PUBLIC_BASE_URL="http://127.0.0.1")
    migrate_database(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_BASE_URL"] = base
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(app, base)
    server.shutdown()
    thread.join(timeout=10)


def check_accessibility(page) -> None:
    """axe-core on the current page: no serious or critical violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
           for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"Accessibility violations on {page.url}:\n" + "\n".join(bad)
