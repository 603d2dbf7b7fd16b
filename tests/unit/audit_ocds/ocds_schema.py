"""Validating OCDS packages against the official 1.1.5 schema, offline.

The schema is kept in the repository (tests/data/ocds-1.1.5, unmodified copies of
the official files with their licence), so these tests run on every clone. The release
package schema refers to the release schema by its canonical URL; a local
`referencing` Registry maps that URL to the local file, and the registry has
no retriever, so an unknown reference fails instead of reaching the network.
"""
from __future__ import annotations

import json
import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT4

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "data" / "ocds-1.1.5"
PACKAGE_SCHEMA = SCHEMA_DIR / "release-package-schema.json"
RELEASE_SCHEMA = SCHEMA_DIR / "release-schema.json"
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")

FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    """jsonschema checks date-time only with an optional package installed; this one is strict RFC 3339."""
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        raise ValueError(f"{value!r} is not an RFC 3339 date-time")
    datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


@FORMATS.checks("uri", raises=ValueError)
def _uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    if not (parts.scheme and parts.netloc) or " " in value:
        raise ValueError(f"{value!r} is not an absolute URI")
    return True


@lru_cache(maxsize=1)
def _validator() -> Draft4Validator:
    package = json.loads(PACKAGE_SCHEMA.read_text(encoding="utf-8"))
    release = json.loads(RELEASE_SCHEMA.read_text(encoding="utf-8"))
    release_ref = package["properties"]["releases"]["items"]["$ref"]  # the URL exactly as the package writes it
    resource = DRAFT4.create_resource(release)
    registry = Registry().with_resources([(release_ref, resource), (release["id"], resource)])
    return Draft4Validator(package, registry=registry, format_checker=FORMATS)


def schema_errors(package: dict[str, Any]) -> list[str]:
    """Every problem with a package, as readable lines ([] when it validates)."""
    return [f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
            for error in _validator().iter_errors(package)]


def assert_valid_package(package: dict[str, Any]) -> None:
    errors = schema_errors(package)
    assert not errors, "OCDS schema errors:\n" + "\n".join(errors[:20])
