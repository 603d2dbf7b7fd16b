"""Engine set-up per database.

SQLite: WAL, foreign keys, a busy timeout, and explicit BEGINs so SAVEPOINTs
work and writes start with BEGIN IMMEDIATE. Taking the write lock at the start
of a writing transaction is what serialises audit appends on SQLite: two
workers can never both read the same chain head. Read-only requests (GET,
HEAD, OPTIONS) begin deferred so readers never queue behind writers.
"""
from __future__ import annotations

from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

READ_METHODS = {"GET", "HEAD", "OPTIONS"}
# Ids are 32-bit integers in both databases: a larger number in a URL or a cursor names nothing, and must be a
# 404 (or a 400) rather than an overflow error from PostgreSQL.
MAX_ID = 2**31 - 1


def _wants_write_lock() -> bool:
    if not has_request_context():
        return True  # CLI commands, workers and tests: assume they write
    return request.method not in READ_METHODS or bool(g.get("write_intent"))


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _wants_write_lock() else "BEGIN")


def init_database(app: Flask) -> None:
    from core.extensions import db

    with app.app_context():
        for engine in db.engines.values():
            configure_engine(engine)
