"""Shared fixtures: a migrated database per run, a rolled-back transaction per test.

TEST_DATABASE_URL picks the database (default: a fresh SQLite file). The schema
is built by the real Alembic migrations, never by create_all, so the migrations
and the triggers they install are under test too.

On PostgreSQL, TEST_DATABASE_URL is a superuser's: it resets the schema and
sets up the two roles (trail.db_roles), the migrations run as the owner role,
and the application and the tests connect as the application's role, as in
production. A test that plays someone with the owner's rights (dropping the
trail's triggers to tamper with it) says so with the `database_owner` marker
or by using `rewrite_history`.

Under pytest-xdist each worker has a database of its own, made and migrated
once when the worker starts: on SQLite a file in the worker's temporary
folder, on PostgreSQL a database named after TEST_DATABASE_URL's with the
worker's id appended (test_gw0, test_gw1, ...), on the same server.
"""
from __future__ import annotations

import os
import re
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from pathlib import Path

import pyotp
import pytest
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session as FlaskSQLAlchemySession
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.datastructures import MultiDict

from accounts import services as account_services
from accounts.models import Organisation, User
from commons import create_app
from core.clock import utcnow
from core.config import TestConfig
from core.extensions import db as _db
from trail.actions import register as register_actions
from trail.db_roles import APP_ROLE, OWNER_ROLE, setup_roles

# Events the tests append by hand to exercise the chain, the filters and the exports: registered like any package's.
register_actions("Tests", {name: f"A test's own event ({name})" for name in (
    "test.batch", "test.by_auditor", "test.by_provider", "test.concurrent", "test.csv", "test.decision", "test.doomed",
    "test.event", "test.export", "test.late_evening", "test.linked", "test.only_here", "test.other", "test.step",
    "test.tick", "test.unwanted", "test.want", "test.wanted", "test_x.event", "testYx.event")})

PASSWORD = "correct-horse-battery-staple"

# For tests that start real servers of their own (gunicorn with several workers, an SMTP server going up and
# down) and judge them within time limits: under xdist (`--dist loadgroup`, as `make test` runs) they all go to
# one worker, one after another, so none of them competes with another for the CPU or the loopback ports.
serial = pytest.mark.xdist_group("serial")


def _database_url(tmp_root: Path) -> str:
    """The URL the application under test connects with (on PostgreSQL: as the application's role).

    Without xdist, TEST_DATABASE_URL's own database; under xdist, the worker's (see the module's docstring).
    """
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_root / 'test.db'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        url = create_database(url, f"{make_url(url).database}_{worker}")
    return role_url(url, APP_ROLE)


def role_url(url: str, role: str) -> str:
    """The same database as `url`, connecting as `role` (local trust authentication, as in CI)."""
    return make_url(url).set(username=role, password=None).render_as_string(hide_password=False)


def admin_url(url: str) -> str:
    """TEST_DATABASE_URL's superuser, on the database `url` names."""
    return make_url(os.environ["TEST_DATABASE_URL"]).set(database=make_url(url).database).render_as_string(
        hide_password=False)


def owner_url(url: str) -> str:
    """Where migrations (and tests playing the owner) connect: the owner role on PostgreSQL."""
    return role_url(url, OWNER_ROLE) if url.startswith("postgresql") else url


# The key of the advisory lock that makes the suite's cluster-wide changes one at a time.
_CLUSTER_LOCK = zlib.crc32(b"commissioning-commons test roles and databases")


@contextmanager
def cluster_lock() -> Iterator[None]:
    """Held while roles or databases are made or dropped: they belong to the whole server, and two xdist
    workers creating the same role at once collide (a duplicate key, or "tuple concurrently updated").

    Advisory locks are counted per database, so every worker takes it in TEST_DATABASE_URL's own one.
    """
    engine = create_engine(os.environ["TEST_DATABASE_URL"], isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _CLUSTER_LOCK})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _CLUSTER_LOCK})
    finally:
        engine.dispose()


