"""The contract outcome endpoints: public figures suppressed, an auditor's token sees them in full; CSV twins."""
import csv
import io

from outcomes.services import returns, statements
from outcomes.services.common import outcomes_for
from tests.functional.api.conftest import bearer, token_for
from tests.unit.outcomes.builders import LATER, submitted


def _small_verified(world, contract):
    stability = outcomes_for(contract)[0]
    returns.verify_return(submitted(world, stability, "2026-Q2", cohort=3, achieved=2), world.c1, now=LATER)
    statement = statements.calculate_statement(contract, world.c1, period="2026-Q2", now=LATER)
    statements.approve_statement(statement, world.c2, now=LATER)
    return statement


def test_contracts_are_listed_with_their_outcome_terms(client, db, world, contract):
    body = client.get("/api/v1/contracts").get_json()
    assert [c["id"] for c in body["items"]] == [contract.id]
    assert body["items"][0]["period_months"] == 3 and body["next"] is None
    rows = list(csv.reader(io.StringIO(client.get("/api/v1/contracts.csv").get_data(as_text=True))))
    assert rows[0][0] == "id" and rows[1][0] == str(contract.id)


def test_public_outcome_figures_are_suppressed_and_an_auditor_sees_them_in_full(client, db, world, contract):
    statement = _small_verified(world, contract)
    public = client.get(f"/api/v1/contracts/{contract.id}/outcomes").get_json()
    period = public["outcomes"][0]["periods"][0]
    assert public["figures"] == "public"
    assert period["cohort"] == {"value": None, "label": "fewer than 5"} and period["actual"] is None
    full = client.get(f"/api/v1/contracts/{contract.id}/outcomes",
                      headers=bearer(token_for(world.auditor))).get_json()
    assert full["figures"] == "full"
    assert full["outcomes"][0]["periods"][0]["cohort"] == {"value": 3, "label": "3"}
    assert round(full["outcomes"][0]["periods"][0]["actual"], 1) == 66.7
    text = client.get(f"/api/v1/contracts/{contract.id}/outcomes.csv").get_data(as_text=True)
    assert "fewer than 5" in text and "66.7" not in text
    detail = client.get(f"/api/v1/contracts/{contract.id}").get_json()
    assert detail["statements"][0]["earned_pence"] == statement.earned_pence
    assert "approved" in client.get(f"/api/v1/contracts/{contract.id}.csv").get_data(as_text=True)


def test_an_unknown_contract_is_a_json_404(client, db):
    response = client.get("/api/v1/contracts/999999/outcomes")
    assert response.status_code == 404 and response.get_json()["error"]["status"] == 404
    assert client.get("/api/v1/contracts/999999.csv").status_code == 404


def test_the_endpoints_are_in_the_openapi_document(client, db):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/contracts", "/api/v1/contracts.csv", "/api/v1/contracts/{contract_id}",
                 "/api/v1/contracts/{contract_id}.csv", "/api/v1/contracts/{contract_id}/outcomes",
                 "/api/v1/contracts/{contract_id}/outcomes.csv"):
        assert path in paths
    assert "text/csv" in paths["/api/v1/contracts.csv"]["get"]["responses"]["200"]["content"]
