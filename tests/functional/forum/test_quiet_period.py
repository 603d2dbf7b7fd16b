"""The quiet period through the forum pages (the quiet period)."""
from sqlalchemy import select

from forum import services as forum_services
from forum.models import Thread
from tests.conftest import submit
from tests.functional.tenders.conftest import at, world  # noqa: F401
from tests.unit.tenders.builders import forum_of, in_tender
from trail.models import AuditEvent


def test_a_commissioners_thread_linking_a_live_tender_is_refused_with_the_clarification_route(client, auth, world,
                                                                                              db, at):
    p = in_tender(world)
    forum = forum_of(world.c1)
    auth.sign_in(world.c1)
    body = f"Ask me anything about https://commons.example/tenders/{p.id}"
    response = submit(client, f"/forums/{forum.slug}/threads/new", {"title": "Open questions", "body": body})
    html = response.get_data(as_text=True)
    assert response.status_code in (200, 400)
    assert f"/tenders/{p.id}/clarifications" in html and "Open questions" in html  # what was typed is kept
    assert db.session.scalars(select(Thread).where(Thread.forum_id == forum.id)).all() == []
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "security.refused",
                                                      AuditEvent.procurement_id == p.id))


def test_a_commissioners_reply_naming_the_reference_is_refused(client, auth, world, db, at):
    p = in_tender(world)
    forum = forum_of(world.c1)
    thread = forum_services.start_thread(forum, world.c1, "Market update", "General news")
    auth.sign_in(world.c1)
    response = submit(client, f"/forums/{forum.slug}/threads/{thread.id}/reply", {"body": f"See {p.reference}"},
                      form_url=f"/forums/{forum.slug}/threads/{thread.id}")
    assert response.status_code == 400
    assert f"/tenders/{p.id}/clarifications" in response.get_data(as_text=True)


def test_a_providers_post_naming_the_tender_is_published(client, auth, world, db, at):
    p = in_tender(world)
    forum = forum_of(world.c1)
    forum_services.join_forum(forum, world.p1)
    auth.sign_in(world.p1)
    response = submit(client, f"/forums/{forum.slug}/threads/new",
                      {"title": "Consortium bid?", "body": f"Anyone partnering on {p.reference}?"})
    assert response.status_code == 302