def create_database(url: str, name: str) -> str:
    """A new, empty database `name` on `url`'s server (dropped first if a past run left it); its URL."""
    admin = create_engine(admin_url(url), isolation_level="AUTOCOMMIT")
    try:
        with cluster_lock(), admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Drop the database `url` names (connected from TEST_DATABASE_URL's own)."""
    admin = create_engine(os.environ["TEST_DATABASE_URL"], isolation_level="AUTOCOMMIT")
    try:
        with cluster_lock(), admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    finally:
        admin.dispose()


def reset_postgres(url: str) -> None:
    """An empty schema, and the two roles with their grants, as `flask db-roles` makes them."""
    engine = create_engine(admin_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    with cluster_lock(), engine.begin() as conn:
        setup_roles(conn)
    engine.dispose()


def make_test_app(url: str, **overrides) -> Flask:
    """An app on `url`; its schema is migrated if the tables are not there yet."""

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        MIGRATION_DATABASE_URL = owner_url(url) if url.startswith("postgresql") else None
        # Never the developer's instance/ key: the demo loader signs a checkpoint with this one.
        AUDIT_SIGNING_KEY_PATH = str(Path(tempfile.mkdtemp(prefix="commons-audit-key-")) / "audit-signing-key.pem")

    for key, value in overrides.items():
        setattr(Config, key, value)
    return create_app(Config)


def migrate_database(app: Flask) -> None:
    with app.app_context():
        if _db.engine.dialect.name == "postgresql":
            reset_postgres(str(_db.engine.url.render_as_string(hide_password=False)))
        upgrade(revision="heads")
        _db.engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    url = _database_url(tmp_path_factory.mktemp("db"))
    yield url
    if url.startswith("postgresql") and os.environ.get("PYTEST_XDIST_WORKER"):
        drop_database(url)


class FreshGlobalsClient(FlaskClient):
    """Each request starts with an empty `g`, as it does in production.

    The test's app context (holding the per-test transaction) stays pushed,
    and Flask reuses it for requests, so without this `g` would carry the
    signed-in user and the CSRF token from one request to the next.
    """

    def open(self, *args, **kwargs):
        clear_globals()
        return super().open(*args, **kwargs)


@pytest.fixture(autouse=True)
def unfrozen_clock() -> Iterator[None]:
    """Every test starts and ends on the real clock: a frozen `core.clock` left behind by one test would move
    "now" for whichever test runs next on the same worker (demo dates, horizons, reply windows)."""
    from core import clock

    clock.set_now(None)
    yield
    clock.set_now(None)


def clear_globals() -> None:
    """Empty `g` in the test's long-lived app context (see FreshGlobalsClient)."""
    if has_app_context():
        for name in list(g):
            g.pop(name)


@pytest.fixture(scope="session")
def app(database_url) -> Iterator[Flask]:
    application = make_test_app(database_url)
    application.test_client_class = FreshGlobalsClient
    migrate_database(application)
    yield application
    with application.app_context():
        for engine in _db.engines.values():
            engine.dispose()


class _ConnectionBoundSession(FlaskSQLAlchemySession):
    """Flask-SQLAlchemy's Session.get_bind picks the engine by table and ignores a
    session-level `bind`; the test session must use the test's connection."""

    def get_bind(self, *args, **kwargs):
        return self.bind


@pytest.fixture
def empty_database_url(database_url, tmp_path) -> Iterator[str]:
    """A separate database with nothing in it (on PostgreSQL: with the owner and application roles and their
    grants, as in every test database), for tests that migrate it themselves."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name = f"cc_scratch_{os.getpid()}_{tmp_path.name[-12:].lower()}".replace("-", "_")
    url = create_database(database_url, name)
    reset_postgres(url)
    yield url
    drop_database(url)


@pytest.fixture
def scratch_database_url(empty_database_url) -> str:
    """A separate, migrated, throwaway database for tests that must really commit
    (several processes, a second app), so they never leave rows in the shared one."""
    migrate_database(make_test_app(empty_database_url))
    return empty_database_url


def plays_database_owner(request: pytest.FixtureRequest) -> bool:
    """Whether a test acts with the owner's rights (on PostgreSQL the app role cannot drop triggers)."""
    return request.node.get_closest_marker("database_owner") is not None or "rewrite_history" in request.fixturenames


@pytest.fixture
def db(app: Flask, request: pytest.FixtureRequest):
    """Each test runs inside one outer transaction that is rolled back at the end.

    Services and views still call commit(); with create_savepoint those commits
    release savepoints inside the outer transaction (SQLAlchemy 2.0's recipe).
    The connection is the application's role, or the owner's for a test that
    plays someone with the owner's rights.
    """
    with app.app_context():
        owner_engine = None
        if plays_database_owner(request) and _db.engine.dialect.name == "postgresql":
            owner_engine = create_engine(owner_url(_db.engine.url.render_as_string(hide_password=False)))
        connection = (owner_engine or _db.engine).connect()
        transaction = connection.begin()
        original = _db.session
        _db.session = _db._make_scoped_session({"class_": _ConnectionBoundSession, "bind": connection,
                                                "join_transaction_mode": "create_savepoint"})
        try:
            yield _db
        finally:
            _db.session.remove()
            _db.session = original
            transaction.rollback()
            connection.close()
            if owner_engine is not None:
                owner_engine.dispose()


@pytest.fixture
def client(app: Flask, db) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask, db):
    return app.test_cli_runner()


# ---------------------------------------------------------------- factories


@pytest.fixture
def org_factory(db):
    """Organisations made through the real service (so their audit events exist)."""
    counter = iter(range(1, 10_000))

    def make(kind: str = "provider", *, name: str | None = None, provider_type: str | None = None,
             council: str | None = None, verified: bool = False) -> Organisation:
        if kind == "provider" and provider_type is None:
            provider_type = "independent"
        if provider_type == "in_house" and council is None:
            council = "Testshire County Council"
        org = account_services.create_organisation(account_services.NewOrganisation(
            name=name or f"Test {kind} {next(counter)}", kind=kind, provider_type=provider_type, council=council))
        if verified:
            org.verified_at = utcnow()
        db.session.flush()
        return org

    return make


@pytest.fixture
def user_factory(db, org_factory):
    """People with a role, a confirmed email and (where the role needs it) TOTP."""
    counter = iter(range(1, 10_000))
    kinds = {"provider": "provider", "commissioner": "commissioning_unit", "auditor": "auditor_body",
             "admin": "operator", None: "provider"}

    def make(role: str | None = "provider", *, organisation: Organisation | None = None, email: str | None = None,
             confirmed: bool = True, totp: bool | None = None, full_name: str | None = None) -> User:
        org = organisation or org_factory(kinds[role])
        n = next(counter)
        user = account_services.register(
            full_name=full_name or f"Person Number{n}", email=email or f"person{n}@example.org", password=PASSWORD,
            organisation=org)
        if role != user.role:
            user.role = role
        if confirmed:
            user.email_confirmed_at = utcnow()
        if totp if totp is not None else role in {"commissioner", "auditor", "admin"}:
            user.totp_secret = pyotp.random_base32()
            user.totp_enabled_at = utcnow()
        db.session.flush()
        return user

    return make


# ---------------------------------------------------------------- HTTP helpers

def csrf_token(html: str) -> str:
    match = re.search(r'name="[\w-]*csrf_token"[^>]*value="([^"]+)"', html) or \
        re.search(r'value="([^"]+)"[^>]*name="[\w-]*csrf_token"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def submit(client: FlaskClient, url: str, data: dict | None = None, *, form_url: str | None = None,
           follow_redirects: bool = False, prefix: str = ""):
    """GET the page holding the form, then POST it with its CSRF token, as a browser would."""
    page = client.get(form_url or url)
    payload = dict(data or {})
    payload[f"{prefix}csrf_token"] = csrf_token(page.get_data(as_text=True))
    return client.post(url, data=payload, follow_redirects=follow_redirects)


_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def submit_and_confirm(client: FlaskClient, url: str, data: dict | None = None, *, form_url: str | None = None,
                       follow_redirects: bool = False, prefix: str = ""):
    """Post the form, then confirm on its "check your answers" page with what that page carries, as a person would."""
    checked = submit(client, url, data, form_url=form_url, prefix=prefix)
    html = checked.get_data(as_text=True)
    assert checked.status_code == 200 and "Check your answers" in html, (
        f"no check-your-answers page ({checked.status_code})"
    )
    payload = MultiDict([(name, unescape(value)) for name, value in _HIDDEN.findall(html)
                         if not name.endswith("csrf_token")])
    payload[f"{prefix}csrf_token"] = csrf_token(html)
    payload["check_answers"] = "confirmed"
    return client.post(url, data=payload, follow_redirects=follow_redirects)


def totp_code(user: User) -> str:
    """A code the server will accept now: the next unused step within its drift window."""
    totp = pyotp.TOTP(user.totp_secret)
    import time

    now = int(time.time())
    current = now // totp.interval
    offset = 0 if user.totp_last_step is None or user.totp_last_step < current else user.totp_last_step - current + 1
    assert offset <= 1, "no unused TOTP step left in the window for this user"
    return totp.at(now, counter_offset=offset)


class Auth:
    def __init__(self, client: FlaskClient):
        self.client = client

    def sign_in(self, user: User, password: str = PASSWORD):
        response = submit(self.client, "/sign-in", {"email": user.email, "password": password})
        if user.has_totp and response.status_code == 302 and "/two-factor" in response.headers["Location"]:
            response = submit(self.client, "/sign-in/two-factor", {"code": totp_code(user)})
        return response

    def sign_out(self):
        return submit(self.client, "/sign-out", {}, form_url="/account")


@pytest.fixture
def auth(client) -> Auth:
    return Auth(client)
