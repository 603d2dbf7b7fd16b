"""The job queue: one Huey instance, configured from the app's settings.

Background work (mail delivery, digests, checkpoints, due contracts, long
verifications, reminders) runs as Huey tasks on a worker process, never as a
thread inside a web request. Where the queue lives is configuration:

- `JOBS_URL` (or `REDIS_URL`) set: Redis, shared by every web server, worker and
  the scheduler (production, and the scaled-out set-up);
- otherwise a SQLite file in the instance folder (`JOBS_SQLITE_PATH`), so
  `make run` needs no extra server;
- `JOBS_IMMEDIATE` (the test default): a task runs at once, in the caller's
  app context, when it is enqueued.

Tasks are defined in the package that owns the service they call (for
example `forum/jobs.py`), with `job` or `periodic_job` from here, so the CLI,
the web and the queue all call the same services. The app factory names the
task modules when it configures the queue, so a worker knows every task and
this ground floor imports none of the packages above it.
"""
from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from flask import Flask, has_app_context
from huey import Huey
from huey.api import TaskWrapper
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

P = ParamSpec("P")
R = TypeVar("R")

log = logging.getLogger(__name__)

# Made immediate (in memory) until an app configures it, so importing a task module never touches a queue.
# No result store: nothing waits on a task's return value, and stored results would pile up in Redis.
huey = Huey("commons", immediate=True, utc=True, results=False)
_app: Flask | None = None
_task_modules: tuple[str, ...] = ()


def configure(app: Flask, task_modules: tuple[str, ...] | None = None) -> None:
    """Point the shared Huey instance at the queue the app's settings name, and remember the app for tasks.

    Called by the app factory with the modules that define tasks (importing
    one registers its tasks and schedules). The last app made in a process
    wins, which is what a web server, a worker or a test wants: one app per process.
    """
    global _app, _task_modules
    if task_modules is not None:
        _task_modules = task_modules
    _app = app
    config = app.config
    huey.name = config["JOBS_NAME"]
    url = config.get("JOBS_URL")
    if config.get("JOBS_IMMEDIATE"):
        huey._immediate = True
        huey.storage = MemoryStorage(huey.name)
    elif url:
        huey._immediate = False
        huey.storage = RedisStorage(huey.name, url=url)
    else:
        path = Path(config.get("JOBS_SQLITE_PATH") or Path(app.instance_path) / "jobs.sqlite3")
        path.parent.mkdir(parents=True, exist_ok=True)
        huey._immediate = False
        huey.storage = SqliteStorage(huey.name, filename=str(path))
    for module in _task_modules:
        importlib.import_module(module)


def backend_name() -> str:
    """Which queue tasks go to: "immediate", "redis" or "sqlite" (shown by `flask jobs status`)."""
    if huey.immediate:
        return "immediate"
    return "redis" if isinstance(huey.storage, RedisStorage) else "sqlite"


def queue_depth() -> int:
    """Tasks waiting for a worker; raises if the queue cannot be reached (the readiness check relies on that)."""
    return int(huey.pending_count())


@contextmanager
def _task_context() -> Iterator[None]:
    """The app context a task runs in.

    On a worker there is none: push the configured app's and drop its database
    session afterwards. In immediate mode the task runs inside its caller's
    context (a request, a CLI command or a test) and shares its session.
    """
    if has_app_context():
        yield
        return
    if _app is None:
        raise RuntimeError("No app is configured for jobs: create the app (core.create_app) first")
    with _app.app_context():
        from core.extensions import db

        try:
            yield
        finally:
            db.session.remove()


def _in_app(fn: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with _task_context():
            return fn(*args, **kwargs)

    return run


def job(*, retries: int = 0, retry_delay: int = 0) -> Callable[[Callable[P, R]], TaskWrapper]:
    """A task: calling it enqueues it (or, in immediate mode, runs it there and then)."""
    def decorate(fn: Callable[P, R]) -> TaskWrapper:
        return huey.task(retries=retries, retry_delay=retry_delay)(_in_app(fn))

    return decorate


def periodic_job(schedule: Callable[[Any], bool], *, retries: int = 0) -> Callable[[Callable[[], R]], TaskWrapper]:
    """A task the scheduler enqueues whenever `schedule` (a huey.crontab) matches the minute."""
    def decorate(fn: Callable[[], R]) -> TaskWrapper:
        return huey.periodic_task(schedule, retries=retries)(_in_app(fn))

    return decorate
