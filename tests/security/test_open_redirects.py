"""`next=` never sends anyone to another site.

/sign-in is the only endpoint that takes `next=` (Flask-Login adds it when a
signed-out visitor asks for a protected page); the target is remembered in the
session and followed after sign-in, with or without two-factor.
"""
from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

from core.policy import is_safe_redirect
from tests.conftest import PASSWORD, Auth, submit

OFF_SITE = [
    "https://evil.example",
    "http://evil.example/sign-in",
    "//evil.example",
    "///evil.example",
    "////evil.example/x",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "\\/evil.example",
    "https:evil.example",
    "https:/evil.example",
    "//evil.example@localhost",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    " //evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "%2F%2Fevil.example",
    "%2f%2fevil.example",
    "\\/\\/evil.example",
    "evil.example",
    "",
]
SAME_SITE = ["/account", "/forums?region=North+West", "/tenders/1#clarifications", "/%2F%2Fevil.example",
             "/forums/a-forum/threads/3"]


def _landing(location: str) -> str:
    """Where a browser would go: the path on this site, or fail if it is another site."""
    parts = urlsplit(location)
    assert parts.netloc in ("", "localhost"), f"redirected off-site: {location!r}"
    assert not parts.scheme or parts.scheme in ("http", "https"), location
    assert "\\" not in location and not location.startswith("//"), location
    return location if not parts.netloc else location.split("localhost", 1)[1]


@pytest.mark.parametrize("target", OFF_SITE + SAME_SITE)
def test_predicate_accepts_only_same_site_paths(target):
    expected = target in SAME_SITE
    assert is_safe_redirect(target) is expected


def _sign_in_with_next(app, user, target: str, *, raw_query: str | None = None):
    client = app.test_client()
    query = raw_query if raw_query is not None else quote(target, safe="")
    assert client.get(f"/sign-in?next={query}").status_code == 200
    response = Auth(client).sign_in(user)
    assert response.status_code == 302
    return response.headers["Location"]


def test_sign_in_ignores_every_off_site_next(app, db, user_factory):
    user = user_factory("provider")
    for target in OFF_SITE:
        assert _landing(_sign_in_with_next(app, user, target)) == "/my-work", target


def test_sign_in_ignores_encoded_off_site_next(app, db, user_factory):
    user = user_factory("provider")
    for raw in ("%2F%2Fevil.example", "%2F%5Cevil.example", "%252F%252Fevil.example", "https%3A%2F%2Fevil.example",
                "%2F%09%2Fevil.example", "%2F%0D%0A%2Fevil.example", "javascript%3Aalert(1)",
                "%5C%5Cevil.example", "%E3%80%82%2F%2Fevil.example"):
        assert _landing(_sign_in_with_next(app, user, "", raw_query=raw)) == "/my-work", raw


def test_sign_in_follows_same_site_next(app, db, user_factory):
    user = user_factory("provider")
    for target in SAME_SITE:
        assert _landing(_sign_in_with_next(app, user, target)) == target


def test_two_factor_sign_in_follows_only_same_site_next(app, db, user_factory):
    commissioner = user_factory("commissioner")
    assert _landing(_sign_in_with_next(app, commissioner, "//evil.example")) == "/my-work"
    assert _landing(_sign_in_with_next(app, commissioner, "/forums")) == "/forums"


def test_protected_page_sends_visitor_back_after_sign_in(app, db, user_factory):
    user = user_factory("provider")
    client = app.test_client()
    bounce = client.get("/account")
    assert bounce.status_code == 302
    sign_in_url = bounce.headers["Location"]
    assert "next=" in sign_in_url
    client.get(sign_in_url)
    response = submit(client, "/sign-in", {"email": user.email, "password": PASSWORD})
    assert _landing(response.headers["Location"]) == "/account"


def test_off_site_next_is_never_echoed_into_the_sign_in_page(app, db):
    html = app.test_client().get("/sign-in?next=https%3A%2F%2Fevil.example").get_data(as_text=True)
    assert "evil.example" not in html
