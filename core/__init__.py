"""The application factory."""
from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from core.config import BASE_DIR, CONFIGS, Config
from core.proxies import init_proxies
from core.secret_files import instance_secret
from core.timezones import exact_utc, uk_clock, uk_date, uk_time, uk_time_with_utc
from core.urls import BoundedIntConverter


def _init_secret_key(app: Flask) -> None:
    """A configured SECRET_KEY, or in development the one kept in the instance folder."""
    if app.config.get("SECRET_KEY"):
        return
    if not app.config.get("INSTANCE_SECRETS"):
        raise RuntimeError("SECRET_KEY must be set")
    app.config["SECRET_KEY"] = instance_secret(app, "secret-key", lambda: secrets.token_hex(32).encode(),
                                               "session key")


def create_app(config_class: type[Config] | None = None, *, instance_path: str | Path | None = None) -> Flask:
    """The app. `instance_path` (default: instance/ in the checkout) is where development keeps its key files."""
    if config_class is None:
        config_class = CONFIGS[os.environ.get("APP_ENV", "development")]
    app = Flask(
        __name__,
        static_folder=str(BASE_DIR / "static"),
        template_folder=str(BASE_DIR / "templates"),
        instance_path=str(instance_path or BASE_DIR / "instance"),
    )
    app.config.from_object(config_class())
    # Before any route is added: every `<int:...>` in a path is bounded to what an id column can hold.
    app.url_map.converters["int"] = BoundedIntConverter
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.logger.handlers or app.logger.level == logging.NOTSET:
        app.logger.setLevel(logging.INFO)
    _init_secret_key(app)
    init_proxies(app)

    app.jinja_loader = ChoiceLoader([
        FileSystemLoader(str(BASE_DIR / "templates")),
        PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
            "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
        }),
    ])
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["uk_time"] = uk_time
    app.jinja_env.filters["uk_date"] = uk_date
    app.jinja_env.filters["uk_clock"] = uk_clock
    app.jinja_env.filters["uk_time_with_utc"] = uk_time_with_utc
    app.jinja_env.filters["exact_utc"] = exact_utc
    WTFormsHelpers(app)
    from core.forms import error_list

    app.add_template_global(error_list, 'form_error_list')

    from core.extensions import cache, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)
    login_manager.init_app(app)

    from core.database import init_database
    from core.security import init_security

    init_database(app)
    init_security(app)

    # Import every model so metadata (and Alembic autogenerate) sees them all.
    import accounts.models  # noqa: F401
    import audit.models  # noqa: F401
    import benchmarking.models  # noqa: F401
    import core.models  # noqa: F401
    import forum.models  # noqa: F401
    import tenders.models  # noqa: F401
    import outcomes.models  # noqa: F401

    from accounts.views import bp as accounts_bp
    from audit.api import bp as api_bp
    import forum.api  # noqa: F401  (their /api/v1 routes register on api_bp)
    import tenders.api  # noqa: F401
    import audit.api_registers  # noqa: F401
    from outcomes.api import register as register_outcomes_api

    register_outcomes_api(api_bp)  # the contract outcome endpoints
    from audit.views import bp as audit_bp
    import audit.register_views  # noqa: F401  (the registers and attention pages, on audit_bp)
    import benchmarking.api  # noqa: F401
    from benchmarking.views import bp as benchmarking_bp
    from core.views import bp as core_bp
    from forum.views import bp as forum_bp
    from tenders.views import bp as tenders_bp
    from outcomes.views import bp as outcomes_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(forum_bp)
    app.register_blueprint(tenders_bp)
    app.register_blueprint(outcomes_bp)  # its worklist providers and API routes register with it
    app.register_blueprint(benchmarking_bp)
    app.register_blueprint(api_bp)  # /api/v1 and `flask export`

    from core.errorpages import init_error_pages

    init_error_pages(app)

    from accounts.cli import accounts_cli
    from audit.cli import audit_cli
    from benchmarking.cli import benchmarks_cli
    from core.cli import init_cli
    from outcomes.cli import outcomes_cli

    app.cli.add_command(accounts_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(outcomes_cli)
    app.cli.add_command(benchmarks_cli)
    init_cli(app)

    @app.context_processor
    def _globals() -> dict:
        from flask_login import current_user

        from accounts.policy import navigation_flags

        return {"nav": navigation_flags(current_user),
                "verification_target_days": app.config["VERIFICATION_TARGET_WORKING_DAYS"]}

    return app
