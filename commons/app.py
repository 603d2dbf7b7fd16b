"""The application factory: the one place that puts every package together."""
from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from flask import Blueprint, Flask
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


def _connect_layers() -> None:
    """Give each lower floor what it asks of the floors above it (registries and signals owned below)."""
    import accounts.actions
    import benchmarking.actions
    import forum.actions
    import outcomes.actions
    import oversight.actions
    import sufficiency.actions
    import tenders.actions
    from accounts.queries import user_by_id
    from core.guards import register_refusal_recorder
    from core.page_cache import register_version
    from oversight.subscriptions import connect_signals
    from sufficiency.links import connect as connect_sufficiency
    from tenders.forum_links import connect_forum
    from trail.actions import register as register_actions
    from trail.events import head_seq, record_refusal, register_actor_loader

    register_refusal_recorder(record_refusal)
    register_version(head_seq)
    register_actor_loader(user_by_id)
    connect_forum()
    connect_signals()
    connect_sufficiency()
    for package in (accounts.actions, forum.actions, tenders.actions, sufficiency.actions, outcomes.actions,
                    benchmarking.actions, oversight.actions):
        register_actions(package.DOMAIN, package.ACTIONS)


def _api_blueprint() -> Blueprint:
    """A new /api/v1 blueprint with every package's routes on it, added here rather than on import."""
    import benchmarking.api
    import forum.api
    import outcomes.api
    import oversight.api
    import oversight.api_registers
    import sufficiency.api
    import tenders.api
    import tenders.rules_api
    from accounts import api_tokens
    from core.api import make_blueprint

    bp = make_blueprint()
    api_tokens.install(bp)
    for routes in (forum.api.routes, tenders.api.routes, tenders.rules_api.routes, outcomes.api.routes,
                   sufficiency.api.routes, benchmarking.api.routes,
                   oversight.api_registers.routes):
        routes.register(bp)
    oversight.api.register(bp)
    return bp


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
    import benchmarking.models  # noqa: F401
    import core.models  # noqa: F401
    import forum.models  # noqa: F401
    import outcomes.models  # noqa: F401
    import sufficiency.models  # noqa: F401
    import tenders.models  # noqa: F401
    import trail.models  # noqa: F401

    _connect_layers()

    import oversight.register_views  # noqa: F401  (the registers and attention pages, on audit_bp)
    from accounts.views import bp as accounts_bp
    from benchmarking.views import bp as benchmarking_bp
    from commons.views import bp as core_bp
    from forum.views import bp as forum_bp
    from outcomes.views import bp as outcomes_bp
    from oversight.views import bp as audit_bp
    from sufficiency.views import bp as sufficiency_bp
    from tenders.views import bp as tenders_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(forum_bp)
    app.register_blueprint(tenders_bp)
    app.register_blueprint(sufficiency_bp)
    app.register_blueprint(outcomes_bp)  # its "my work" providers register with it
    app.register_blueprint(benchmarking_bp)
    app.register_blueprint(_api_blueprint())  # /api/v1 and `flask export`

    from core.errorpages import init_error_pages

    init_error_pages(app)

    from accounts.cli import accounts_cli
    from benchmarking.cli import benchmarks_cli
    from outcomes.cli import outcomes_cli
    from trail.cli import audit_cli
    from trail.ops_cli import init_cli

    app.cli.add_command(accounts_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(outcomes_cli)
    app.cli.add_command(benchmarks_cli)
    from sufficiency.cli import sufficiency_cli

    app.cli.add_command(sufficiency_cli)
    init_cli(app)
    if not app.config["PRODUCTION"]:
        from demo.cli import init_demo_cli

        init_demo_cli(app)

    from core.metrics import register_gauges
    from core.operations import init_operations
    from trail.files_cli import files_cli
    from trail.outbox_jobs import backlog_gauges

    # The job queue, request ids, logs, metrics and probes: last, as the task modules import every service.
    init_operations(app, task_modules=("trail.outbox_jobs", "trail.jobs", "forum.jobs", "tenders.jobs"))
    register_gauges(backlog_gauges)
    app.cli.add_command(files_cli)

    @app.context_processor
    def _globals() -> dict:
        from flask_login import current_user

        from accounts.policy import navigation_flags

        return {"nav": navigation_flags(current_user),
                "verification_target_days": app.config["VERIFICATION_TARGET_WORKING_DAYS"]}

    return app
