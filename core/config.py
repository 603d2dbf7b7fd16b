"""Configuration classes.

Every setting reads an environment variable with a safe development default, so
a newcomer can `make run` with nothing set while a deployment overrides
everything from its environment. Secrets never live in the repository.
"""
from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
INSTANCE_DIR = BASE_DIR / "instance"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def public_base_url() -> str:
    """Where emails and feeds link to: PUBLIC_BASE_URL, else the local address `make run` serves.

    The Makefile passes the PORT it serves on, so a newcomer who runs on another port gets links
    that work without setting anything else.
    """
    configured = os.environ.get("PUBLIC_BASE_URL", "").strip()
    if configured:
        return configured.rstrip("/")
    port = os.environ.get("PORT", "").strip()
    return f"http://127.0.0.1:{port if port.isdigit() else '5000'}"


def _database_url(default: str, variable: str = "DATABASE_URL") -> str:
    url = os.environ.get(variable, default)
    # Heroku-style URLs name the old driver; we ship psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Config:
    """Development defaults: SQLite in instance/, mail printed to the log."""

    # Production's configuration sets this: then the demo and benchmark commands are not even added.
    PRODUCTION = False
    # Signs sessions, CSRF tokens and emailed links. Unset in development: made once and kept in
    # instance/secret-key (mode 0600) by core.secret_files, so restarts and workers agree.
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    # Fernet key(s) for sealed responses (tenders.config); unset in development: instance/response-encryption-key.
    RESPONSE_ENCRYPTION_KEY = os.environ.get("RESPONSE_ENCRYPTION_KEY") or None
    # Whether secrets not set above may come from (and be created in) the instance folder.
    INSTANCE_SECRETS = True
    # How many reverse proxies in front of the app add to X-Forwarded-For and set X-Forwarded-Proto.
    # 0 trusts none: those headers are then ignored, as a client could forge them.
    TRUSTED_PROXIES = os.environ.get("TRUSTED_PROXIES", "0")
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'commons.db'}")
    # Migrations connect with this URL when it is set: on PostgreSQL the schema's owner role, while the
    # application (DATABASE_URL) connects as a role that cannot alter the tables (trail.db_roles).
    MIGRATION_DATABASE_URL = _database_url("", "MIGRATION_DATABASE_URL") or None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}

    # Uploads and forms: anything larger is refused with a clear 413 page.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 20 * 1024 * 1024))

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    PERMANENT_SESSION_LIFETIME = int(os.environ.get("SESSION_LIFETIME_SECONDS", 8 * 3600))
    # Only send the session cookie when the session changes. Refreshing it on every
    # request let a slow parallel response (a stylesheet, say) put back an older
    # cookie over a newer one, losing the CSRF token the page's form was built with.
    SESSION_REFRESH_EACH_REQUEST = False
    WTF_CSRF_TIME_LIMIT = int(os.environ.get("CSRF_TIME_LIMIT_SECONDS", 8 * 3600))

    # Rate limits (Flask-Limiter). Redis when configured so every worker shares counts.
    REDIS_URL = os.environ.get("REDIS_URL")
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    SIGNIN_RATE_LIMIT = os.environ.get("SIGNIN_RATE_LIMIT", "10 per minute;50 per hour")

    # Account tokens.
    EMAIL_TOKEN_HOURS = int(os.environ.get("EMAIL_TOKEN_HOURS", 48))
    RESET_TOKEN_MINUTES = int(os.environ.get("RESET_TOKEN_MINUTES", 60))
    TOTP_ISSUER = os.environ.get("TOTP_ISSUER", "Commissioning Commons")

    # Mail goes through the outbox; without MAIL_SERVER it is printed to the log.
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_FROM = os.environ.get("MAIL_FROM", "Commissioning Commons <no-reply@commons.localhost>")
    # Absolute links in emails.
    PUBLIC_BASE_URL = public_base_url()

    # Public pages served whole to readers with no cookie (core.page_cache). Each worker keeps its
    # own cache unless CACHE_TYPE=RedisCache with CACHE_REDIS_URL; 0 seconds turns it off.
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 30))
    CACHE_TYPE = os.environ.get("CACHE_TYPE", "SimpleCache")
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL")
    CACHE_DEFAULT_TIMEOUT = PAGE_CACHE_SECONDS
    CACHE_THRESHOLD = int(os.environ.get("CACHE_THRESHOLD", 1000))

    # The platform's own target for checking a provider organisation (Ofsted URN, Companies House or
    # charity number), shown to people waiting for it. A service target, not a legal time limit.
    VERIFICATION_TARGET_WORKING_DAYS = int(os.environ.get("VERIFICATION_TARGET_WORKING_DAYS", 2))

    # The job queue (core.jobs): Redis when JOBS_URL (or REDIS_URL) is set, else a SQLite file in the instance
    # folder that `make run`'s worker shares with the web server. JOBS_NAME keeps two installations (or test
    # runs) on one Redis apart.
    JOBS_URL = os.environ.get("JOBS_URL") or os.environ.get("REDIS_URL") or None
    JOBS_NAME = os.environ.get("JOBS_NAME", "commons")
    JOBS_SQLITE_PATH = os.environ.get("JOBS_SQLITE_PATH") or None
    JOBS_IMMEDIATE = _bool("JOBS_IMMEDIATE", False)

    # Where uploaded files, tender documents and sealed responses (encrypted) are kept: "database" (the default)
    # or "filesystem" under STORAGE_PATH, a folder every web server and worker mounts. `flask files move` moves
    # what is already stored.
    STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "database")
    STORAGE_PATH = os.environ.get("STORAGE_PATH") or str(INSTANCE_DIR / "files")

    # /metrics (Prometheus) answers loopback, or a request with "Authorization: Bearer METRICS_TOKEN".
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN") or None
    # Logs as one JSON object a line (with the request id) instead of plain text.
    LOG_JSON = _bool("LOG_JSON", False)

    AUDIT_VERIFY_BATCH = int(os.environ.get("AUDIT_VERIFY_BATCH", 2000))
    # The Ed25519 key that signs audit checkpoints. It lives outside the database
    # on purpose: whoever can rewrite the trail must not also be able to re-sign it.
    # `flask audit checkpoint` creates it (mode 0600) on first use.
    AUDIT_SIGNING_KEY_PATH = os.environ.get("AUDIT_SIGNING_KEY_PATH", str(INSTANCE_DIR / "audit-signing-key.pem"))
    # The public halves of every signing key retired by `flask audit rotate-key`, so checkpoints they signed
    # still verify. Public, but keep it with the key: verification trusts what is in it.
    AUDIT_PUBLIC_KEYRING_PATH = os.environ.get("AUDIT_PUBLIC_KEYRING_PATH",
                                               str(INSTANCE_DIR / "audit-public-keys.pem"))
    # The prefix of every OCDS ocid this platform publishes. Register your own with the Open Contracting
    # Partnership (https://standard.open-contracting.org/latest/en/guidance/map/ocid_prefix/) before going live.
    OCDS_OCID_PREFIX = os.environ.get("OCDS_OCID_PREFIX", "ocds-commons-")


