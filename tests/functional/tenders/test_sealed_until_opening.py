"""Nothing about a response is knowable before the two-person opening, through any page, export, feed or API.

Two providers respond, one with a document whose name is a marker. Before the opening, every surface the owning
council, an auditor or an administrator can reach is searched for the bidders' names, the file name, the
responses' SHA-256 and size, and a count of responses; after the opening the same surfaces show them.
"""
from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select

from oversight import records
from tenders.services import responses
from tests.conftest import Auth
from tests.functional.api.conftest import bearer, token_for
from tests.unit.tenders.builders import AFTER, T0, declare_none, in_tender
from trail import events, verification
from trail.chain import canonical_json, sha256_hex
from trail.models import AuditEvent

MARKER_FILE = "zq-marker-safeguarding-policy.pdf"


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


@pytest.fixture
def bids(db, world):
    p = in_tender(world)
    outcomes = p.published_version.outcomes
    receipts = []
    for provider, price, documents in ((world.p1, 110_000_000, [responses.Document(MARKER_FILE, "application/pdf",
                                                                                   b"%PDF-1.4 marker")]),
                                       (world.p2, 100_000_000, [])):
        receipts.append(responses.submit_response(
            p, provider, method_statement=f"How {provider.organisation.name} will do it",
            commitments={o.id: f"We commit to {o.target}" for o in outcomes}, price_pence=price,
            criterion_answers={c.id: "Our answer" for c in p.criteria if c.kind == "quality"},
            documents=documents, now=T0 + timedelta(days=1)))
    db.session.commit()
    return p, receipts


def _open(db, world, p):
    responses.open_box(p, world.c1, now=AFTER)
    responses.open_box(p, world.c2, now=AFTER)
    declare_none(p, world.c1, world.c2, now=AFTER)
    db.session.commit()


def _secrets(world, receipts) -> list[str]:
    """What identifies a bidder or its response."""
    return [world.p1.organisation.name, world.p2.organisation.name, MARKER_FILE,
            *(r.sha256 for r in receipts), *(f'"size_bytes":{r.size_bytes}' for r in receipts)]


# Pages about the whole platform: they name every organisation somewhere (its registration, a filter's list of
# organisations), so only the response's own traces are looked for there; every other surface must not name a
# bidder at all.
PLATFORM_WIDE = ("/audit/", "/audit/export.csv", "/audit/export.json", "/audit/feed.atom", "/audit/registers",
                 "/audit/registers/openings",
                 "/audit/attention")


@pytest.fixture
def signed_in(app, world):
    """A client signed in once for each person (a TOTP code works once, so nobody signs in twice)."""
    clients = {}
    for who, person in (("owner", world.c1), ("auditor", world.auditor), ("admin", world.admin)):
        client = app.test_client()
        Auth(client).sign_in(person)
        clients[who] = client
    return clients


def _without_choices(body: str) -> str:
    """The page without its drop-down lists: the action filters offer every registered action, whatever the trail
    holds, so an option names no event."""
    return re.sub(r"<select.*?</select>", "", body, flags=re.S)


def _read(client, url, **kwargs) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return _text(response)


def _surfaces(client, signed_in, world, p, seqs, api_token):
    """(who, what, body) for every surface, read as the owning commissioner, an auditor and an admin."""
    found = []
    for url in (f"/tenders/{p.id}", f"/tenders/{p.id}/open", f"/tenders/{p.id}/evaluation"):
        found.append(("owner", url, _read(signed_in["owner"], url)))
    for who in ("auditor", "admin"):
        urls = [*PLATFORM_WIDE, "/audit/?action=domain:Procurements", f"/audit/procurements/{p.id}",
                f"/audit/procurements/{p.id}/record.csv", f"/audit/procurements/{p.id}/record.html",
                "/audit/procurements", "/audit/registers/openings.csv", "/audit/registers/openings.json",
                *(f"/audit/events/{seq}" for seq in seqs)]
        for url in urls:
            found.append((who, url, _read(signed_in[who], url)))
    for url in ("/audit/feed.atom", "/tenders.atom", f"/api/v1/procurements/{p.id}",
                f"/api/v1/ocds/procurements/{p.id}.json"):
        found.append(("public", url, _read(client, url)))
    for url in ("/api/v1/registers", "/api/v1/registers/openings", "/api/v1/registers/scores"):
        found.append(("api auditor", url, _read(client, url, headers=bearer(api_token))))
    return found


