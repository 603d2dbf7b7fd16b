"""Commissioners link a forum, need statements and forum meetings through the pages; the public sees the links."""
from html import unescape

from forum import services as forum_services
from tenders.services import links
from tests.conftest import submit
from tests.unit.tenders.builders import T0, draft, forum_of, in_engagement, meeting_in, need_in


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_commissioner_links_forum_and_needs_and_the_public_page_links_to_them(client, db, world, auth, at):
    p, forum = draft(world), forum_of(world.c1)
    need = need_in(forum, world.c1)
    theirs = forum_of(world.other_commissioner, title="Another council's forum")
    auth.sign_in(world.c1)
    page = _text(client.get(f"/tenders/{p.id}/links"))
    assert forum.title in page and need.title in page and theirs.title not in page
    response = submit(client, f"/tenders/{p.id}/links", {"forum": str(forum.id), "needs": [str(need.id)]})
    assert response.status_code == 302
    assert p.forum_id == forum.id and [n.id for n in p.need_statements] == [need.id]
    shown = _text(client.get(f"/tenders/{p.id}"))
    assert f'href="/forums/{forum.slug}"' in shown and f'href="/needs/{need.id}"' in shown


def test_a_forum_the_organisation_does_not_own_is_not_a_valid_choice(client, db, world, auth, at):
    p = draft(world)
    theirs = forum_of(world.other_commissioner, title="Not ours to link")
    auth.sign_in(world.c1)
    response = submit(client, f"/tenders/{p.id}/links", {"forum": str(theirs.id)})
    assert response.status_code == 400 and p.forum_id is None


def test_another_councils_commissioner_cannot_change_the_links(client, db, world, auth, at):
    p, forum = draft(world), forum_of(world.other_commissioner, title="Other forum")
    auth.sign_in(world.other_commissioner)
    response = submit(client, f"/tenders/{p.id}/links", {"forum": str(forum.id)}, form_url="/account")
    assert response.status_code == 403 and p.forum_id is None


def test_meeting_added_on_the_engagement_page_shows_on_the_notice_and_as_cancelled_after(client, db, world, auth, at):
    p, forum = in_engagement(world), forum_of(world.c1)
    meeting = meeting_in(forum, world.c1, title="Provider engagement session")
    links.link_forum(p, world.c1, forum, now=T0)
    auth.sign_in(world.c1)
    page = _text(client.get(f"/tenders/{p.id}/engagement"))
    assert "Provider engagement session" in page
    response = submit(client, f"/tenders/{p.id}/events/meeting", {"meeting": str(meeting.id)},
                      form_url=f"/tenders/{p.id}/engagement")
    assert response.status_code == 302
    auth.sign_out()
    public = _text(client.get(f"/tenders/{p.id}"))
    assert "Provider engagement session" in public and "Northshire Town Hall, Room 2" in public
    assert f'href="/meetings/{meeting.id}"' in public and "Cancelled" not in public
    forum_services.cancel_meeting(meeting, world.c1, "The venue flooded")
    public = _text(client.get(f"/tenders/{p.id}"))
    assert "Cancelled" in public and "The venue flooded" in public


def test_choosing_no_meeting_keeps_the_page_with_an_error(client, db, world, auth, at):
    p, forum = in_engagement(world), forum_of(world.c1)
    meeting_in(forum, world.c1)
    links.link_forum(p, world.c1, forum, now=T0)
    auth.sign_in(world.c1)
    response = submit(client, f"/tenders/{p.id}/events/meeting", {"meeting": ""},
                      form_url=f"/tenders/{p.id}/engagement")
    assert response.status_code == 400 and "Choose a meeting of the linked forum" in _text(response)
    assert p.events == []


def test_forum_and_need_pages_list_published_linked_procurements_only(client, db, world, at):
    forum = forum_of(world.c1)
    need = need_in(forum, world.c1)
    published, drafted = in_engagement(world), draft(world)
    drafted.title = "A draft nobody outside may see"
    for p in (published, drafted):
        links.set_links(p, world.c1, forum=forum, needs=[need], now=T0)
    db.session.flush()
    forum_page = _text(client.get(f"/forums/{forum.slug}"))
    need_page = _text(client.get(f"/needs/{need.id}", follow_redirects=True))
    for page in (forum_page, need_page):
        assert f'href="/tenders/{published.id}"' in page and published.reference in page
        assert drafted.title not in page and f'href="/tenders/{drafted.id}"' not in page
