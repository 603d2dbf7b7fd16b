"""The auditor's verify page: progress of a long verification, its final report, and no dead ends."""
from __future__ import annotations

import re
import time
import types
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import create_engine, func, select, text

from accounts import services as account_services
from core.clock import utcnow
from tests.conftest import PASSWORD, csrf_token, submit, totp_code
from trail import record, triggers
from trail.models import AuditEvent, VerificationRun
from trail.verification import VERIFICATION_STALE_AFTER, run_verification, start_verification

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def _tamper(db, seq: int) -> None:
    for statement in triggers.statements(db.session.get_bind().dialect.name, "down"):
        db.session.execute(text(statement))
    db.session.execute(text("UPDATE audit_event SET summary = 'nothing to see' WHERE seq = :seq"), {"seq": seq})
    db.session.commit()
    db.session.expire_all()


# ---------------------------------------------------------------- progress and report (the page)


def test_page_shows_progress_and_refreshes_itself_without_script_while_a_run_is_going(
        db, client, sign_in, events, user_factory):
    auditor = user_factory("auditor")
    sign_in(auditor)
    events(5)
    run, _started = start_verification(auditor, now=utcnow())
    db.session.commit()
    run.checked = 2
    db.session.commit()

    html = client.get("/audit/verify").get_data(as_text=True)
    assert f'<progress id="verify-progress" max="{run.total}" value="2">' in html
    assert '<label for="verify-progress">Events checked</label>' in html
    assert f"2 of {run.total}" in html
    # It updates itself through a script file (the CSP allows no inline script; axe fails a meta refresh) ...
    assert '<script type="module" src="/static/js/audit-verify.mjs"></script>' in html
    assert '<div id="verify-run" data-running="true" data-interval="2">' in html
    assert not INLINE_SCRIPT.search(html) and 'http-equiv="refresh"' not in html
    script = client.get("/static/js/audit-verify.mjs")
    assert script.status_code == 200 and b"verify-run" in script.data
    script.close()
    # ... and without JavaScript the auditor checks when they choose.
    assert '<a class="govuk-link" href="/audit/verify">Check progress</a>' in html
    assert "Verify the whole chain now" not in html  # joining happens by itself: no button to press twice

    run_verification(run.id, batch_size=2)
    html = client.get("/audit/verify").get_data(as_text=True)
    assert "audit-verify.mjs" not in html and "<progress" not in html
    assert 'data-running="false"' in html
    assert "The chain is intact" in html
    finished = db.session.get(VerificationRun, run.id)
    assert f"{finished.checked} events verified" in html
    assert finished.head_hash in html
    assert f'href="/audit/events/{finished.event_seq}"' in html


def test_pressing_verify_while_a_run_is_going_joins_it(db, client, sign_in, events, user_factory):
    first, second = user_factory("auditor", full_name="Avery First"), user_factory("auditor")
    events(3)
    start_verification(first, now=utcnow())
    db.session.commit()
    sign_in(second)
    page = client.get("/audit/verify").get_data(as_text=True)
    assert "Verify the whole chain now" not in page
    # The page they loaded before the run started still had the button.
    token = csrf_token(client.get("/account").get_data(as_text=True))
    response = client.post("/audit/verify", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"].endswith("/audit/verify")
    html = client.get("/audit/verify").get_data(as_text=True)
    assert "A verification started by Avery First" in html and "is already running" in html
    assert db.session.scalar(select(func.count()).select_from(VerificationRun)) == 1


def test_a_stalled_run_says_so_and_a_new_start_replaces_it(db, client, sign_in, events, user_factory):
    auditor = user_factory("auditor")
    sign_in(auditor)
    events(3)
    stuck, _started = start_verification(auditor, now=utcnow() - VERIFICATION_STALE_AFTER - timedelta(minutes=1))
    db.session.commit()
    html = client.get("/audit/verify").get_data(as_text=True)
    assert "The verification stopped before it finished" in html
    assert "audit-verify.mjs" not in html and "Verify the whole chain now" in html
    response = submit(client, "/audit/verify", {})
    assert response.status_code == 200 and "The chain is intact" in response.get_data(as_text=True)
    db.session.refresh(stuck)
    assert stuck.status == "abandoned"


@pytest.mark.database_owner
def test_a_tampered_chain_is_reported_with_its_first_broken_link(db, client, sign_in, events, user_factory):
    sign_in(user_factory("auditor"))
    seqs = events(4)
    _tamper(db, seqs[1])
    response = submit(client, "/audit/verify", {})
    html = response.get_data(as_text=True)
    assert f"The chain is broken at event {seqs[1]}" in html
    assert f"Event {seqs[1]}: its contents do not match its hash" in html
    assert f'href="/audit/events/{seqs[1]}"' in html
    recorded = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
    assert recorded.action == "audit.chain_verified" and f"broken at event {seqs[1]}" in recorded.summary


# ---------------------------------------------------------------- no dead ends


def test_numbers_too_big_for_the_database_are_not_found_rather_than_errors(db, client, sign_in, user_factory):
    sign_in(user_factory("auditor"))
    assert client.get("/audit/events/99999999999999999999").status_code == 404
    assert client.get("/audit/procurements/99999999999999999999").status_code == 404
    assert client.get("/audit/procurements/99999999999999999999/record.csv").status_code == 404
    assert client.get("/audit/?page=99999999999999999999").status_code == 200
    assert client.get("/audit/procurements?page=99999999999999999999").status_code == 200


def test_cli_refuses_a_batch_size_that_would_verify_nothing(db, runner, events):
    events(2)
    result = runner.invoke(args=["audit", "verify", "--batch", "0"])
    assert result.exit_code == 2
    assert "--batch" in result.output
    assert not db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "audit.chain_verified"))


