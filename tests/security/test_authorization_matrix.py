"""Every route of the app, tried as eight different people.

The expectations are written per endpoint; a route that has none fails the
test, so nobody can add a page without saying who may see it.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from tests.security.conftest import PERSONAS

EVERYONE = set(PERSONAS)
SIGNED_IN = EVERYONE - {"anonymous"}
ADMIN = {"admin"}
AUDIT = {"auditor", "admin"}

# endpoint -> (who may GET it, status for those who may). Who may not: anonymous
# visitors are sent to sign in (302) or refused; signed-in people get 403.
GET_EXPECTATIONS: dict[str, tuple[set[str], set[int]]] = {
    "core.home": (EVERYONE, {200}),
    "core.healthz": (EVERYONE, {200}),
    "static": (EVERYONE, {200}),
    "accounts.register": (EVERYONE, {200, 302}),
    "accounts.check_email": (EVERYONE, {200}),
    "accounts.confirm_email": (EVERYONE, {200}),
    "accounts.resend_confirmation": (EVERYONE, {200}),
    "accounts.sign_in": (EVERYONE, {200, 302}),
    "accounts.sign_in_two_factor": (EVERYONE, {302}),
    "accounts.forgot_password": (EVERYONE, {200}),
    "accounts.reset_password": (EVERYONE, {400}),
    "accounts.organisations": (EVERYONE, {200}),
    "accounts.organisation": (EVERYONE, {200}),
    "accounts.account": (SIGNED_IN, {200}),
    "accounts.two_factor_setup": (SIGNED_IN, {200, 302}),
    "accounts.admin_organisations": (ADMIN, {200}),
    "accounts.admin_organisation": (ADMIN, {200}),
    "accounts.admin_users": (ADMIN, {200}),
    "audit.trail": (AUDIT, {200}),
    "audit.event": (AUDIT, {200}),
    "audit.verify": (AUDIT, {200}),
    "audit.checkpoints_json": (EVERYONE, {200}),
    "audit.public_key": (EVERYONE, {200, 404}),  # 404 until the first checkpoint is signed
    "audit.export_csv": (AUDIT, {200}),
    "audit.export_json": (AUDIT, {200}),
}

# POST-only endpoints: who may (the rest are refused before any change).
POST_ONLY_EXPECTATIONS: dict[str, set[str]] = {
    "accounts.sign_out": SIGNED_IN,
    "accounts.admin_assign_role": ADMIN,
    "accounts.admin_account_action": ADMIN,
}


@pytest.fixture
def url_values(people, db):
    """Arguments for every route, pointing at real rows."""
    first_event = db.session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq))
    return {
        "filename": "css/app.css",
        "token": "not-a-real-token",
        "org_id": people["provider_a"].organisation_id,
        "user_id": people["provider_b"].id,
        "seq": first_event,
    }


def _url(app, rule, values):
    missing = [name for name in rule.arguments if name not in values]
    assert not missing, f"no test value for {missing} in {rule.rule}"
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})


def test_every_route_has_an_expectation(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = endpoints - set(GET_EXPECTATIONS) - set(POST_ONLY_EXPECTATIONS)
    assert not missing, f"routes without an authorisation expectation: {sorted(missing)}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_get_routes_answer_each_person_as_expected(app, persona, sign_in_as, url_values):
    client = sign_in_as(persona)
    problems = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint not in GET_EXPECTATIONS:
            continue
        allowed, ok_statuses = GET_EXPECTATIONS[rule.endpoint]
        url = _url(app, rule, url_values)
        response = client.get(url)
        response.close()
        if persona in allowed:
            if response.status_code not in ok_statuses:
                problems.append(f"{url}: expected {ok_statuses}, got {response.status_code}")
        elif persona == "anonymous":
            if not (response.status_code in (401, 403) or
                    (response.status_code == 302 and "/sign-in" in response.headers["Location"])):
                problems.append(f"{url}: anonymous should be sent to sign in, got {response.status_code}")
        elif response.status_code != 403:
            problems.append(f"{url}: expected 403, got {response.status_code}")
    assert not problems, f"as {persona}:\n" + "\n".join(problems)


@pytest.mark.parametrize("persona", PERSONAS)
def test_post_only_routes_refuse_everyone_not_allowed(app, persona, sign_in_as, url_values):
    from tests.conftest import csrf_token

    client = sign_in_as(persona)
    token = csrf_token(client.get("/sign-in" if persona == "anonymous" else "/account").get_data(as_text=True))
    problems = []
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint in POST_ONLY_EXPECTATIONS]
    for rule in sorted(rules, key=lambda r: r.endpoint == "accounts.sign_out"):  # signing out goes last
        url = _url(app, rule, url_values)
        response = client.post(url, data={"csrf_token": token})
        allowed = persona in POST_ONLY_EXPECTATIONS[rule.endpoint]
        if allowed and response.status_code in (401, 403, 500):
            problems.append(f"POST {url}: allowed but got {response.status_code}")
        if not allowed and persona == "anonymous" and not (
                response.status_code in (401, 403) or "/sign-in" in response.headers.get("Location", "")):
            problems.append(f"POST {url}: anonymous not refused ({response.status_code})")
        if not allowed and persona != "anonymous" and response.status_code != 403:
            problems.append(f"POST {url}: expected 403, got {response.status_code}")
    assert not problems, f"as {persona}:\n" + "\n".join(problems)
