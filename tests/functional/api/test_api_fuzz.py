"""Fuzzing the JSON API with schemathesis, against a database seeded through the real services.

Every generated request must get a documented status code, never a 5xx, and a
body that matches the documented schema. Deterministic (derandomized) and
capped in examples, so it runs in the ordinary suite on SQLite and PostgreSQL.
"""
from __future__ import annotations

import collections

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import clear_globals
from tests.functional.api.conftest import bearer

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


# The catch-all is a 404 for anything, but a generated value can spell a real path (tested by hand instead).
EXCLUDED = {"/api/v1/{unknown_path}"}
FUZZ_SETTINGS = settings(max_examples=30, derandomize=True, deadline=None, database=None,
                         phases=[Phase.explicit, Phase.generate],
                         suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                HealthCheck.filter_too_much, HealthCheck.data_too_large])


def test_api_answers_every_generated_request_as_documented(app, seeded, monkeypatch):
    """One hypothesis run per operation (schemathesis' pytest loader does not run under pytest 9 yet)."""
    # The suite shares one in-memory limiter; this run must not be cut short (rate limits: test_api_tokens_http).
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "100000 per minute")
    # schemathesis calls the app itself, not through the test client: give each request an empty `g` too.
    wsgi_app = app.wsgi_app

    def fresh_globals(environ, start_response):
        clear_globals()
        return wsgi_app(environ, start_response)

    monkeypatch.setattr(app, "wsgi_app", fresh_globals)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    fuzzed = [op for op in operations if op.path not in EXCLUDED]
    assert len(fuzzed) == len(operations) - len(EXCLUDED) >= 11
    statuses: dict[tuple[str, bool], set[int]] = collections.defaultdict(set)
    for operation in fuzzed:
        for headers in ({}, bearer(seeded.tokens["auditor"])):  # the public, and a token that sees drafts

            @FUZZ_SETTINGS
            @given(case=operation.as_strategy())
            def run(case):
                # Operations that need a token get a generated (useless) Authorization header, and it wins over
                # call(headers=...): set ours on the case itself so the auditor's requests really get in.
                # run() is called at once, inside this iteration, so the loop variables are the ones meant.
                case.headers = {**(case.headers or {}), **headers}  # noqa: B023
                response = case.call_and_validate(checks=CHECKS)
                statuses[operation.path, bool(headers)].add(response.status_code)  # noqa: B023

            run()
    # With the auditor's token, every listing and every register answered some requests with data, not only
    # refusals (generated ids and slugs in other paths are rarely real: those are 404s, tested by hand elsewhere).
    listings = [op.path for op in fuzzed if "{" not in op.path.replace("{register}", "")]
    assert "/api/v1/registers/{register}" in listings
    assert not [path for path in listings if 200 not in statuses[path, True]], dict(statuses)
