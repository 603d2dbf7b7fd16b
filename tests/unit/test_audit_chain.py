"""The audit chain: appends link up, and any edit, deletion or reordering is found."""
from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

import trail
from core.clock import utcnow
from core.errors import NotPermitted, RuleViolation
from trail import triggers
from trail.chain import GENESIS_HASH, event_hash
from trail.events import redact_payload
from trail.models import AuditEvent
from trail.verification import verify_chain


def _events(db):
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()


def _append(db, n: int = 5):
    for i in range(n):
        trail.record("test.step", summary=f"step {i}", payload={"i": i, "who": "Jo"})
    db.session.flush()


def _drop_guard(db) -> None:
    """What someone with the owner's rights would do first (tests marked database_owner). Rolled back with the test."""
    for statement in triggers.statements(db.session.get_bind().dialect.name, "down"):
        db.session.execute(text(statement))


def test_each_event_carries_the_hash_of_the_one_before(db):
    _append(db, 3)
    events = _events(db)
    assert events[0].seq == 1 and events[0].prev_hash == GENESIS_HASH
    for before, after in zip(events, events[1:]):
        assert after.seq == before.seq + 1
        assert after.prev_hash == before.hash
        assert after.hash == event_hash(after)


def test_intact_chain_verifies_with_count_and_head(db):
    _append(db, 4)
    result = verify_chain()
    events = _events(db)
    assert result.ok
    assert result.count == len(events)
    assert result.head_seq == events[-1].seq
    assert result.head_hash == events[-1].hash


def test_event_rolls_back_with_the_change_it_describes(db):
    _append(db, 1)
    before = len(_events(db))
    savepoint = db.session.begin_nested()
    trail.record("test.doomed", summary="never happened")
    savepoint.rollback()
    assert len(_events(db)) == before
    assert verify_chain().ok


@pytest.mark.database_owner
def test_database_refuses_to_update_an_audit_event(db):
    _append(db, 1)
    with pytest.raises(DatabaseError, match="append-only"), db.session.begin_nested():
        db.session.execute(text("UPDATE audit_event SET summary = 'rewritten'"))


@pytest.mark.database_owner
def test_database_refuses_to_delete_an_audit_event(db):
    _append(db, 1)
    with pytest.raises(DatabaseError, match="append-only"), db.session.begin_nested():
        db.session.execute(text("DELETE FROM audit_event"))


@pytest.mark.database_owner
def test_database_refuses_to_blank_a_payload_without_a_redaction_reason(db):
    _append(db, 1)
    with pytest.raises(DatabaseError, match="append-only"), db.session.begin_nested():
        db.session.execute(text("UPDATE audit_event SET payload = NULL"))


@pytest.mark.database_owner
def test_edited_event_is_found_and_named(db):
    _append(db, 5)
    target = _events(db)[-3]
    _drop_guard(db)
    db.session.execute(text("UPDATE audit_event SET summary = 'nothing to see' WHERE seq = :s"), {"s": target.seq})
    db.session.expire_all()
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == target.seq
    assert "hash" in result.problem


@pytest.mark.database_owner
def test_deleted_event_is_found(db):
    _append(db, 5)
    seq = _events(db)[-2].seq
    _drop_guard(db)
    db.session.execute(text("DELETE FROM audit_event WHERE seq = :s"), {"s": seq})
    db.session.expire_all()
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == seq
    assert "missing" in result.problem


@pytest.mark.database_owner
def test_reordered_events_are_found(db):
    _append(db, 5)
    a, b = (event.seq for event in _events(db)[-3:-1])
    _drop_guard(db)
    # Swap the two rows' positions in the sequence, each row otherwise untouched.
    params = {"a": a, "b": b}
    db.session.execute(text("UPDATE audit_event SET seq = -1 WHERE seq = :a"), params)
    db.session.execute(text("UPDATE audit_event SET seq = :a WHERE seq = :b"), params)
    db.session.execute(text("UPDATE audit_event SET seq = :b WHERE seq = -1"), params)
    db.session.expire_all()
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == a


@pytest.mark.database_owner
def test_tampered_payload_is_found(db):
    _append(db, 3)
    target = _events(db)[-1]
    _drop_guard(db)
    db.session.execute(text("UPDATE audit_event SET payload = :p WHERE seq = :s"), {"p": '{"i":99}', "s": target.seq})
    db.session.expire_all()
    result = verify_chain()
    assert not result.ok and result.first_bad_seq == target.seq
    assert "payload" in result.problem


def test_redaction_removes_personal_data_and_the_chain_still_verifies(db, user_factory):
    admin = user_factory("admin")
    _append(db, 2)
    target = _events(db)[-1]
    redact_payload(target, "Held a person's name", admin)
    db.session.flush()
    db.session.expire_all()
    redacted = db.session.get(AuditEvent, target.seq)
    assert redacted.payload is None and redacted.redaction_reason == "Held a person's name"
    assert verify_chain().ok
    last = _events(db)[-1]
    assert last.action == "audit.payload_redacted"


