"""Every state-changing route refuses a request without this session's CSRF token.

tests/functional/test_security_and_errors.py posts to every POST route as an
anonymous visitor with made-up URL arguments and also accepts a redirect to
sign-in, so a route exempted from CSRF but behind login_required would pass
it. This sweep posts as signed-in people, to real rows, with no token, with
another session's token and with a forged header, and demands the CSRF
refusal itself (400, the "did not come from this site" page, an audited
refusal) and no other change. A new route with a new URL argument fails here
until it is given a real value.
"""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token
from tests.security.test_authorization_matrix import url_values  # noqa: F401  (a fixture)
from trail.models import AuditEvent

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
REFUSAL = "did not come from this site"


@pytest.fixture
def all_values(url_values, db, people):
    """The matrix's values plus a live tender of the owning council's with a response, a question,
    a document, criteria and an evaluator."""
    from tenders.models.ledger import Contact
    from tenders.services import clarifications, evaluation, procurements, responses
    from tenders.services import ledger as parity
    from tests.unit.audit_ocds.builders import draft_by
    from tests.unit.tenders.builders import CLARIFY_BY, DEADLINE, T0, clear_conflicts

    owner = people["owning_commissioner"]
    # The matrix's contact naming no procurement would block every tender notice of the council (rule 2).
    parity.mark_not_about_live_procurement(db.session.get(Contact, url_values["contact_id"]), owner,
                                           reason="A general question", now=T0 - timedelta(days=21))
    p = draft_by(owner, "CSRF sweep procurement")
    procurements.publish_engagement_notice(p, owner, closes_on=(T0 - timedelta(days=5)).date(),
                                           now=T0 - timedelta(days=20))
    document = procurements.add_document(p, owner, title="Schedule", filename="s.csv", content_type="text/csv",
                                         data=b"a,b", now=T0)
    clear_conflicts(SimpleNamespace(c1=owner), p, publisher=owner, now=T0)
    procurements.publish_tender(p, owner, clarification_deadline=CLARIFY_BY, response_deadline=DEADLINE, now=T0)
    receipt = responses.submit_response(p, people["provider_a"], method_statement="How",
                                        commitments={o.id: "Yes" for o in p.published_version.outcomes},
                                        criterion_answers={c.id: "Yes" for c in p.criteria if c.kind == "quality"},
                                        price_pence=100, documents=[], now=T0 + timedelta(days=1))
    question = clarifications.ask_clarification(p, people["provider_a"], question="?", now=T0)
    evaluation.assign_evaluator(p, owner, owner, is_moderator=True, now=T0)
    # Co-design and the parity ledger live in engagement: a second procurement with a thread, a proposal and a
    # private conversation (an unresolved contact).
    from tenders.services import codesign, ledger
    from tests.unit.audit_ocds.builders import engaged_by

    engaged = engaged_by(owner, title="CSRF sweep engagement")
    now = T0 - timedelta(days=15)
    thread = codesign.open_thread(engaged, people["provider_a"], title="Outcomes", message_md="A view", now=now)
    proposal = codesign.propose_change(thread, people["provider_a"], section_key="introduction", text="Better text",
                                       rationale_md="Clearer", now=now)
    conversation = ledger.start_conversation(people["provider_a"], organisation=owner.organisation,
                                             procurement=engaged, subject="A question", body_md="Hello", now=now)
    return {**url_values, "procurement_id": p.id, "response_id": receipt.response_id,
            "clarification_id": question.id, "document_id": document.id, "criterion_id": p.criteria[0].id,
            "index": 0, "thread_id": thread.id, "proposal_id": proposal.id, "conversation_id": conversation.id,
            "contact_id": ledger.contacts_of(conversation)[0].id,
            # The CSRF check refuses before any view looks a row up, so a contract outcome's routes need no
            # running contract here (tests/functional/outcomes/test_outcomes_route_matrix.py tries them on one).
            "outcome_id": 1, "return_id": 1}


def _unsafe_urls(app, values):
    from flask import url_for

    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            methods = rule.methods & UNSAFE
            if not methods:
                continue
            missing = [name for name in rule.arguments if name not in values]
            assert not missing, f"{rule.rule}: give the CSRF sweep a real value for {missing}"
            urls.append((rule.endpoint, sorted(methods),
                         url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})))
    return urls


def _events(db) -> int:
    return db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action != "security.refused")
    )


def _refusals(db) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "security.refused", AuditEvent.summary.contains("csrf")))


def test_sweep_covers_every_unsafe_route(app, all_values):
    urls = _unsafe_urls(app, all_values)
    endpoints = {endpoint for endpoint, _, _ in urls}
    for expected in ("accounts.sign_in", "accounts.sign_out", "forum.reply", "forum.add_document",
                     "tenders.respond", "tenders.open_responses", "tenders.award", "accounts.admin_assign_role"):
        assert expected in endpoints
    assert len(urls) >= 60


@pytest.mark.parametrize("persona", ["anonymous", "owning_commissioner"])
def test_every_unsafe_route_refuses_a_missing_or_foreign_token(app, db, persona, sign_in_as, all_values):
    client = sign_in_as(persona)
    attacker = sign_in_as("provider_b")
    foreign = csrf_token(attacker.get("/account").get_data(as_text=True))
    assert client.get("/sign-in" if persona == "anonymous" else "/account").status_code in (200, 302)
    events, refusals = _events(db), _refusals(db)
    problems, attempts = [], 0
    for endpoint, methods, url in _unsafe_urls(app, all_values):
        for method in methods:
            for label, kwargs in (
                ("no token", {"data": {"title": "x", "body": "x", "reason": "x"}}),
                ("another session's token", {"data": {"csrf_token": foreign, "body": "x"}}),
                ("a forged token", {"data": {"csrf_token": "IjEi.forged.token"}}),
                ("another session's token in the header", {"data": {}, "headers": {"X-CSRFToken": foreign}}),
            ):
                response = client.open(url, method=method, **kwargs)
                attempts += 1
                if response.status_code != 400 or REFUSAL not in response.get_data(as_text=True):
                    problems.append(f"{method} {url} ({endpoint}) with {label}: {response.status_code}")
    assert not problems, "routes that do not refuse a bad CSRF token:\n" + "\n".join(problems)
    assert _events(db) == events, "a refused request changed something"
    assert _refusals(db) - refusals == attempts, "every CSRF refusal is audited"


def test_a_valid_token_is_not_mistaken_for_a_missing_one(app, db, sign_in_as):
    """The sweep's 400 is the CSRF check, not the route: with this session's token the same POST goes through."""
    client = sign_in_as("provider_a")
    token = csrf_token(client.get("/account").get_data(as_text=True))
    response = client.post("/notifications/read", data={"csrf_token": token})
    assert response.status_code != 400 and REFUSAL not in response.get_data(as_text=True)
    response = client.post("/sign-out", data={"csrf_token": token})
    assert response.status_code == 302 and client.get("/account").status_code == 302