class DevelopmentConfig(Config):
    DEBUG = False


class ProductionConfig(Config):
    """Refuses to start without its keys, and insists on secure cookies.

    A production server's secrets come from its environment, never from files
    the app made for itself, so they are kept and backed up on purpose.
    """

    PRODUCTION = True
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    INSTANCE_SECRETS = False

    def __init__(self) -> None:
        missing = [name for name in ("SECRET_KEY", "RESPONSE_ENCRYPTION_KEY") if not os.environ.get(name)]
        if missing:
            raise RuntimeError(f"{' and '.join(missing)} must be set in production")
        # Read now, not when this module was imported, so what is checked is what is used.
        self.SECRET_KEY = os.environ["SECRET_KEY"]
        self.RESPONSE_ENCRYPTION_KEY = os.environ["RESPONSE_ENCRYPTION_KEY"]


# A fixed Fernet key for tests only (urlsafe base64 of 32 bytes); never used outside TestConfig.
TEST_RESPONSE_KEY = "dGVzdC1yZXNwb25zZS1rZXktMzItYnl0ZXMtbG9uZyE="


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"
    RESPONSE_ENCRYPTION_KEY = TEST_RESPONSE_KEY
    INSTANCE_SECRETS = False  # tests never write into the repository's instance/
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_STORAGE_URI = "memory://"
    PAGE_CACHE_SECONDS = 0  # tests that exercise the page cache turn it on
    SIGNIN_RATE_LIMIT = "1000 per minute"
    PUBLIC_BASE_URL = "http://localhost"
    MAIL_SERVER = None
    SERVER_NAME = None
    JOBS_IMMEDIATE = True  # a test that exercises a real queue configures one
    # Cheap hashing keeps the suite fast; production uses argon2's defaults.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestConfig,
}
