"""Concurrent registrations never overfill a meeting.

Several OS processes (as gunicorn workers would be) register different
providers for the last places at once, each in its own transaction, against a
real database; afterwards exactly `capacity` people hold places and everyone
else is on the waiting list.
"""
from __future__ import annotations

import multiprocessing
from datetime import timedelta

CAPACITY = 2
PROVIDERS = 6


def _setup(url: str) -> tuple[int, list[int]]:
    from accounts import services as accounts
    from core.clock import utcnow
    from core.extensions import db
    from forum import services
    from tests.conftest import PASSWORD, make_test_app

    app = make_test_app(url)
    with app.app_context():
        council = accounts.create_organisation(accounts.NewOrganisation(name="Race Council", kind="commissioning_unit"))
        lead = accounts.register(full_name="Lead Commissioner", email="lead@race.example", password=PASSWORD,
                                 organisation=council)
        lead.role, lead.email_confirmed_at, lead.totp_enabled_at, lead.totp_secret = \
            "commissioner", utcnow(), utcnow(), "JBSWY3DPEHPK3PXP"
        forum = services.create_forum(lead, services.ForumDetails("Race forum", "Remit", "North West", ["fostering"]))
        start = utcnow() + timedelta(days=5)
        meeting = services.schedule_meeting(forum, lead, services.MeetingDetails(
            "Busy session", start, start + timedelta(hours=1), "in_person", "Hall", "", "Agenda", CAPACITY))
        user_ids = []
        for n in range(PROVIDERS):
            org = accounts.create_organisation(accounts.NewOrganisation(
                name=f"Racer {n}", kind="provider", provider_type="independent"))
            user = accounts.register(full_name=f"Racer {n}", email=f"racer{n}@race.example", password=PASSWORD,
                                     organisation=org)
            user.email_confirmed_at = utcnow()
            services.join_forum(forum, user)
            user_ids.append(user.id)
        db.session.commit()
        meeting_id = meeting.id
        db.session.remove()
        db.engine.dispose()
    return meeting_id, user_ids


def _register(url: str, meeting_id: int, user_id: int, barrier) -> None:
    from accounts.models import User
    from core.extensions import db
    from core.transactions import call_service
    from forum import services
    from forum.models import Meeting
    from tests.conftest import make_test_app

    app = make_test_app(url)
    with app.app_context():
        user, meeting = db.session.get(User, user_id), db.session.get(Meeting, meeting_id)
        db.session.rollback()  # start the registration in a fresh transaction, as a request would
        barrier.wait(timeout=60)
        call_service(services.register_for_meeting, db.session.get(Meeting, meeting.id),
                     db.session.get(User, user.id))
        db.session.remove()
        db.engine.dispose()


def test_concurrent_registrations_never_exceed_capacity(scratch_database_url):
    meeting_id, user_ids = _setup(scratch_database_url)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROVIDERS)
    workers = [context.Process(target=_register, args=(scratch_database_url, meeting_id, uid, barrier))
               for uid in user_ids]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=180)
    assert [worker.exitcode for worker in workers] == [0] * PROVIDERS

    from sqlalchemy import select

    from core.extensions import db
    from forum.models import MeetingRegistration
    from tests.conftest import make_test_app

    app = make_test_app(scratch_database_url)
    with app.app_context():
        statuses = list(db.session.scalars(select(MeetingRegistration.status)
                                           .where(MeetingRegistration.meeting_id == meeting_id)))
        assert sorted(statuses) == ["registered"] * CAPACITY + ["waiting"] * (PROVIDERS - CAPACITY)
        db.session.remove()
        db.engine.dispose()
