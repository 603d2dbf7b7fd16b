"""Development's secrets live in the instance folder, so a restart or another worker uses the same ones."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from commons import create_app
from core.config import DevelopmentConfig, ProductionConfig, TestConfig

ROOT = Path(__file__).resolve().parents[2]

# One process of `make run`, `flask seed-demo` or a gunicorn worker: development settings, no keys configured.
PROCESS = """
import sys
from flask.sessions import SecureCookieSessionInterface
from commons import create_app
from core.config import DevelopmentConfig

class Development(DevelopmentConfig):
    SECRET_KEY = None
    RESPONSE_ENCRYPTION_KEY = None
    SQLALCHEMY_DATABASE_URI = "sqlite://"

app = create_app(Development, instance_path=sys.argv[2])
cookies = SecureCookieSessionInterface().get_signing_serializer(app)
with app.app_context():
    from tenders import crypto
    if sys.argv[1] == "seal":
        print(crypto.encrypt(b"Alpha Homes: 110,000,000").decode())
        print(cookies.dumps({"_user_id": "7:1"}))
    else:
        sealed, cookie = sys.stdin.read().split()
        print(crypto.decrypt(sealed.encode()).decode())
        print(cookies.loads(cookie)["_user_id"])
"""


def _run(step: str, instance: Path, stdin: str = "") -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "RESPONSE_ENCRYPTION_KEY", "APP_ENV")}
    done = subprocess.run([sys.executable, "-c", PROCESS, step, str(instance)], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


class Development(DevelopmentConfig):
    SECRET_KEY = None
    RESPONSE_ENCRYPTION_KEY = None
    SQLALCHEMY_DATABASE_URI = "sqlite://"


def _written(instance) -> list[str]:
    """The files the app made in its instance folder, leaving out the embedded job queue's database."""
    return sorted(p.name for p in instance.iterdir() if not p.name.startswith("jobs.sqlite3"))


def test_a_response_sealed_in_one_process_opens_in_the_next(tmp_path):
    """As after `flask seed-demo` then `flask run`, or a restart: the same key, and the session still holds."""
    instance = tmp_path / "instance"
    sealed = _run("seal", instance)
    assert _run("open", instance, stdin=sealed).split("\n")[:2] == ["Alpha Homes: 110,000,000", "7:1"]


def test_development_keys_are_made_once_with_mode_0600_and_the_response_key_is_separate(tmp_path):
    first = create_app(Development, instance_path=tmp_path)
    assert _written(tmp_path) == ["response-encryption-key", "secret-key"]
    for name in ("response-encryption-key", "secret-key"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    Fernet(first.config["RESPONSE_ENCRYPTION_KEY"])  # a key of its own, not something made from SECRET_KEY
    assert first.config["SECRET_KEY"] not in first.config["RESPONSE_ENCRYPTION_KEY"]
    again = create_app(Development, instance_path=tmp_path)
    assert (again.config["SECRET_KEY"], again.config["RESPONSE_ENCRYPTION_KEY"]) == \
        (first.config["SECRET_KEY"], first.config["RESPONSE_ENCRYPTION_KEY"])


def test_a_development_key_file_others_can_read_stops_the_app(tmp_path):
    create_app(Development, instance_path=tmp_path)
    (tmp_path / "response-encryption-key").chmod(0o644)
    with pytest.raises(RuntimeError, match="chmod 600"):
        create_app(Development, instance_path=tmp_path)


@pytest.mark.parametrize("configured", [{}, {"SECRET_KEY": "s3cret"}, {"RESPONSE_ENCRYPTION_KEY": "x"}])
def test_production_refuses_to_start_without_both_keys(tmp_path, monkeypatch, configured):
    for name in ("SECRET_KEY", "RESPONSE_ENCRYPTION_KEY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in configured.items():
        monkeypatch.setenv(name, value)
    missing = {"SECRET_KEY", "RESPONSE_ENCRYPTION_KEY"} - set(configured)
    with pytest.raises(RuntimeError, match="must be set in production") as exc:
        create_app(ProductionConfig, instance_path=tmp_path)
    assert all(name in str(exc.value) for name in missing)
    assert list(tmp_path.iterdir()) == []


def test_production_uses_the_keys_from_its_environment_and_writes_no_key_files(tmp_path, monkeypatch):
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("RESPONSE_ENCRYPTION_KEY", key)
    app = create_app(ProductionConfig, instance_path=tmp_path)
    assert (app.config["SECRET_KEY"], app.config["RESPONSE_ENCRYPTION_KEY"]) == ("from-the-environment", key)
    assert _written(tmp_path) == []


def test_the_test_configuration_writes_no_key_files(tmp_path):
    create_app(TestConfig, instance_path=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_responses_sealed_under_the_old_derived_key_open_when_it_is_listed_after_the_new_one(tmp_path):
    """The way out for an installation that ran without RESPONSE_ENCRYPTION_KEY before (see the README)."""
    from tenders import crypto

    legacy = crypto.legacy_derived_key("an old SECRET_KEY")
    assert legacy == "jxRYTvhZh4eAzALQHVfad4Z_bcbdWdG1ERsS74Kg7Js="  # what earlier versions sealed with
    sealed_before = Fernet(legacy).encrypt(b"sealed before the upgrade")

    class Upgraded(TestConfig):
        RESPONSE_ENCRYPTION_KEY = f"{Fernet.generate_key().decode()},{legacy}"

    with create_app(Upgraded, instance_path=tmp_path).app_context():
        assert crypto.decrypt(sealed_before) == b"sealed before the upgrade"
        with pytest.raises(crypto.InvalidToken):
            Fernet(legacy).decrypt(crypto.encrypt(b"sealed after"))  # new responses use the new key
