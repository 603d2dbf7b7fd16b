"""The production image holds the whole house: no package of the app may be left out of the Dockerfile.

No Docker engine runs where the suite runs, so the image is never built here; this reads the Dockerfile instead,
and fails when a new package is added to the house but not to the image (the app would not start).
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[2]


def _stages() -> dict[str, set[str]]:
    """What each stage of deploy/Dockerfile copies from the repository, by stage name."""
    stages: dict[str, set[str]] = {}
    current = ""
    for line in (ROOT / "deploy" / "Dockerfile").read_text().splitlines():
        if found := re.match(r"FROM \S+ AS (\w+)", line):
            current = found.group(1)
            stages[current] = set()
        elif line.startswith("COPY") and "--from=" not in line:
            stages[current].update(part.strip("./") for part in line.split()[1:-1] if not part.startswith("--"))
    return stages


def _house() -> list[str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]


def test_the_runtime_image_copies_every_package_of_the_app_and_leaves_the_demo_out():
    runtime = _stages()["runtime"]
    assert {p for p in _house() if p != "demo"} <= runtime
    assert "demo" not in runtime


def test_the_dependency_stage_has_every_package_setuptools_is_told_to_find():
    includes = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    packages = {pattern.rstrip("*") for pattern in includes["include"]}
    assert packages == set(_house())
    assert packages <= _stages()["python"]