def test_before_the_opening_no_surface_reveals_a_response_and_after_it_they_all_can(
        client, db, world, signed_in, at, bids):
    p, receipts = bids
    at(AFTER)
    sealed = [e.seq for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "response.submitted").order_by(AuditEvent.seq))]
    assert len(sealed) == 2
    api_token = token_for(world.auditor)
    db.session.commit()
    secrets = _secrets(world, receipts)
    names = {world.p1.organisation.name, world.p2.organisation.name}
    for who, url, body in _surfaces(client, signed_in, world, p, sealed, api_token):
        # A filter that is not (yet) a choice leaves the trail unfiltered: a platform-wide page like the others.
        platform_wide = url.split("?")[0] in PLATFORM_WIDE
        leaked = [s for s in secrets if s in body and not (platform_wide and s in names)]
        assert not leaked, f"{url} as {who} reveals {leaked} before the opening"
        assert not re.search(r"\d* sealed responses?\.", body), f"{url} as {who} counts the responses"
        assert "response.submitted" not in _without_choices(body), f"{url} as {who} lists a sealed event"
    # The event pages say what they withhold, and nothing else.
    assert f"Event {sealed[0]} is sealed" in _text(signed_in["auditor"].get(f"/audit/events/{sealed[0]}"))

    _open(db, world, p)
    bodies = {(who, url): body for who, url, body in _surfaces(client, signed_in, world, p, sealed, api_token)}
    for who in ("auditor", "admin"):
        for url in (
            "/audit/?action=domain:Procurements",
            f"/audit/procurements/{p.id}",
            f"/audit/procurements/{p.id}/record.html",
        ):
            listed = _without_choices(bodies[(who, url)])
            assert world.p1.organisation.name in listed and "response.submitted" in listed
        for url in ("/audit/export.csv", "/audit/export.json", f"/audit/procurements/{p.id}/record.csv"):
            assert MARKER_FILE in bodies[(who, url)] and receipts[0].sha256 in bodies[(who, url)]
        assert MARKER_FILE in bodies[(who, f"/audit/events/{sealed[0]}")]
        assert world.p1.organisation.name in bodies[(who, f"/audit/events/{sealed[0]}")]
        assert receipts[0].sha256 in bodies[(who, "/audit/registers/openings")]
    assert receipts[0].sha256 in bodies[("api auditor", "/api/v1/registers/openings")]
    assert '"numberOfTenderers": 2' in bodies[("public", f"/api/v1/ocds/procurements/{p.id}.json")] or \
        '"numberOfTenderers":2' in bodies[("public", f"/api/v1/ocds/procurements/{p.id}.json")]
    listed = _text(signed_in["owner"].get(f"/tenders/{p.id}/responses"))
    assert world.p1.organisation.name in listed and world.p2.organisation.name in listed


def test_a_response_number_tells_a_commissioner_nothing_before_the_opening(client, db, world, auth, at, bids):
    p, receipts = bids
    at(AFTER)
    auth.sign_in(world.c1)
    missing = receipts[-1].response_id + 100
    for path in ("responses/{}", "responses/{}/documents/0", "responses/{}/receipt", "evaluation/{}/score",
                 f"evaluation/{{}}/consensus/{p.criteria[0].id}"):
        real = client.get(f"/tenders/{p.id}/" + path.format(receipts[0].response_id))
        made_up = client.get(f"/tenders/{p.id}/" + path.format(missing))
        assert real.status_code == made_up.status_code == 403, path
        assert _text(real) == _text(made_up), path
    auth.sign_out()
    auth.sign_in(world.p2)  # another bidder probing the first one's receipt
    real = client.get(f"/tenders/{p.id}/responses/{receipts[0].response_id}/receipt")
    made_up = client.get(f"/tenders/{p.id}/responses/{missing}/receipt")
    assert real.status_code == made_up.status_code == 403 and _text(real) == _text(made_up)


