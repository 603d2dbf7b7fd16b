"""What a newcomer trips on: escaped links, the favicon, links that follow the served port, plain legal citations,
dates in one GOV.UK form, and a closing-date column on the tenders list."""
from __future__ import annotations

from datetime import timedelta

import pytest

from core import clock
from core.config import public_base_url
from tests.unit.tenders.builders import DEADLINE, T0, in_engagement, in_tender, make_world


def test_account_page_shows_the_organisation_as_a_link_not_as_markup(client, auth, user_factory, org_factory):
    person = user_factory("provider", organisation=org_factory("provider", name="Tom & Jerry's <Homes>"))
    auth.sign_in(person)
    html = client.get("/account").get_data(as_text=True)
    assert f'<a class="govuk-link" href="/organisations/{person.organisation_id}">' in html
    assert "Tom &amp; Jerry&#39;s &lt;Homes&gt;</a>" in html
    assert "&lt;a class=" not in html


def test_favicon_ico_is_served(client):
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200 and response.mimetype == "image/vnd.microsoft.icon"
        assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO header


@pytest.mark.parametrize("env, expected", [
    ({}, "http://127.0.0.1:5000"),
    ({"PORT": "8080"}, "http://127.0.0.1:8080"),
    ({"PORT": "8080", "PUBLIC_BASE_URL": "https://commons.example.org/"}, "https://commons.example.org"),
    ({"PORT": "not-a-port"}, "http://127.0.0.1:5000"),
])
def test_public_base_url_defaults_to_the_port_that_is_served(monkeypatch, env, expected):
    monkeypatch.delenv("PORT", raising=False)
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert public_base_url() == expected


def test_makefile_passes_the_served_port_to_the_app():
    from pathlib import Path

    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    assert "\nexport PORT\n" in makefile and "--port $(PORT)" in makefile


def test_registers_cite_the_law_not_an_internal_document(client, auth, user_factory):
    auth.sign_in(user_factory("auditor"))
    for path in ("/audit/registers", "/audit/registers/contacts", "/audit/registers/openings",
                 "/audit/registers/clarifications"):
        html = client.get(path).get_data(as_text=True)
        assert "DESIGN.md" not in html and "rule 2" not in html, path
    assert "PA23 s.16(3)" in client.get("/audit/registers/contacts").get_data(as_text=True)


@pytest.fixture
def at_t0():
    clock.set_now(T0 + timedelta(days=2))
    yield
    clock.set_now(None)


def test_tenders_list_shows_closing_date_and_days_left(client, org_factory, user_factory, at_t0):
    world = make_world(org_factory, user_factory)
    tender = in_tender(world)
    engagement = in_engagement(world)
    html = client.get("/tenders").get_data(as_text=True)
    assert "Closing date (UK time)" in html
    days = (DEADLINE.date() - (T0 + timedelta(days=2)).date()).days
    assert "Responses due: 22 March 2026, 9am" in html and f"{days} days left" in html
    row = html[html.index(f'/tenders/{engagement.id}"'):]
    assert "Engagement closes: " in row[:800]
    assert f'cc-stage-tag">{tender.stage_label}' in html


def test_audit_trail_shows_uk_time_with_exact_utc_in_a_title(client, auth, user_factory):
    auth.sign_in(user_factory("auditor"))
    html = client.get("/audit/").get_data(as_text=True)
    assert "When (UK time)" in html and "When (UTC)" not in html
    assert '<time datetime="' in html and ' UTC">' in html
