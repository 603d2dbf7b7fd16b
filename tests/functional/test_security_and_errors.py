"""Security defaults and error pages: headers, CSRF, sizes, unknown URLs, rate limits, refusals."""
from __future__ import annotations

from sqlalchemy import select

from tests.conftest import PASSWORD, make_test_app, submit
from trail.models import AuditEvent


def _refusals(db, attempted: str):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == "security.refused",
                                                       AuditEvent.summary.contains(attempted))).all()


def test_every_page_sends_a_strict_content_security_policy(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_carry_no_inline_script(client):
    for url in ("/", "/sign-in", "/register", "/organisations", "/password/forgot"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>" not in html and "<script type=\"module\" src=" in html, url
        assert " onclick=" not in html and " style=" not in html, url


def test_no_gov_uk_crown_logo_or_font(client):
    html = client.get("/").get_data(as_text=True)
    assert "govuk-logo" not in html and "Crown copyright" not in html and "GDS Transport" not in html


def test_session_cookie_is_http_only_and_same_site(client, db, user_factory, auth):
    auth.sign_in(user_factory("provider"))
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_post_without_csrf_token_is_refused_and_audited(client, db, user_factory):
    user = user_factory("provider")
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "did not come from this site" in response.get_data(as_text=True)
    assert _refusals(db, "csrf")
    assert client.get("/account").status_code == 302  # not signed in


def test_every_post_route_refuses_a_missing_csrf_token(app, client, db):
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        url = rule.rule.replace("<token>", "x").replace("<int:", "<").replace("<org_id>", "1")
        for name in rule.arguments:
            url = url.replace(f"<{name}>", "1")
        response = client.post(url, data={})
        assert response.status_code in (400, 302), (rule.rule, response.status_code)
        if response.status_code == 302:  # login_required ran first: still nothing changed
            assert "/sign-in" in response.headers["Location"], rule.rule


def test_unknown_url_gets_a_helpful_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_oversized_body_gets_a_413_page(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/sign-in", data={"email": "x" * (limit + 10)})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_unexpected_errors_show_no_stack_trace(scratch_database_url):
    fresh = make_test_app(scratch_database_url)

    @fresh.route("/__boom_for_test")
    def boom():
        raise RuntimeError("secret internals")

    response = fresh.test_client().get("/__boom_for_test")
    html = response.get_data(as_text=True)
    assert response.status_code == 500 and "secret internals" not in html and "Traceback" not in html


def test_provider_cannot_reach_admin_or_audit_pages_and_is_audited(client, db, user_factory, auth):
    user = user_factory("provider")
    auth.sign_in(user)
    for url in ("/admin/organisations", "/admin/users", "/audit/", "/audit/verify"):
        assert client.get(url).status_code == 403, url
    refusals = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "security.refused",
                                                           AuditEvent.actor_user_id == user.id)).all()
    assert len(refusals) == 4


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/audit/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_sign_in_is_rate_limited_and_the_block_is_audited(scratch_database_url):
    limited = make_test_app(scratch_database_url, SIGNIN_RATE_LIMIT="3 per minute")
    with limited.app_context():
        from core.extensions import db

        client = limited.test_client()
        codes = [submit(client, "/sign-in", {"email": "nobody@x.example", "password": "wrong-password-1"}).status_code
                 for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        page = submit(client, "/sign-in", {"email": "nobody@x.example", "password": "x"})
        assert "Too many attempts" in page.get_data(as_text=True)
        assert db.session.scalars(select(AuditEvent).where(AuditEvent.summary.contains("rate_limit"))).first()
        db.session.remove()
        db.engine.dispose()


def test_requests_that_do_not_change_the_session_never_resend_its_cookie(client, db, user_factory, auth):
    """Otherwise a slow parallel response (a stylesheet) can put back an older cookie over a newer
    one and lose the CSRF token of the form the page was built with."""
    auth.sign_in(user_factory("provider"))
    client.get("/account")
    for url in ("/static/favicon.svg", "/healthz", "/organisations"):
        response = client.get(url)
        response.close()
        assert "Set-Cookie" not in response.headers, url
