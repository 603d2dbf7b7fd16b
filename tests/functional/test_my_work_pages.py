""""My work" and notifications over HTTP: signing in lands there, `next` still wins, the header counts."""

from sqlalchemy import select

from accounts.models import Notification
from accounts.notifications import notify
from core import clock
from tenders.services import responses
from tests.conftest import PASSWORD, submit
from tests.unit.tenders.builders import AFTER, in_tender, make_world
from tests.unit.tenders.builders import submit as submit_response


def test_signing_in_lands_on_my_work_and_next_still_wins(client, user_factory):
    user = user_factory("provider")
    response = submit(client, "/sign-in", {"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/my-work"
    page = client.get("/my-work").get_data(as_text=True)
    assert "<h1 class=\"govuk-heading-l\">My work</h1>" in page and ">My work<" in page
    assert "Nothing is waiting for you." in page and "open tenders" in page  # what will appear here
    submit(client, "/sign-out", {}, form_url="/account")
    client.get("/sign-in?next=/tenders")
    response = submit(client, "/sign-in", {"email": user.email, "password": PASSWORD},
                      form_url="/sign-in?next=/tenders")
    assert response.headers["Location"] == "/tenders"
    assert client.get("/sign-in").headers["Location"] == "/my-work"  # already signed in


def test_my_work_needs_signing_in(client):
    response = client.get("/my-work")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_each_role_is_told_what_will_appear(client, auth, user_factory):
    expected = {"commissioner": "openings of responses waiting for a second commissioner",
                "auditor": "Latest records (", "admin": "Organisations to verify ("}
    for role, words in expected.items():
        auth.sign_in(user_factory(role))
        assert words in client.get("/my-work").get_data(as_text=True), role
        auth.sign_out()


def test_the_second_commissioner_reaches_the_opening_from_a_notification(client, auth, db, org_factory,
                                                                          user_factory):
    world = make_world(org_factory, user_factory)
    clock.set_now(AFTER)
    try:
        p = in_tender(world)
        submit_response(world, p, world.p1, 100)
        responses.open_box(p, world.c1, now=AFTER)
        db.session.commit()
        auth.sign_in(world.c2)
        page = client.get("/my-work").get_data(as_text=True)
        assert "Notifications (1 unread)" in page
        assert "Openings waiting for a second commissioner (1)" in page
        assert f'href="/tenders/{p.id}/open"' in page
        note = db.session.scalars(select(Notification).where(Notification.user_id == world.c2.id)).one()
        listing = client.get("/notifications").get_data(as_text=True)
        assert f'href="/notifications/{note.id}/open"' in listing and "Casey One asked to open" in listing
        response = client.get(f"/notifications/{note.id}/open")
        assert response.status_code == 302 and response.headers["Location"] == f"/tenders/{p.id}/open"
        assert "Notifications (1 unread)" not in client.get("/my-work").get_data(as_text=True)
        assert client.get(f"/tenders/{p.id}/open").status_code == 200
    finally:
        clock.set_now(None)


def test_nobody_follows_someone_elses_notification(client, auth, db, user_factory):
    mine, theirs = user_factory("provider"), user_factory("provider")
    notify([theirs], title="Theirs", url="/tenders", event="test.event")
    db.session.commit()
    note = db.session.scalars(select(Notification).where(Notification.user_id == theirs.id)).one()
    auth.sign_in(mine)
    assert client.get(f"/notifications/{note.id}/open").status_code == 403
    assert client.get("/notifications/999999/open").status_code == 404
    assert db.session.get(Notification, note.id).read_at is None


def test_mark_all_read_clears_the_header_count(client, auth, db, user_factory):
    user = user_factory("provider")
    notify([user], title="One", url="/", event="test.one")
    notify([user], title="Two", url="/", event="test.two")
    db.session.commit()
    auth.sign_in(user)
    assert "Notifications (2 unread)" in client.get("/tenders").get_data(as_text=True)  # on every page
    response = submit(client, "/notifications/read", {}, form_url="/notifications", follow_redirects=True)
    assert "2 notifications marked as read." in response.get_data(as_text=True)
    assert "unread)" not in client.get("/tenders").get_data(as_text=True)


def test_the_header_count_is_one_query(client, auth, db, user_factory, app):
    from sqlalchemy import event

    user = user_factory("provider")
    auth.sign_in(user)
    seen = []

    def count(conn, cursor, statement, *args):
        if "FROM notification" in statement:
            seen.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        client.get("/organisations")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(seen) == 1 and "count(" in seen[0].lower()


