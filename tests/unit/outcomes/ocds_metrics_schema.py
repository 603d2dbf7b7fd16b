"""The OCDS 1.1.5 release schema with the Metrics extension (v1.1) applied, for offline validation.

The extension's release-schema.json is a JSON Merge Patch (RFC 7386) over the
core schema; both are kept in tests/data, unmodified, with their licences.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator
from referencing import Registry
from referencing.jsonschema import DRAFT4

from tests.unit.audit_ocds.ocds_schema import FORMATS, PACKAGE_SCHEMA, RELEASE_SCHEMA

EXTENSION_DIR = Path(__file__).resolve().parents[2] / "data" / "ocds-extension-metrics"


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: objects merge key by key, null removes a key, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


@lru_cache(maxsize=1)
def patched_release_schema() -> dict[str, Any]:
    core = json.loads(RELEASE_SCHEMA.read_text(encoding="utf-8"))
    patch = json.loads((EXTENSION_DIR / "release-schema.json").read_text(encoding="utf-8"))
    return merge_patch(core, patch)


@lru_cache(maxsize=1)
def _validator() -> Draft4Validator:
    package = json.loads(PACKAGE_SCHEMA.read_text(encoding="utf-8"))
    release = patched_release_schema()
    resource = DRAFT4.create_resource(release)
    registry = Registry().with_resources([(package["properties"]["releases"]["items"]["$ref"], resource),
                                          (release["id"], resource)])
    return Draft4Validator(package, registry=registry, format_checker=FORMATS)


def metrics_schema_errors(package: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
            for error in _validator().iter_errors(package)]
