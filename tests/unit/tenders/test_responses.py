"""Sealed responses, receipts, encryption at rest and the two-person opening (rule 6)."""
import hashlib
import json
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select, text

from core.errors import NotPermitted, RuleViolation
from tenders import crypto
from tenders.models import TenderResponse
from tenders.services import responses
from tenders.services.responses import sealed_ciphertext
from tests.unit.tenders.builders import AFTER, DEADLINE, T0, declare_none, in_tender, submit
from trail.models import AuditEvent


def test_receipt_is_the_sha256_of_exactly_what_was_stored_and_is_audited(db, world):
    p = in_tender(world)
    receipt = submit(world, p, world.p1, 110_000_000)
    stored = db.session.get(TenderResponse, receipt.response_id)
    assert hashlib.sha256(crypto.decrypt(sealed_ciphertext(stored))).hexdigest() == receipt.sha256
    assert receipt.submitted_at == T0 + timedelta(days=1)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "response.submitted")).one()
    assert json.loads(event.payload)["sha256"] == receipt.sha256


def test_the_database_holds_only_ciphertext(db, world):
    p = in_tender(world)
    receipt = submit(world, p, world.p1, 123_456_789)
    chunks = db.session.execute(text(
        "SELECT c.data FROM stored_file_chunk c JOIN tender_response r ON r.sealed_file_id = c.file_id "
        "WHERE r.id = :id ORDER BY c.seq"), {"id": receipt.response_id}).scalars().all()
    raw = b"".join(bytes(chunk) for chunk in chunks)
    assert raw and b"Alpha Homes" not in raw and b"123456789" not in raw and b"method_statement" not in raw


def test_a_different_key_cannot_decrypt(app, db, world):
    p = in_tender(world)
    receipt = submit(world, p, world.p1, 100)
    stored = db.session.get(TenderResponse, receipt.response_id)
    configured = app.config["RESPONSE_ENCRYPTION_KEY"]
    app.config["RESPONSE_ENCRYPTION_KEY"] = Fernet.generate_key().decode()
    try:
        with pytest.raises(crypto.InvalidToken):
            crypto.decrypt(sealed_ciphertext(stored))
    finally:
        app.config["RESPONSE_ENCRYPTION_KEY"] = configured


def test_unverified_provider_cannot_submit_and_the_attempt_is_audited(db, world):
    p = in_tender(world)
    with pytest.raises(RuleViolation) as exc:
        submit(world, p, world.unverified, 100)
    assert "not been verified" in exc.value.reasons[""]
    assert db.session.scalars(select(TenderResponse)).first() is None
    refusal = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "security.refused")
                                 .order_by(AuditEvent.seq.desc())).first()
    assert refusal.actor_user_id == world.unverified.id


def test_commissioners_cannot_submit_responses(db, world):
    p = in_tender(world)
    with pytest.raises(NotPermitted):
        submit(world, p, world.c1, 100)


def test_late_submission_is_refused(db, world):
    p = in_tender(world)
    with pytest.raises(RuleViolation) as exc:
        submit(world, p, world.p1, 100, now=DEADLINE)
    assert "deadline passed" in exc.value.reasons[""]


def test_every_outcome_needs_a_commitment(db, world):
    p = in_tender(world)
    first = p.published_version.outcomes[0]
    with pytest.raises(RuleViolation) as exc:
        responses.submit_response(p, world.p1, method_statement="M", commitments={first.id: "Yes"}, price_pence=10,
                                  criterion_answers={}, documents=[], now=T0)
    assert "outcome 2" in exc.value.reasons["commitments"]


def test_resubmitting_replaces_and_withdrawing_removes_until_the_deadline(db, world):
    p = in_tender(world)
    first = submit(world, p, world.p1, 100)
    second = submit(world, p, world.p1, 90)
    assert db.session.get(TenderResponse, first.response_id).status == "superseded"
    current = responses.current_response(p, world.p1.organisation_id)
    assert current.id == second.response_id
    responses.withdraw_response(current, world.p1, now=T0 + timedelta(days=2))
    assert responses.current_response(p, world.p1.organisation_id) is None
    third = submit(world, p, world.p1, 80, now=T0 + timedelta(days=3))
    with pytest.raises(RuleViolation):
        responses.withdraw_response(db.session.get(TenderResponse, third.response_id), world.p1, now=DEADLINE)