def test_the_sealed_event_row_holds_nothing_that_identifies_the_bidder(db, world, bids):
    p, receipts = bids
    event = db.session.get(AuditEvent, receipts[0].event_seq)
    assert event.action == "response.submitted" and event.procurement_id == p.id
    assert (event.actor_user_id, event.actor_org_id, event.actor_role) == (None, None, events.SEALED_ROLE)
    assert event.actor_label == events.SEALED_LABEL and event.summary == events.SEALED_SUMMARY
    row = json.dumps({name: str(getattr(event, name)) for name in ("actor_label", "summary", "subject_type",
                                                                    "subject_id", "audience")})
    assert not any(s in row for s in _secrets(world, receipts))
    sealed = json.loads(event.payload)["sealed"]
    assert sealed["actor_user_id"] == world.p1.id and sealed["actor_org_id"] == world.p1.organisation_id
    assert world.p1.organisation.name in sealed["summary"]
    # The record's event count and acting organisations do not move with a submission.
    assert [name for _, name in records.actor_organisations(p.id)] == [world.org.name]
    assert verification.verify_chain().ok


def test_the_bidders_receipt_verifies_against_the_chain(client, db, world, auth, at, bids):
    p, receipts = bids
    receipt = receipts[0]
    assert receipt.event_seq is not None
    assert sha256_hex(receipt.event_payload) == receipt.event_fields["payload_hash"]
    assert sha256_hex(canonical_json(receipt.event_fields)) == receipt.event_hash
    assert json.loads(receipt.event_payload)["sha256"] == receipt.sha256
    stored = db.session.get(AuditEvent, receipt.event_seq)
    assert stored.hash == receipt.event_hash
    # The page shows the same, for the bidder to keep.
    at(AFTER)
    auth.sign_in(world.p1)
    html = _text(client.get(f"/tenders/{p.id}/responses/{receipt.response_id}/receipt"))
    assert f"audit event {receipt.event_seq}" in html and receipt.event_hash in html
    assert receipt.event_fields["payload_hash"] in html and receipt.event_fields["prev_hash"] in html


def test_a_late_withdrawal_attempt_is_sealed_too(db, world, bids):
    p, receipts = bids
    from core.errors import RuleViolation

    current = responses.current_response(p, world.p1.organisation_id)
    with pytest.raises(RuleViolation):
        responses.withdraw_response(current, world.p1, now=AFTER)
    refusal = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert refusal.action == "security.refused" and refusal.actor_role == events.SEALED_ROLE
    assert refusal.actor_user_id is None and events.is_withheld(refusal)


def test_a_specification_change_records_no_count_of_responses(db, world, bids):
    from tenders.services import specification
    from tests.unit.tenders.builders import GOOD_OUTCOMES

    p, _ = bids
    specification.save_version(p, world.c1, body_md="Providers will help each child settle, thrive and learn.",
                               outcomes=list(GOOD_OUTCOMES), now=T0 + timedelta(days=2))
    specification.publish_spec_change(p, world.c1, new_response_deadline=None, now=T0 + timedelta(days=2))
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "specification.changed")).one()
    payload = json.loads(event.payload)
    assert "responses_to_reconfirm" not in payload and "participants_notified" not in payload
    assert hashlib.sha256(event.payload.encode()).hexdigest() == event.payload_hash


def test_a_disclosure_during_the_tender_records_no_count_of_the_people_told(db, world, bids):
    """Bidders are among the people a disclosure is sent to: how many were told would count them."""
    from tenders.services import ledger

    p, _ = bids
    conversation = ledger.start_conversation(world.p2, organisation=world.org, procurement=p, subject="Question",
                                             body_md="Can homes be shared?", now=T0 + timedelta(days=2))
    contact = ledger.contacts_of(conversation)[0]
    ledger.disclose_contact(contact, world.c1, summary_md="Beta asked whether homes can be shared.", redactions=[],
                            now=T0 + timedelta(days=2))
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "ledger.contact_disclosed")).one()
    assert "notified" not in json.loads(event.payload)
