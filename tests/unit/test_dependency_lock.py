"""requirements.lock holds every Python distribution the project needs, at one version, and is what is installed.

pyproject.toml pins the project's direct dependencies; what those pull in
(Werkzeug, Jinja2, urllib3 ...) would otherwise float, so a new machine could
run different code from CI's. These tests fail when a pin is changed without
`make lock`, when a dependency's dependency is missing from the lock, or when the
environment running the tests was installed without it.
"""
from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "commissioning-commons"


def _locked() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==([A-Za-z0-9.+!-]+)", line)
        assert match, f"requirements.lock: not an exact pin: {line!r}"
        pins[canonicalize_name(match[1])] = match[2]
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        lines.extend(extra)
    return [Requirement(line) for line in lines]


def test_every_direct_dependency_is_pinned_and_locked_at_its_pin() -> None:
    locked = _locked()
    for requirement in _declared():
        specifiers = list(requirement.specifier)
        assert len(specifiers) == 1 and specifiers[0].operator == "==", f"pyproject.toml: {requirement} is not pinned"
        name = canonicalize_name(requirement.name)
        assert locked.get(name) == specifiers[0].version, (
            f"{requirement} in pyproject.toml, {locked.get(name)} in requirements.lock: run `make lock`")


def _closure(extras: set[str]) -> set[str]:
    """Every installed distribution the project (with these extras) needs, following each one's own metadata."""
    needed: set[str] = set()
    pending = [(PROJECT, frozenset(extras))]
    while pending:
        name, wanted = pending.pop()
        requires = metadata.distribution(name).requires or []
        for line in requires:
            requirement = Requirement(line)
            marker = requirement.marker
            if marker is not None and not any(marker.evaluate({"extra": extra}) for extra in wanted | {""}):
                continue
            child = canonicalize_name(requirement.name)
            if child not in needed:
                needed.add(child)
                pending.append((child, frozenset(requirement.extras)))
    return needed


def test_everything_the_tests_run_on_is_in_the_lock_at_its_locked_version() -> None:
    locked = _locked()
    for name in sorted(_closure({"test"})):
        installed = metadata.version(name)
        assert name in locked, f"{name} {installed} is needed but not in requirements.lock: run `make lock`"
        assert installed == locked[name], (
            f"{name} {installed} is installed but requirements.lock says {locked[name]}: install with `make test`")
