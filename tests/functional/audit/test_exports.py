"""Streamed CSV and JSON exports of the trail: who may take one, what it holds, and that it is recorded."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from trail.chain import event_hash, sha256_hex
from trail.models import AuditEvent


@pytest.fixture
def small_batches(app, monkeypatch):
    """Three events per query, so even a short test export spans several batches."""
    monkeypatch.setitem(app.config, "AUDIT_VERIFY_BATCH", 3)


def latest_event(db) -> AuditEvent:
    db.session.expire_all()
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()


def test_csv_export_streams_every_event_and_parses(db, client, auth, user_factory, events, small_batches):
    auditor = user_factory("auditor")
    auth.sign_in(auditor)
    seqs = events(8, "test.export")
    response = client.get("/audit/export.csv")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    exported = latest_event(db)
    assert exported.action == "audit.exported"
    assert f'filename="audit-trail-to-{exported.seq}.csv"' in response.headers["Content-Disposition"]
    assert [int(row["seq"]) for row in rows] == list(range(1, exported.seq + 1))
    assert set(seqs) <= {int(row["seq"]) for row in rows}
    assert rows[-1]["action"] == "audit.exported"


def test_json_export_parses_and_every_hash_can_be_recomputed(db, client, auth, user_factory, events,
                                                             small_batches):
    auditor = user_factory("auditor")
    auth.sign_in(auditor)
    events(7, "test.export")
    response = client.get("/audit/export.json")
    assert response.status_code == 200 and response.is_streamed
    records = json.loads(response.get_data(as_text=True))
    assert [record["seq"] for record in records] == list(range(1, len(records) + 1))
    assert records[-1]["action"] == "audit.exported"
    previous = "0" * 64
    for record in records:
        as_hashed = SimpleNamespace(**dict(record, occurred_at=datetime.fromisoformat(record["occurred_at"][:-1])))
        assert event_hash(as_hashed) == record["hash"]
        assert sha256_hex(record["payload"]) == record["payload_hash"]
        assert record["prev_hash"] == previous
        previous = record["hash"]


def test_export_applies_the_trail_page_filters(db, client, auth, user_factory, events):
    auditor = user_factory("auditor")
    auth.sign_in(auditor)
    wanted = events(3, "test.wanted")
    events(2, "test.unwanted")
    records = client.get("/audit/export.json?action=test.wanted").get_json()
    assert [record["seq"] for record in records] == wanted
    exported = latest_event(db)
    assert json.loads(exported.payload) == {"format": "json", "action_prefix": None, "actor_user_id": None,
                                            "action": "test.wanted"}

    by_actor = client.get(f"/audit/export.csv?actor={auditor.id}").get_data(as_text=True)
    actors = {row["actor_user_id"] for row in csv.DictReader(io.StringIO(by_actor))}
    assert actors == {str(auditor.id)}


def test_every_export_is_recorded_with_who_took_it(db, client, auth, user_factory, events):
    admin = user_factory("admin")
    auth.sign_in(admin)
    events(1)
    assert client.get("/audit/export.csv?action=domain:Tests").status_code == 200
    exported = latest_event(db)
    assert exported.action == "audit.exported"
    assert exported.actor_user_id == admin.id
    assert "as CSV" in exported.summary and "test.event" in exported.summary


def test_export_with_an_overlong_filter_is_a_bad_request(db, client, auth, user_factory):
    auth.sign_in(user_factory("auditor"))
    before = latest_event(db).seq
    assert client.get("/audit/export.csv?action=" + "x" * 81).status_code == 400
    assert latest_event(db).seq == before


@pytest.mark.parametrize("url", ["/audit/export.csv", "/audit/export.json"])
def test_export_is_refused_for_providers_and_the_refusal_audited(db, client, auth, user_factory, events, url):
    provider = user_factory("provider")
    auth.sign_in(provider)
    events(2)
    response = client.get(url)
    assert response.status_code == 403
    refusal = latest_event(db)
    assert refusal.action == "security.refused"
    assert refusal.actor_user_id == provider.id
    assert json.loads(refusal.payload)["attempted"] == "audit.export"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "audit.exported")) is None


def test_export_needs_sign_in(db, client):
    response = client.get("/audit/export.csv")
    assert response.status_code in (302, 401)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "audit.exported")) is None


def test_trail_page_offers_exports_of_what_it_shows(db, client, auth, user_factory, events):
    auth.sign_in(user_factory("auditor"))
    events(1, "test.linked")
    html = client.get("/audit/?action=test.linked").get_data(as_text=True)
    assert 'href="/audit/export.csv?action=test.linked"' in html
    assert 'href="/audit/export.json?action=test.linked"' in html
