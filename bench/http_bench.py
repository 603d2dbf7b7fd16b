"""Pages under load: gunicorn on loopback, wrk as the client, every page as a ratio to /healthz."""
from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from common import ROOT

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn serving wsgi:app on a loopback port, stopped on exit."""

    def __init__(self, database_url: str, workers: int = 4):
        from data_bench import app_env

        self.port = _free_port()
        env = app_env(database_url)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{self.port}", "--log-level",
             "warning", "wsgi:app"], cwd=ROOT, env=env)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=1).read()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def __enter__(self) -> Gunicorn:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _ms(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


def wrk(url: str, *, connections: int = 16, seconds: int = 10, threads: int = 2,
        headers: dict[str, str] | None = None) -> dict:
    """One wrk run; p95 comes from bench/p95.lua because wrk's --latency table has no 95th percentile."""
    headers = headers or {}
    urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60).read()  # warm up; fails loudly
    header_args = [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
                          "--latency", *header_args, "-s", str(ROOT / "bench" / "p95.lua"), url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {p: _ms(re.search(rf"^\s+{p}%\s+(\S+)", out, re.M).group(1)) for p in ("50", "99")}
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    p95 = re.search(r"p95_us: (\d+)", out)
    return {"rps": rps, "p50_ms": latency["50"], "p95_ms": int(p95.group(1)) / 1000 if p95 else float("nan"),
            "p99_ms": latency["99"],
            "non_2xx": int(non2xx.group(1)) if non2xx else 0, "socket_errors": errors.group(0) if errors else ""}


# Any cookie makes core.page_cache render the page afresh, as it does for everyone signed in.
RENDERED = {"Cookie": "bench=rendered"}


def measure_pages(base_url: str, pages: dict[str, str], *, seconds: int = 10,
                  rendered: dict[str, str] | None = None) -> dict[str, dict]:
    """Each page as an anonymous reader gets it; `rendered` pages again with a cookie (no page cache)."""
    results = {"/healthz": wrk(base_url + "/healthz", seconds=seconds)}
    runs = [(label, path, None) for label, path in pages.items()]
    runs += [(label, path, RENDERED) for label, path in (rendered or {}).items()]
    for label, path, headers in runs:
        results[label] = wrk(base_url + path, seconds=seconds, headers=headers)
        results[label]["ratio"] = results[label]["rps"] / results["/healthz"]["rps"]
    results["/healthz"]["ratio"] = 1.0
    return results
