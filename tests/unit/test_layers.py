"""The floors meet only where the app factory joins them: demo commands outside production, registries filled."""
from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from flask import Flask

from commons import create_app
from core import guards, page_cache
from core.config import ProductionConfig, TestConfig
from forum import hooks
from tenders.queries import published_linked_to_forum
from tenders.services.conflicts import check_quiet_period
from trail.events import head_seq, record_refusal

DEMO_COMMANDS = {"seed-demo", "bench-data"}


def _commands(app: Flask) -> set[str]:
    return set(app.cli.list_commands(None))  # type: ignore[arg-type]


def test_production_has_no_demo_or_bench_commands(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("RESPONSE_ENCRYPTION_KEY", Fernet.generate_key().decode())
    production = create_app(ProductionConfig, instance_path=tmp_path)
    assert production.config["PRODUCTION"] is True
    assert not DEMO_COMMANDS & _commands(production)
    assert {"audit", "outbox", "db-roles", "export"} <= _commands(production)


def test_other_configurations_have_the_demo_and_bench_commands(tmp_path):
    assert _commands(create_app(TestConfig, instance_path=tmp_path)) >= DEMO_COMMANDS


def test_the_factory_fills_what_the_lower_floors_ask_of_the_higher_ones(tmp_path):
    create_app(TestConfig, instance_path=tmp_path)
    assert guards._recorder is record_refusal
    assert page_cache._version is head_seq
    assert check_quiet_period in hooks._post_checks
    assert hooks._listers["forum"] is published_linked_to_forum


def test_each_app_has_its_own_api_blueprint_with_every_package_s_routes(tmp_path):
    first, second = (create_app(TestConfig, instance_path=tmp_path) for _ in range(2))
    assert first.blueprints["api"] is not second.blueprints["api"]
    for app in (first, second):
        endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
        assert {"api.forums", "api.procurements_list", "api.rules_regime", "api.register_rows", "api.ocds_releases",
                "api.openapi", "api.unknown"} <= endpoints


def test_a_refusal_with_no_recorder_registered_is_an_error_not_a_silent_gap(db, monkeypatch):
    monkeypatch.setattr(guards, "_recorder", None)
    with pytest.raises(RuntimeError, match="refusal recorder"):
        guards.record_refusal_now(None, "anything", "no reason")
