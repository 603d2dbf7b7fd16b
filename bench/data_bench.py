"""Benchmarks over a bench-data database: building it, SQL queries per page, and the OCDS export.

The data set is built by the real command (`flask --app wsgi bench-data`) in a
subprocess with the same environment gunicorn gets, so what is measured is
what an operator would run. Queries per page are counted with a SQLAlchemy
`before_cursor_execute` listener around one test-client request (after a
warm-up request, so one-off work such as template compilation is not counted).
The OCDS export runs as `flask export ocds` in a subprocess; its peak memory is
the VmHWM (high-water resident set) that process reads from /proc/self/status
as it finishes. Not getrusage: on Linux a child's ru_maxrss starts from the
RSS of the process it was forked from (the kernel carries the old mm's high
water mark over exec), so it would report this bench's own size instead.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import ROOT


def app_env(database_url: str) -> dict[str, str]:
    """The environment of the app under test: the same for gunicorn, bench-data and the export."""
    return {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "bench-secret", "APP_ENV": "development",
            "SIGNIN_RATE_LIMIT": "100000 per minute"}


def _flask() -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "wsgi"]


def build_data(database_url: str, scale: float, manifest: Path) -> dict[str, Any]:
    """Run bench-data; returns its manifest with the build time added."""
    started = time.perf_counter()
    done = subprocess.run([*_flask(), "bench-data", "--scale", str(scale), "--manifest", str(manifest)],
                          cwd=ROOT, env=app_env(database_url), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"bench-data failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    result = json.loads(manifest.read_text())
    result["build_seconds"] = time.perf_counter() - started
    return result


def queries_per_page(database_url: str, pages: dict[str, str]) -> dict[str, int]:
    """SQL statements one anonymous request for each page sends (after a warm-up request)."""
    from sqlalchemy import event

    from core.extensions import db
    from tests.conftest import make_test_app

    app = make_test_app(database_url)
    counts: dict[str, int] = {}
    with app.app_context():
        seen = [0]

        def count(*_: Any) -> None:
            seen[0] += 1

        event.listen(db.engine, "before_cursor_execute", count)
        client = app.test_client()
        for label, path in pages.items():
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
            seen[0] = 0
            client.get(path)
            counts[label] = seen[0]
        event.remove(db.engine, "before_cursor_execute", count)
        db.session.remove()
        db.engine.dispose()
    return counts


# Runs the real `flask` CLI in-process, then reports the process's own peak RSS on the last line of stderr.
_PEAK_WRAPPER = """
import sys
from flask.cli import main
try:
    main()
finally:
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM:'):
            sys.stderr.write('\\nVmHWM_kB ' + line.split()[1] + '\\n')
"""


def ocds_export(database_url: str) -> dict[str, Any]:
    """Time and peak memory (VmHWM of the exporting process) of `flask export ocds` for every procurement."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "ocds.json"
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _PEAK_WRAPPER, "--app", "wsgi", "export", "ocds", "--output",
                               str(output)], cwd=ROOT, env=app_env(database_url), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"flask export ocds failed:\n{done.stderr[-3000:]}")
        peak_kb = int(re.findall(r"VmHWM_kB (\d+)", done.stderr)[-1])
        package = json.loads(output.read_text())
        size = output.stat().st_size
    return {"seconds": elapsed, "peak_rss_mb": peak_kb / 1024, "releases": len(package["releases"]), "bytes": size}