def test_only_an_admin_can_redact_and_the_attempt_is_audited(db, user_factory):
    auditor = user_factory("auditor")
    _append(db, 1)
    target = _events(db)[-1]
    with pytest.raises(NotPermitted):
        redact_payload(target, "because", auditor)
    refusal = _events(db)[-1]
    assert refusal.action == "security.refused" and refusal.actor_user_id == auditor.id
    assert db.session.get(AuditEvent, target.seq).payload is not None


def test_redaction_needs_a_reason(db, user_factory):
    admin = user_factory("admin")
    _append(db, 1)
    with pytest.raises(RuleViolation):
        redact_payload(_events(db)[-1], "   ", admin)


def test_cli_verify_succeeds_on_an_intact_chain(db, runner):
    _append(db, 3)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "OK:" in result.output


@pytest.mark.database_owner
def test_cli_verify_exits_non_zero_naming_the_first_bad_event(db, runner):
    _append(db, 4)
    target = _events(db)[-2]
    _drop_guard(db)
    db.session.execute(text("UPDATE audit_event SET actor_label = 'someone else' WHERE seq = :s"), {"s": target.seq})
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"first bad event is {target.seq}" in result.output


def test_a_refusal_by_an_anonymous_visitor_is_recorded_as_anonymous(db):
    from flask_login import AnonymousUserMixin

    from trail.events import record_refusal

    event = record_refusal(AnonymousUserMixin(), "forum.post", "not signed in")
    assert event.actor_user_id is None and event.actor_label == "anonymous"
    assert record_refusal(None, "x", "y", actor_label="anonymous (192.0.2.1)").actor_label == "anonymous (192.0.2.1)"


def _silent_redaction(db, seq: int) -> None:
    """What someone with write access could try: null a payload by plain SQL, with no redaction event."""
    db.session.execute(text("UPDATE audit_event SET payload = NULL, redacted_at = :now, "
                            "redaction_reason = 'tidying up' WHERE seq = :s"),
                       {"now": utcnow(), "s": seq})


@pytest.mark.database_owner
def test_database_refuses_a_redaction_by_plain_sql_without_its_event(db):
    _append(db, 2)
    target = _events(db)[-2]
    with pytest.raises(DatabaseError, match="append-only"), db.session.begin_nested():
        _silent_redaction(db, target.seq)
    db.session.expire_all()
    assert db.session.get(AuditEvent, target.seq).payload is not None


@pytest.mark.database_owner
def test_a_redaction_without_its_event_fails_verification_naming_the_event(db, runner):
    _append(db, 4)
    target = _events(db)[-3]
    _drop_guard(db)
    _silent_redaction(db, target.seq)
    db.session.commit()
    db.session.expire_all()
    result = verify_chain()
    assert not result.ok and result.first_bad_seq == target.seq
    assert "no audit.payload_redacted event names it" in result.problem
    cli = runner.invoke(args=["audit", "verify"])
    assert cli.exit_code == 1 and f"first bad event is {target.seq}" in cli.output


@pytest.mark.database_owner
def test_a_redaction_event_for_another_event_does_not_excuse_a_silent_one(db, user_factory):
    admin = user_factory("admin")
    _append(db, 3)
    honest, silent = _events(db)[-1], _events(db)[-2]
    redact_payload(honest, "Held a name", admin)
    _drop_guard(db)
    _silent_redaction(db, silent.seq)
    db.session.expire_all()
    result = verify_chain()
    assert not result.ok and result.first_bad_seq == silent.seq


def test_the_redaction_is_made_by_appending_its_event_in_one_transaction(db, user_factory):
    admin = user_factory("admin")
    _append(db, 2)
    target = _events(db)[-1]
    redacted = redact_payload(target, "Held a person's name", admin)
    event = _events(db)[-1]
    assert event.action == "audit.payload_redacted" and event.subject_id == str(target.seq)
    assert redacted.payload is None and redacted.redacted_at == event.occurred_at
    assert redacted.redaction_reason == "Held a person's name"
    assert verify_chain().ok


def test_a_redaction_event_naming_an_already_redacted_event_is_refused(db, user_factory):
    admin = user_factory("admin")
    _append(db, 1)
    target = _events(db)[-1]
    redact_payload(target, "Held a name", admin)
    with pytest.raises(DatabaseError), db.session.begin_nested():
        trail.record("audit.payload_redacted", actor=admin, subject=("audit_event", target.seq),
                     summary="again", payload={"seq": target.seq, "reason": "again"})


@pytest.mark.database_owner
def test_the_verification_page_run_also_fails_on_a_silent_redaction(db, user_factory):
    from trail.verification import run_verification, start_verification

    auditor = user_factory("auditor")
    _append(db, 4)
    target = _events(db)[-2]
    _drop_guard(db)
    _silent_redaction(db, target.seq)
    db.session.commit()
    run, _started = start_verification(auditor, now=utcnow())
    db.session.commit()
    run = run_verification(run.id, batch_size=2)
    assert run.status == "broken" and run.first_bad_seq == target.seq
    assert run.checked == target.seq - 1 and "no audit.payload_redacted event names it" in run.problem
