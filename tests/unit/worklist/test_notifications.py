"""notify: one notification per person, email when asked, no duplicates, never the suspended; marking read."""
from datetime import timedelta

from sqlalchemy import select

from accounts import notifications
from accounts.models import Notification
from core.models import OutboxMessage
from tenders.services import responses
from tests.unit.tenders.builders import AFTER, in_tender, submit
from trail.models import AuditEvent


def _notes(db, user, event=None):
    query = select(Notification).where(Notification.user_id == user.id)
    if event is not None:
        query = query.where(Notification.event == event)
    return list(db.session.scalars(query))


def _mail(db, user):
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == user.email)))


def test_notify_tells_each_person_once_and_emails_only_when_asked(db, user_factory):
    a, b = user_factory("provider"), user_factory("provider")
    before = len(_mail(db, a))
    notifications.notify([a, b, a], title="Something happened", url="/tenders/1", event="test.event")
    assert [n.text for n in _notes(db, a)] == ["Something happened"] and len(_notes(db, b)) == 1
    assert len(_mail(db, a)) == before
    notifications.notify([a], title="Urgent", url="/tenders/2", email=True, event="test.urgent")
    [mail] = _mail(db, a)[before:]
    assert "Urgent" in mail.subject and "/tenders/2" in mail.body and mail.body.count("http") == 1


def test_the_same_unread_event_for_the_same_link_is_not_repeated(db, user_factory):
    a = user_factory("provider")
    for _ in range(3):
        notifications.notify([a], title="Asked to open", url="/tenders/1/open", event="opening.requested")
    assert len(_notes(db, a)) == 1
    notifications.mark_read(a)
    notifications.notify([a], title="Asked again", url="/tenders/1/open", event="opening.requested")
    assert len(_notes(db, a)) == 2  # once read, a new request is news again


def test_suspended_people_are_not_told(db, user_factory):
    a = user_factory("provider")
    a.is_suspended = True
    notifications.notify([a], title="Hello", url="/", email=True, event="test.event")
    assert _notes(db, a) == []


def test_marking_read_touches_only_my_notifications_and_is_audited(db, user_factory):
    a, b = user_factory("provider"), user_factory("provider")
    notifications.notify([a, b], title="News", url="/", event="test.event")
    theirs = _notes(db, b)[0]
    assert notifications.mark_read(a, [theirs.id]) == 0
    assert notifications.unread_count(b) == 1
    assert notifications.mark_read(a) == 1 and notifications.unread_count(a) == 0
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "notifications.read",
                                                       AuditEvent.actor_user_id == a.id)).one()


def test_asking_to_open_tells_the_other_commissioners_in_the_app_and_by_email(db, world):
    p = in_tender(world)
    submit(world, p, world.p1, 100)
    responses.open_box(p, world.c1, now=AFTER)
    [note] = _notes(db, world.c2, "opening.requested")
    assert note.url == f"/tenders/{p.id}/open" and "Casey One asked to open" in note.text
    assert note.event == "opening.requested"
    assert any(p.reference in m.subject and f"/tenders/{p.id}/open" in m.body for m in _mail(db, world.c2))
    assert _notes(db, world.c1, "opening.requested") == []  # not the one who asked
    assert _notes(db, world.other_commissioner) == [] and _notes(db, world.p1) == []


def test_a_conflicted_commissioner_is_not_asked_to_confirm_the_opening(db, world):
    from tenders.services import conflicts

    p = in_tender(world)
    submit(world, p, world.p1, 100)
    conflicts.declare(p, world.c2, has_interest=True, now=AFTER - timedelta(minutes=5),
                      organisation_id=world.p1.organisation_id, description="My sister runs Alpha Homes")
    responses.open_box(p, world.c1, now=AFTER)
    assert _notes(db, world.c2, "opening.requested") == []


def test_verification_tells_the_organisations_people_in_the_app(db, world):
    from accounts import services as account_services

    account_services.verify_organisation(world.unverified.organisation, world.admin, ofsted_urn="SC123456")
    [note] = _notes(db, world.unverified)
    assert note.event == "organisation.verified" and "you can now respond to open tenders" in note.text
    assert note.url == f"/organisations/{world.unverified.organisation_id}"


def test_each_stage_change_asks_the_people_involved_once_for_their_declarations(db, world):
    from tests.unit.tenders.builders import in_engagement

    p = in_engagement(world)
    [asked] = _notes(db, world.c1, "declaration.due")
    assert asked.url == f"/tenders/{p.id}/declarations?stage=engagement" and "Preliminary market engagement" in \
        asked.text
    assert _notes(db, world.c2, "declaration.due") == []  # c2 has not acted on it
    assert _notes(db, world.p1, "declaration.due") == []