def test_provider_cannot_see_another_providers_receipt(db, world):
    p = in_tender(world)
    receipt = submit(world, p, world.p1, 100)
    response = db.session.get(TenderResponse, receipt.response_id)
    assert responses.receipt_for(response, world.p1).sha256 == receipt.sha256
    with pytest.raises(NotPermitted):
        responses.receipt_for(response, world.p2)
    refusal = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "security.refused")
                                 .order_by(AuditEvent.seq.desc())).first()
    assert refusal.actor_user_id == world.p2.id


@pytest.mark.parametrize("who", ["c1", "auditor", "admin", "p1", "p2"])
def test_nobody_reads_a_sealed_response_before_the_deadline(db, world, who):
    p = in_tender(world)
    receipt = submit(world, p, world.p1, 100)
    with pytest.raises(NotPermitted):
        responses.read_response(db.session.get(TenderResponse, receipt.response_id), getattr(world, who),
                                now=DEADLINE - timedelta(seconds=1))


def test_opening_before_the_deadline_is_refused(db, world):
    p = in_tender(world)
    with pytest.raises(RuleViolation) as exc:
        responses.open_box(p, world.c1, now=DEADLINE - timedelta(minutes=1))
    assert "before the deadline" in exc.value.reasons[""]
    assert p.open_requested_by_id is None


def test_a_single_commissioner_cannot_open_alone(db, world):
    p = in_tender(world)
    receipt = submit(world, p, world.p1, 100)
    responses.open_box(p, world.c1, now=AFTER)
    with pytest.raises(RuleViolation) as exc:
        responses.open_box(p, world.c1, now=AFTER)
    assert "different commissioner" in exc.value.reasons[""]
    assert not p.is_opened
    with pytest.raises(NotPermitted):
        responses.read_response(db.session.get(TenderResponse, receipt.response_id), world.c1, now=AFTER)


def test_a_commissioner_of_another_organisation_cannot_confirm_the_opening(db, world):
    p = in_tender(world)
    responses.open_box(p, world.c1, now=AFTER)
    with pytest.raises(NotPermitted):
        responses.open_box(p, world.other_commissioner, now=AFTER)
    assert not p.is_opened


def test_two_different_commissioners_open_the_box_and_it_is_an_audit_event(db, world):
    p = in_tender(world)
    receipt = submit(world, p, world.p1, 110_000_000)
    responses.open_box(p, world.c1, now=AFTER)
    responses.open_box(p, world.c2, now=AFTER)
    assert p.stage == "evaluation" and p.is_opened
    declare_none(p, world.c1, now=AFTER)  # reading is evaluating: it needs a declaration at this stage
    content = responses.read_response(db.session.get(TenderResponse, receipt.response_id), world.c1, now=AFTER)
    assert content["price_pence"] == 110_000_000
    assert responses.read_response(db.session.get(TenderResponse, receipt.response_id), world.auditor, now=AFTER)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "responses.opened")).one()
    assert event.procurement_id == p.id


def test_a_provider_cannot_read_another_response_even_after_opening(db, world):
    p = in_tender(world)
    receipt = submit(world, p, world.p1, 100)
    submit(world, p, world.p2, 100)
    responses.open_box(p, world.c1, now=AFTER)
    responses.open_box(p, world.c2, now=AFTER)
    with pytest.raises(NotPermitted):
        responses.read_response(db.session.get(TenderResponse, receipt.response_id), world.p2, now=AFTER)


def test_a_malformed_encryption_key_stops_the_app_at_start_up():
    from tests.conftest import make_test_app
    with pytest.raises(RuntimeError, match="RESPONSE_ENCRYPTION_KEY"):
        make_test_app("sqlite://", RESPONSE_ENCRYPTION_KEY="not-a-key")


def test_key_rotation_decrypts_with_any_listed_key(app, db, world):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    configured = app.config["RESPONSE_ENCRYPTION_KEY"]
    app.config["RESPONSE_ENCRYPTION_KEY"] = old
    try:
        token = crypto.encrypt(b"sealed")
        app.config["RESPONSE_ENCRYPTION_KEY"] = f"{new},{old}"
        assert crypto.decrypt(token) == b"sealed"
    finally:
        app.config["RESPONSE_ENCRYPTION_KEY"] = configured
