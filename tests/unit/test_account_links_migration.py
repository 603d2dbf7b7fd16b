"""Upgrading brings links already in inboxes under the rule: only a person's newest link of each kind can work."""
from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import admin_url, make_test_app, reset_postgres

BEFORE = "1f2e3d4c5b6a"
REVISION = "376c0dbb00fe"


@pytest.fixture
def empty_database_url(database_url, tmp_path) -> Iterator[str]:
    """A database with nothing in it, for migrating step by step."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name = f"cc_links_{os.getpid()}"
    admin = create_engine(admin_url(database_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(database_url).set(database=name).render_as_string(hide_password=False)
    reset_postgres(url)  # the owner and application roles, with their grants, as in every test database
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrading_revokes_the_earlier_of_each_persons_live_links(empty_database_url):
    app = make_test_app(empty_database_url)
    from core.extensions import db

    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO organisation (id, name, kind, about_md, about_html, created_at) "
                              "VALUES (1, 'Hilltop Homes', 'provider', '', '', '2026-12-01 09:00')"))
            for user_id in (1, 2):
                conn.execute(text(
                    "INSERT INTO \"user\" (id, email, full_name, password_hash, organisation_id, is_suspended, "
                    "created_at, session_version) VALUES (:id, :email, 'Jo Bloggs', 'x', 1, false, "
                    "'2026-12-01 09:00', 1)"), {"id": user_id, "email": f"jo{user_id}@example.org"})
            tokens = [(1, 1, "reset_password", None), (2, 1, "reset_password", None), (3, 1, "confirm_email", None),
                      (4, 2, "reset_password", None), (5, 1, "reset_password", "2026-12-01 10:00")]
            for token_id, user_id, purpose, used_at in tokens:
                conn.execute(text(
                    "INSERT INTO account_token (id, user_id, purpose, token_hash, created_at, expires_at, used_at) "
                    "VALUES (:id, :user_id, :purpose, :hash, '2026-12-01 09:00', '2026-12-01 10:00', :used_at)"),
                    {"id": token_id, "user_id": user_id, "purpose": purpose, "hash": f"{token_id:064d}",
                     "used_at": used_at})
        upgrade(revision=REVISION)
        with db.engine.connect() as conn:
            revoked = dict(conn.execute(text("SELECT id, revoked_at IS NOT NULL FROM account_token")).all())
        db.engine.dispose()
    # 1 and 2 have a newer reset link (5: sent later and used, so the password changed since);
    # 3 and 4 are the only links of their kind for their person; 5 was used and needs no revoking.
    assert {token_id: bool(flag) for token_id, flag in revoked.items()} == \
        {1: True, 2: True, 3: False, 4: False, 5: False}
