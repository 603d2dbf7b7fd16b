"""An operation that is not public (a register for auditors, say): one decorator argument does it all."""
from __future__ import annotations

import pytest
from flask import Blueprint
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from accounts import api_tokens
from accounts.policy import is_auditor
from core import api as api_core
from core.openapi import build_spec, operation
from tests.conftest import FreshGlobalsClient, make_test_app
from tests.functional.api.conftest import bearer, token_for
from trail.models import AuditEvent


@pytest.fixture
def register_app(database_url, db):
    """A second app with one auditors-only endpoint, built exactly as a register endpoint would be."""
    app = make_test_app(database_url)
    app.test_client_class = FreshGlobalsClient
    registers = Blueprint("registers_example", __name__, url_prefix="/api/v1/example")
    registers.register_error_handler(HTTPException, api_core.http_error_response)
    api_core.install(registers)
    api_tokens.install(registers)

    @registers.get("/register")
    @operation(summary="An auditors-only register", response="ForumPage", tag="Registers", requires=is_auditor)
    def register(query):
        """Rows only auditors may read."""
        return api_core.json_response({"items": [], "next": None})

    app.register_blueprint(registers)
    return app


def test_an_auditors_only_operation_needs_an_auditors_token(register_app, db, user_factory):
    client = register_app.test_client()
    anonymous = client.get("/api/v1/example/register")
    assert anonymous.status_code == 401 and anonymous.get_json()["error"]["status"] == 401
    assert anonymous.headers["WWW-Authenticate"].lower().startswith("bearer")
    commissioner = token_for(user_factory("commissioner"))
    refused = client.get("/api/v1/example/register", headers=bearer(commissioner))
    assert refused.status_code == 403 and refused.get_json()["error"]["status"] == 403
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "security.refused",
                                                      AuditEvent.summary.contains("api.register")))
    assert client.get("/api/v1/example/register", headers=bearer(token_for(user_factory("auditor")))).get_json() \
        == {"items": [], "next": None}


def test_the_document_says_the_operation_needs_a_token(register_app):
    document = build_spec(register_app, blueprint="registers_example")
    described = document["paths"]["/api/v1/example/register"]["get"]
    assert described["security"] == [{"bearerAuth": []}]
    assert {"401", "403"} <= set(described["responses"])
    assert described["description"] == "Rows only auditors may read."
