"""Every tenders route, tried as eight people, on a live tender with one sealed response.

A tenders route without an expectation here fails
tests/security/test_authorization_matrix.py, which checks every route of the app. Before opening, nobody (not even the
owning commissioners, an evaluator, an auditor or an admin) reaches a page
that shows a response's content.
"""
import pytest

from tenders.services import clarifications, evaluation, procurements
from tests.unit.tenders.builders import CLARIFY_BY, DEADLINE, T0, clear_conflicts, in_engagement, submit

EVERYONE = {"anonymous", "provider_a", "provider_b", "in_house_provider", "owning_commissioner",
            "other_commissioner", "auditor", "admin"}
PROVIDERS = {"provider_a", "provider_b", "in_house_provider"}
OWNER = {"owning_commissioner"}
COMMISSIONERS = {"owning_commissioner", "other_commissioner"}
NOBODY: set[str] = set()

GET_EXPECTATIONS = {
    "tenders.index": EVERYONE,
    "tenders.feed": EVERYONE,
    "tenders.rules": EVERYONE,
    "tenders.regime_page": OWNER,
    "tenders.show": EVERYONE,
    "tenders.versions": EVERYONE,
    "tenders.document": EVERYONE,
    "tenders.new": COMMISSIONERS,
    "tenders.details": OWNER,
    "tenders.edit_specification": OWNER,
    "tenders.change_specification": OWNER,
    "tenders.criteria": OWNER,
    "tenders.links_page": OWNER,
    "tenders.documents": OWNER,
    "tenders.engagement": OWNER,
    "tenders.publish": OWNER,
    "tenders.close": OWNER,
    "tenders.open_responses": OWNER,
    "tenders.answer": OWNER,
    "tenders.award": OWNER,
    "tenders.contract": OWNER,
    "tenders.evaluation_page": OWNER | {"auditor"},
    "tenders.clarifications_page": PROVIDERS | OWNER,
    "tenders.respond": PROVIDERS,
    "tenders.receipt": {"provider_a"},
    "tenders.receipt_download": {"provider_a"},
    # Sealed until the deadline and a two-person opening: nobody.
    "tenders.responses_list": NOBODY,
    "tenders.read": NOBODY,
    "tenders.response_document": NOBODY,
    "tenders.score": NOBODY,
    # A page addressed by a response's number would tell that it exists.
    "tenders.consensus": NOBODY,
    "tenders.assessment": NOBODY,  # no award yet
}
POST_ONLY_EXPECTATIONS = {
    "tenders.add_event": OWNER,
    "tenders.add_meeting_event": OWNER,
    "tenders.assign": OWNER,
    "tenders.submit_scores": OWNER,
    "tenders.withdraw": PROVIDERS,
    "tenders.reconfirm": PROVIDERS,
}


@pytest.fixture
def live(world, db, at):
    p = in_engagement(world)
    document = procurements.add_document(p, world.c1, title="Pricing schedule", filename="pricing.csv",
                                         content_type="text/csv", data=b"a,b", now=T0)
    clear_conflicts(world, p)
    procurements.publish_tender(p, world.c1, clarification_deadline=CLARIFY_BY, response_deadline=DEADLINE, now=T0)
    receipt = submit(world, p, world.p1, 100)
    question = clarifications.ask_clarification(p, world.p1, question="?", now=T0)
    evaluation.assign_evaluator(p, world.c1, world.c1, is_moderator=True, now=T0)
    people = {"anonymous": None, "provider_a": world.p1, "provider_b": world.p2, "in_house_provider": world.in_house,
              "owning_commissioner": world.c1, "other_commissioner": world.other_commissioner,
              "auditor": world.auditor, "admin": world.admin}
    values = {"procurement_id": p.id, "response_id": receipt.response_id, "clarification_id": question.id,
              "document_id": document.id, "criterion_id": p.criteria[0].id, "index": 0}
    return people, values


# Issue-5 topics keep their own matrices (tests/functional/tenders/test_<topic>_route_matrix.py), on a procurement
# built for their routes; their endpoints are named tenders.<topic>_*.
TOPICS = ("codesign", "ledger", "conflicts", "spinoffs", "notices")


def topic_of(endpoint: str) -> str | None:
    name = endpoint.split(".", 1)[1]
    return next((topic for topic in TOPICS if name.startswith(topic + "_")), None)


def _urls(app, values, methods, topic=None):
    from flask import url_for

    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint.startswith("tenders.") and topic_of(rule.endpoint) == topic and methods(rule):
                yield rule.endpoint, url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})


def route_problems(app, client, auth, people, values, persona, get_expectations, post_expectations, topic=None):
    """Try every route of `topic` (None: the core tenders routes) as `persona`; list what answered wrongly."""
    if people[persona] is not None:
        auth.sign_in(people[persona])
    problems = []
    for endpoint, url in _urls(app, values, lambda rule: "GET" in rule.methods, topic):
        status = client.get(url).status_code
        if persona in get_expectations[endpoint]:
            if status != 200:
                problems.append(f"GET {url}: expected 200, got {status}")
        elif persona == "anonymous":
            if status not in (302, 401):
                problems.append(f"GET {url}: anonymous should be sent to sign in, got {status}")
        elif status != 403:
            problems.append(f"GET {url}: expected 403, got {status}")
    from tests.conftest import csrf_token
    token = csrf_token(client.get("/sign-in" if persona == "anonymous" else "/account").get_data(as_text=True))
    for endpoint, url in _urls(app, values, lambda rule: "GET" not in rule.methods, topic):
        status = client.post(url, data={"csrf_token": token}).status_code
        allowed = persona in post_expectations[endpoint]
        if allowed and status in (401, 403, 500):
            problems.append(f"POST {url}: allowed but got {status}")
        if not allowed and status not in ((302, 401) if persona == "anonymous" else (403,)):
            problems.append(f"POST {url}: expected refusal, got {status}")
    return problems


@pytest.mark.parametrize("persona", sorted(EVERYONE))
def test_tenders_routes_answer_each_person_as_expected(app, client, auth, live, persona):
    people, values = live
    problems = route_problems(app, client, auth, people, values, persona, GET_EXPECTATIONS, POST_ONLY_EXPECTATIONS)
    assert not problems, f"as {persona}:\n" + "\n".join(problems)