# ---------------------------------------------------------------- a real background run


def _scratch_auditor(app) -> types.SimpleNamespace:
    """An auditor with TOTP on the scratch database, committed; what signing in needs, detached from any session."""
    from core.extensions import db

    with app.app_context():
        org = account_services.create_organisation(account_services.NewOrganisation(
            name="Scratch Audit Office", kind="auditor_body", provider_type=None, council=None))
        user = account_services.register(full_name="Sam Scratch", email="sam@example.org", password=PASSWORD,
                                         organisation=org)
        user.role = "auditor"
        user.email_confirmed_at = utcnow()
        user.totp_secret = pyotp.random_base32()
        user.totp_enabled_at = utcnow()
        db.session.commit()
        person = types.SimpleNamespace(id=user.id, email=user.email, totp_secret=user.totp_secret,
                                       totp_last_step=None)
        for i in range(40):
            record("test.event", actor_label="test", summary=f"event {i}", payload={"i": i})
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return person


def _sign_in(client, person) -> None:
    response = submit(client, "/sign-in", {"email": person.email, "password": PASSWORD})
    assert response.status_code == 302 and "/two-factor" in response.headers["Location"]
    response = submit(client, "/sign-in/two-factor", {"code": totp_code(person)})
    assert response.status_code == 302


def _wait_for_report(client, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        html = client.get("/audit/verify").get_data(as_text=True)
        if "<progress" not in html:
            return html
        assert 'data-running="true"' in html
        time.sleep(0.05)
    pytest.fail("the background verification did not finish")


def test_a_long_chain_is_verified_in_the_background_and_tampering_is_found(scratch_database_url):
    from core.extensions import db
    from tests.conftest import make_test_app, owner_url

    app = make_test_app(scratch_database_url, AUDIT_VERIFY_BATCH=4)
    person = _scratch_auditor(app)
    client = app.test_client()
    _sign_in(client, person)

    response = submit(client, "/audit/verify", {})
    assert response.status_code == 303  # the request returns at once; the run goes on in its thread
    html = _wait_for_report(client)
    with app.app_context():
        run = db.session.scalars(select(VerificationRun)).one()
        head = db.session.scalar(select(func.max(AuditEvent.seq)).where(AuditEvent.seq <= run.up_to_seq))
        recorded = db.session.get(AuditEvent, run.event_seq)
        assert run.status == "intact" and run.checked == run.total == head > 4
        assert recorded.action == "audit.chain_verified" and recorded.actor_user_id == person.id
        assert "The chain is intact" in html and f"{run.checked} events verified" in html
        assert run.head_hash in html
        db.session.remove()
    # Someone with the owner's rights over the database changes an old event.
    owner = create_engine(owner_url(scratch_database_url))
    with owner.begin() as connection:
        for statement in triggers.statements(connection.dialect.name, "down"):
            connection.execute(text(statement))
        connection.execute(text("UPDATE audit_event SET summary = 'nothing to see' WHERE seq = 10"))
    owner.dispose()

    assert submit(client, "/audit/verify", {}).status_code == 303
    html = _wait_for_report(client)
    assert "The chain is broken at event 10" in html
    assert "Event 10: its contents do not match its hash. 9 events before it verified" in html
    with app.app_context():
        latest = db.session.scalars(select(VerificationRun).order_by(VerificationRun.id.desc())).first()
        assert (latest.status, latest.first_bad_seq, latest.checked) == ("broken", 10, 9)
        db.session.remove()
        db.engine.dispose()
