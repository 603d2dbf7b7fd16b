"""Every contract outcome route (outcomes.* and the api.contract* endpoints), tried as eight people, on a running
contract won by provider A with a return waiting for verification (with an evidence file) and a calculated
statement waiting for approval.

The outcomes page is public; submitting is for the contract's provider; returns and their evidence are for the
parties and auditors; deciding, calculating, approving, rating and setting terms are for the owning commissioners.
The API ignores the browser session: everyone gets the public figures.
"""
import pytest
from flask import url_for

from core import clock
from forum.attachments import Upload
from outcomes.services import returns, statements
from outcomes.services.common import outcomes_for
from tests.conftest import csrf_token
from tests.functional.tenders.test_route_matrix import EVERYONE, OWNER
from tests.unit.outcomes.builders import LATER, contracted, proportion, submitted

PARTIES = {"provider_a", "owning_commissioner", "auditor"}
GET_EXPECTATIONS = {
    "outcomes.contract": EVERYONE,
    "outcomes.submit": {"provider_a"},
    "outcomes.return_show": PARTIES,
    "outcomes.evidence_file": PARTIES,
    "outcomes.rate": OWNER,
    "outcomes.terms": OWNER,
    "api.contracts": EVERYONE,
    "api.contracts_csv": EVERYONE,
    "api.contract": EVERYONE,
    "api.contract_csv": EVERYONE,
    "api.contract_outcomes": EVERYONE,
    "api.contract_outcomes_csv": EVERYONE,
}
POST_ONLY_EXPECTATIONS = {name: OWNER for name in ("outcomes.verify", "outcomes.query", "outcomes.dispute",
                                                    "outcomes.resolve", "outcomes.calculate", "outcomes.approve")}
ENDPOINTS = set(GET_EXPECTATIONS) | set(POST_ONLY_EXPECTATIONS)


@pytest.fixture
def outcomes_live(world, db):
    contract = contracted(world)
    first, second = outcomes_for(contract)
    returns.verify_return(submitted(world, second, "2026-Q2"), world.c1, now=LATER)
    waiting = returns.submit_return(first, world.p1, period="2026-Q3", figures=proportion(10, 7), narrative_md="",
                                    files=[Upload("records.csv", b"a,b\n1,2\n")], now=LATER)
    statement = statements.calculate_statement(contract, world.c2, period="2026-Q2", now=LATER)
    clock.set_now(LATER)
    people = {"anonymous": None, "provider_a": world.p1, "provider_b": world.p2, "in_house_provider": world.in_house,
              "owning_commissioner": world.c2, "other_commissioner": world.other_commissioner,
              "auditor": world.auditor, "admin": world.admin}
    values = {"procurement_id": contract.procurement_id, "contract_id": contract.id, "outcome_id": first.id,
              "return_id": waiting.id, "file_id": waiting.evidence[0].id, "statement_id": statement.id}
    yield people, values
    clock.set_now(None)


def _urls(app, values, methods):
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint in ENDPOINTS and methods(rule):
                yield rule.endpoint, url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})


def test_every_outcome_route_has_an_expectation(app):
    found = {rule.endpoint for rule in app.url_map.iter_rules()
             if rule.endpoint.startswith("outcomes.") or rule.endpoint.startswith("api.contract")}
    assert found == ENDPOINTS


@pytest.mark.parametrize("persona", sorted(EVERYONE))
def test_outcome_routes_answer_each_person_as_expected(app, client, auth, outcomes_live, persona):
    people, values = outcomes_live
    if people[persona] is not None:
        auth.sign_in(people[persona])
    problems = []
    for endpoint, url in _urls(app, values, lambda rule: "GET" in rule.methods):
        status = client.get(url).status_code
        if persona in GET_EXPECTATIONS[endpoint]:
            if status != 200:
                problems.append(f"GET {url}: expected 200, got {status}")
        elif persona == "anonymous":
            if status not in (302, 401):
                problems.append(f"GET {url}: anonymous should be sent to sign in, got {status}")
        elif status != 403:
            problems.append(f"GET {url}: expected 403, got {status}")
    token = csrf_token(client.get("/sign-in" if persona == "anonymous" else "/account").get_data(as_text=True))
    for endpoint, url in _urls(app, values, lambda rule: "GET" not in rule.methods):
        status = client.post(url, data={"csrf_token": token}).status_code
        allowed = persona in POST_ONLY_EXPECTATIONS[endpoint]
        if allowed and status in (401, 403) or status >= 500:
            problems.append(f"POST {url}: allowed but got {status}")
        if not allowed and status not in ((302, 401) if persona == "anonymous" else (403,)):
            problems.append(f"POST {url}: expected refusal, got {status}")
    assert not problems, f"as {persona}:\n" + "\n".join(problems)
