"""The registers' pages, streamed exports and JSON API: who may read them, what they hold, bad filters."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest
from sqlalchemy import select

from tenders.services import ledger
from tests.functional.api.conftest import bearer, token_for
from tests.unit.tenders.builders import T0, awarded, in_engagement, make_world
from trail.models import AuditEvent


@pytest.fixture
def world(org_factory, user_factory):
    return make_world(org_factory, user_factory)


@pytest.fixture
def contacts(db, world):
    """Two procurements in engagement, each with one bilateral contact; the second marked not material."""
    first, second = in_engagement(world), in_engagement(world)
    for p in (first, second):
        ledger.start_conversation(world.p1, organisation=world.org, procurement=p, subject="Q",
                                  body_md="Can homes be shared?", now=T0)
    ledger.mark_not_material(ledger.unresolved_contacts(second)[0], world.c1, reason="Scheduling only.", now=T0)
    db.session.commit()
    return first, second


def latest(db) -> AuditEvent:
    db.session.expire_all()
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()


def test_registers_list_counts_each_register(db, client, auth, world, contacts):
    auth.sign_in(world.auditor)
    html = client.get("/audit/registers").get_data(as_text=True)
    assert "Bilateral contacts and their disclosures" in html and "Moderation acts" in html
    assert 'href="/audit/registers/contacts"' in html and 'href="/audit/registers/contacts.csv"' in html
    # 2 opened, 1 resolved
    assert re.search(r'<td class="govuk-table__cell govuk-table__cell--numeric"[^>]*>3</td>', html)


def test_register_page_links_each_row_to_its_event_and_shows_its_hash(db, client, auth, world, contacts):
    auth.sign_in(world.auditor)
    html = client.get("/audit/registers/contacts").get_data(as_text=True)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "ledger.contact_not_material")).one()
    assert f'href="/audit/events/{event.seq}"' in html and event.hash in html
    assert "Scheduling only." in html and contacts[1].reference in html


def test_register_page_filters_by_procurement_reference_and_keeps_them_for_the_exports(
        db, client, auth, world, contacts):
    first, second = contacts
    auth.sign_in(world.auditor)
    html = client.get(f"/audit/registers/contacts?procurement={second.reference}").get_data(as_text=True)
    assert "Scheduling only." in html and f"/audit/procurements/{first.id}\"" not in html
    assert f'href="/audit/registers/contacts.csv?procurement={second.id}"' in html


@pytest.mark.parametrize("query, message", [
    ("procurement=CC-1999-99999", "There is no procurement with that reference or number"),
    ("date_from=2026-02-30", "must be a real date"),
    ("date_from=2026-03-02&date_to=2026-03-01", "The end date must be the same as or after the start date"),
    ("organisation=999999", "Not a valid choice"),
    ("action=auth.signed_in", "Not a valid choice"),
])
def test_bad_filters_are_clear_errors_over_the_whole_register_never_a_500(
        db, client, auth, world, contacts, query, message):
    auth.sign_in(world.auditor)
    response = client.get(f"/audit/registers/contacts?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and message in html
    assert "Scheduling only." in html  # the whole register, not an empty page
    assert client.get(f"/audit/registers/contacts.csv?{query}").status_code == 400


def test_unknown_register_is_a_404(db, client, auth, world):
    auth.sign_in(world.auditor)
    assert client.get("/audit/registers/no-such-register").status_code == 404
    assert client.get("/audit/registers/no-such-register.csv").status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_exports_are_streamed_recorded_and_match_the_register(db, client, auth, world, contacts, app, monkeypatch,
                                                              fmt):
    monkeypatch.setitem(app.config, "AUDIT_VERIFY_BATCH", 1)  # one event per query: several batches
    auth.sign_in(world.auditor)
    response = client.get(f"/audit/registers/contacts.{fmt}?organisation={world.org.id}")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data(as_text=True)
    exported = latest(db)
    assert exported.action == "audit.exported" and exported.actor_user_id == world.auditor.id
    assert json.loads(exported.payload) == {"format": fmt, "register": "contacts", "organisation_id": world.org.id}
    rows = list(csv.DictReader(io.StringIO(body))) if fmt == "csv" else json.loads(body)
    expected = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("ledger.contact_%"))
                                       .order_by(AuditEvent.seq)))
    assert [int(row["seq"]) for row in rows] == [e.seq for e in expected]
    assert [row["hash"] for row in rows] == [e.hash for e in expected]
    assert f'filename="register-contacts-to-{exported.seq}.{fmt}"' in response.headers["Content-Disposition"]


@pytest.mark.parametrize("role", ["provider", "commissioner"])
@pytest.mark.parametrize("url", ["/audit/registers", "/audit/registers/contacts", "/audit/registers/contacts.csv",
                                 "/audit/registers/contacts.json", "/audit/attention"])
def test_providers_and_commissioners_are_refused_and_the_refusal_audited(db, client, auth, world, role, url):
    person = world.p1 if role == "provider" else world.c1
    auth.sign_in(person)
    assert client.get(url).status_code == 403
    refusal = latest(db)
    assert refusal.action == "security.refused" and refusal.actor_user_id == person.id
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "audit.exported")) is None


def test_admins_read_registers_like_the_trail(db, client, auth, world, contacts):
    auth.sign_in(world.admin)
    assert client.get("/audit/registers/contacts").status_code == 200


# ---------------------------------------------------------------- the JSON API


def test_api_lists_registers_for_an_auditors_token_only(db, client, world, contacts):
    assert client.get("/api/v1/registers").status_code == 401
    refused = client.get("/api/v1/registers", headers=bearer(token_for(world.c1)))
    assert refused.status_code == 403
    assert latest(db).action == "security.refused"
    listed = client.get("/api/v1/registers", headers=bearer(token_for(world.auditor))).get_json()
    by_slug = {item["slug"]: item for item in listed["items"]}
    assert by_slug["contacts"]["count"] == 3
    assert by_slug["contacts"]["api_url"].endswith("/api/v1/registers/contacts")


def test_api_register_rows_page_with_the_cursor_and_filter(db, client, world, contacts):
    headers = bearer(token_for(world.auditor))
    first = client.get("/api/v1/registers/contacts?limit=2", headers=headers).get_json()
    assert len(first["items"]) == 2 and first["next"]
    rest = client.get(first["next"], headers=headers).get_json()
    assert len(rest["items"]) == 1 and rest["next"] is None
    seqs = [row["seq"] for row in first["items"] + rest["items"]]
    assert seqs == sorted(seqs, reverse=True)
    event = db.session.get(AuditEvent, seqs[0])
    assert first["items"][0]["hash"] == event.hash
    assert first["items"][0]["event_url"].endswith(f"/audit/events/{event.seq}")
    resolved = client.get("/api/v1/registers/contacts?action=ledger.contact_not_material", headers=headers)
    assert [row["not_material_reason"] for row in resolved.get_json()["items"]] == ["Scheduling only."]
    assert resolved.get_json()["items"][0]["procurement_reference"] == contacts[1].reference


@pytest.mark.parametrize("query", ["action=auth.signed_in", "date_from=2026-13-01",
                                   "date_from=2026-03-02&date_to=2026-03-01", "procurement_id=abc", "colour=red"])
def test_api_bad_filters_are_400s(db, client, world, query):
    response = client.get(f"/api/v1/registers/contacts?{query}", headers=bearer(token_for(world.auditor)))
    assert response.status_code == 400 and response.get_json()["error"]["status"] == 400


def test_api_unknown_register_is_a_json_404(db, client, world):
    response = client.get("/api/v1/registers/nothing", headers=bearer(token_for(world.auditor)))
    assert response.status_code == 404 and response.get_json()["error"]["status"] == 404


def test_registers_are_in_the_openapi_document_and_need_a_token(db, client, world):
    document = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/registers", "/api/v1/registers/{register}"):
        assert document["paths"][path]["get"]["security"] == [{"bearerAuth": []}]
    assert "RegisterRow" in document["components"]["schemas"]


def test_awarded_procurement_appears_in_the_awards_register_through_the_api(db, client, world):
    p = awarded(world)
    db.session.commit()
    rows = client.get(f"/api/v1/registers/awards?procurement_id={p.id}",
                      headers=bearer(token_for(world.auditor))).get_json()["items"]
    assert [row["provider"] for row in rows] == ["Alpha Homes"]
