"""The OpenAPI document: well-formed OpenAPI 3 (schemathesis loads it) and complete (every /api/v1 route)."""
from __future__ import annotations

import re

import schemathesis


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule)


def test_every_api_route_is_in_the_document(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    documented = {path for path, item in document["paths"].items() if "get" in item}
    routes = {_openapi_path(rule.rule) for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1")}
    assert routes and routes == documented


def test_schemathesis_loads_the_document_as_openapi_3(app, db):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    assert schema.raw_schema["openapi"].startswith("3.")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/api/v1/procurements", "/api/v1/forums/{slug}",
                                              "/api/v1/ocds/releases.json"}


def test_the_document_describes_parameters_errors_and_the_bearer_scheme(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": document["components"]["securitySchemes"]["bearerAuth"][
            "description"]}
    listing = document["paths"]["/api/v1/procurements"]["get"]
    names = {p["name"]: p for p in listing["parameters"]}
    assert set(names) == {"stage", "category", "region", "cursor", "limit"}
    assert names["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}
    assert "planning" in names["stage"]["schema"]["enum"]
    assert set(listing["responses"]) == {"200", "400", "401", "429"}
    assert document["components"]["responses"]["Error404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"}
    error = document["components"]["schemas"]["Error"]["properties"]["error"]
    assert error["required"] == ["status", "title", "message"]
    one = document["paths"]["/api/v1/procurements/{procurement_id}"]["get"]
    assert "404" in one["responses"] and one["parameters"][0]["in"] == "path"


def test_the_register_parameter_lists_every_register_so_clients_and_fuzzers_can_name_them(client):
    from oversight.registers import REGISTERS

    document = client.get("/api/v1/openapi.json").get_json()
    rows = document["paths"]["/api/v1/registers/{register}"]["get"]
    register = next(p for p in rows["parameters"] if p["name"] == "register")
    assert register["schema"] == {"type": "string", "enum": [r.slug for r in REGISTERS]}
