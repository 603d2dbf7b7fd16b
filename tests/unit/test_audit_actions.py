"""Audit actions: one registry, each action described; the trail refuses an action nobody registered."""
import ast
from pathlib import Path

import pytest
from sqlalchemy import func, select

import trail
from trail import actions
from trail.models import AuditEvent

ROOT = Path(__file__).resolve().parents[2]
APP_PACKAGES = (
    "core",
    "trail",
    "accounts",
    "forum",
    "tenders",
    "sufficiency",
    "outcomes",
    "benchmarking",
    "oversight",
    "commons",
    "demo",
)


def _recorded_actions() -> dict[str, str]:
    """Every action name the app packages pass to record/record_sealed, literally (no f-strings allowed)."""
    found: dict[str, str] = {}
    for package in APP_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
                if name not in ("record", "record_sealed"):
                    continue
                first = node.args[0]
                options = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
                for option in options:
                    if isinstance(option, ast.Constant) and isinstance(option.value, str):
                        found[option.value] = f"{path.relative_to(ROOT)}:{node.lineno}"
                    elif isinstance(option, ast.JoinedStr):
                        found[ast.unparse(option)] = f"{path.relative_to(ROOT)}:{node.lineno} (an f-string)"
    return found


def test_every_action_the_code_records_is_registered_with_a_description(app):
    for name, where in _recorded_actions().items():
        assert actions.require(name).description, f"{name} ({where})"


def test_every_registered_action_has_a_plain_description_and_a_domain(app):
    grouped = actions.by_domain()
    assert {"Accounts and sign-in", "Forums", "Procurements", "Oversight", "Audit trail, mail and files"} <= dict(
        grouped
    ).keys()
    for _domain, listed in grouped:
        for action in listed:
            assert action.description[0].isupper() and action.description != action.name


def test_recording_an_unregistered_action_is_refused_and_writes_nothing(db, user_factory):
    provider = user_factory("provider")
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(actions.UnregisteredAction, match="forum.thread_invented"):
        trail.record("forum.thread_invented", summary="never")
    with pytest.raises(actions.UnregisteredAction):
        trail.record_sealed("response.smuggled", actor=provider, summary="never", procurement_id=1)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before


def test_registering_an_action_again_with_another_meaning_is_a_mistake(app):
    actions.register("Forums", {"forum.created": actions.require("forum.created").description})
    with pytest.raises(ValueError, match="already registered"):
        actions.register("Forums", {"forum.created": "Something else"})
