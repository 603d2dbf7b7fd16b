"""Every action the trail may record, each with a one-line description an auditor can read.

The spine cannot import the domains, so each package declares its own actions in its `actions.py` as a mapping
from action name to description, and the app factory registers it (`commons.app._connect_layers`):

    # outcomes/actions.py
    DOMAIN = "Outcomes"
    ACTIONS = {
        "outcome.measure_recorded": "A commissioner recorded how a placement's outcomes were measured",
    }

Adding an action is one line in that mapping; a new package also adds one `register(DOMAIN, ACTIONS)` line to the
factory. `trail.record` and `trail.record_sealed` refuse an action nobody registered (`UnregisteredAction`, a
programming error rather than a user's mistake), so a misspelt or forgotten action fails the first test that
reaches it. The auditors' filters list these actions by domain, with their descriptions, rather than codes.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


class UnregisteredAction(LookupError):
    """A service tried to record an action that no package registered: a bug in the code, never bad input."""


@dataclass(frozen=True)
class Action:
    name: str
    domain: str
    description: str


_REGISTRY: dict[str, Action] = {}

DOMAIN = "Audit trail, mail and files"
ACTIONS = {
    "audit.chain_verified": "An auditor's verification of the whole chain finished, intact or broken",
    "audit.checkpoint_signed": "A signed checkpoint of the chain's head was published",
    "audit.signing_key_rotated": "The key that signs checkpoints was replaced",
    "audit.payload_redacted": "An administrator removed personal data from an event, leaving the chain intact",
    "security.refused": "Someone tried something they are not allowed to do, and was refused",
    "mail.delivered": "An email waiting in the outbox was handed to the mail server",
    "storage.files_moved": "Stored files were moved to another storage backend, each checked against its hash",
}


def register(domain: str, actions: Mapping[str, str]) -> None:
    """Add a package's actions under its domain's name. Registering the same action twice alike is harmless
    (a second app in one process); registering it again differently is a mistake."""
    for name, description in actions.items():
        action = Action(name, domain, description)
        existing = _REGISTRY.get(name)
        if existing is not None and existing != action:
            raise ValueError(f"The audit action {name!r} is already registered as {existing}")
        _REGISTRY[name] = action


def require(name: str) -> Action:
    """The registered action, or UnregisteredAction."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnregisteredAction(
            f"The audit action {name!r} is not registered: add it to its package's actions.py") from None


def describe(name: str) -> str:
    """An action's description, or its name when it is no longer registered (an old event's action)."""
    action = _REGISTRY.get(name)
    return action.description if action is not None else name


def by_domain() -> list[tuple[str, list[Action]]]:
    """The registered actions grouped by domain, domains and actions in alphabetical order."""
    domains: dict[str, list[Action]] = {}
    for action in sorted(_REGISTRY.values(), key=lambda a: (a.domain, a.name)):
        domains.setdefault(action.domain, []).append(action)
    return list(domains.items())


def of_domain(domain: str) -> list[str]:
    """The names of a domain's actions (empty for an unknown domain)."""
    return sorted(a.name for a in _REGISTRY.values() if a.domain == domain)


register(DOMAIN, ACTIONS)
