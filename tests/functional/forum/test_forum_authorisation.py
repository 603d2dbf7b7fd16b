"""Every forum route, tried as seven different people: who may see and do what.

Forums are public to read; taking part needs membership (one click for any
provider, the council's in-house unit included); running a forum needs to be a
commissioner of an owning organisation; moderation is for owners and admins.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum import services
from forum.attachments import Upload
from forum.models import Attachment, Meeting, ModerationEntry, Post, PostReport
from tests.conftest import Auth, csrf_token

PERSONAS = ("anonymous", "member", "in_house_member", "non_member", "owner", "other_commissioner", "auditor",
            "admin")
EVERYONE = set(PERSONAS)
SIGNED_IN = EVERYONE - {"anonymous"}
MEMBERS_AND_OWNER = {"member", "in_house_member", "owner"}


@pytest.fixture
def world(db, user_factory, org_factory, forum_factory, meeting_details, need_details):
    from tests.unit.forum.files import PDF

    owner = user_factory("commissioner")
    people = {
        "anonymous": None,
        "member": user_factory("provider"),
        "in_house_member": user_factory("provider", organisation=org_factory("provider", provider_type="in_house")),
        "non_member": user_factory("provider"),
        "owner": owner,
        "other_commissioner": user_factory("commissioner"),
        "auditor": user_factory("auditor"),
        "admin": user_factory("admin"),
    }
    forum = forum_factory(owner=owner)
    services.join_forum(forum, people["member"])
    services.join_forum(forum, people["in_house_member"])
    thread = services.start_thread(forum, people["member"], "A thread", "Opening post")
    post = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    reply = services.reply(thread, people["in_house_member"], "A reply", attachment=Upload("a.pdf", PDF))
    report = services.report_post(reply, people["member"], "Check this")
    need = services.publish_need(forum, owner, need_details())
    meeting = services.schedule_meeting(forum, owner, meeting_details())
    db.session.commit()
    attachment = db.session.scalar(select(Attachment).where(Attachment.post_id == reply.id))
    return {"people": people, "forum": forum, "thread": thread, "post": post, "reply": reply, "report": report,
            "need": need, "meeting": meeting, "attachment": attachment}


def _client(app, world, persona):
    client = app.test_client()
    if world["people"][persona] is not None:
        assert Auth(client).sign_in(world["people"][persona]).status_code == 302
    return client


def _get_expectations(w):
    slug, t, p = w["forum"].slug, w["thread"].id, w["post"].id
    return [
        ("/forums", EVERYONE, 200), (f"/forums/{slug}", EVERYONE, 200), (f"/forums/{slug}/threads/{t}", EVERYONE, 200),
        (f"/forums/{slug}/moderation", EVERYONE, 200), (f"/posts/{p}/revisions", EVERYONE, 200),
        ("/needs", EVERYONE, 200), (f"/meetings/{w['meeting'].id}", EVERYONE, 200), ("/search?q=thread", EVERYONE, 200),
        ("/forums.atom", EVERYONE, 200), (f"/forums/{slug}/feed.atom", EVERYONE, 200),
        (f"/forums/{slug}/meetings.ics", EVERYONE, 200), (f"/attachments/{w['attachment'].id}", EVERYONE, 200),
        (f"/posts/{p}", EVERYONE, 302), (f"/needs/{w['need'].id}", EVERYONE, 302),
        ("/forums/new", {"owner", "other_commissioner"}, 200),
        (f"/forums/{slug}/edit", {"owner"}, 200),
        (f"/forums/{slug}/reports", {"owner", "admin"}, 200),
        (f"/forums/{slug}/threads/new", MEMBERS_AND_OWNER, 200),
        (f"/posts/{p}/edit", {"member"}, 200),
        (f"/posts/{w['reply'].id}/report", MEMBERS_AND_OWNER, 200),
        (f"/posts/{p}/hide", {"owner", "admin"}, 200),
        (f"/forums/{slug}/needs/new", {"owner"}, 200),
        (f"/needs/{w['need'].id}/edit", {"owner"}, 200),
        (f"/forums/{slug}/meetings/new", {"owner"}, 200),
        ("/notifications", SIGNED_IN, 200), ("/notifications/settings", SIGNED_IN, 200),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_forum_pages_are_public_and_actions_are_for_the_right_people(app, world, persona):
    client = _client(app, world, persona)
    problems = []
    for url, allowed, status in _get_expectations(world):
        got = client.get(url).status_code
        expected = status if persona in allowed else (302 if persona == "anonymous" else 403)
        if got != expected:
            problems.append(f"GET {url}: expected {expected}, got {got}")
    assert not problems, "\n".join(problems)


def _post_refusals(w):
    slug, t, m = w["forum"].slug, w["thread"].id, w["meeting"].id
    not_owner = SIGNED_IN - {"owner"}
    return [
        (f"/forums/{slug}/status", {"status": "closed"}, not_owner),
        (f"/forums/{slug}/watch", {"level": "all"}, SIGNED_IN - MEMBERS_AND_OWNER),
        (f"/forums/{slug}/threads/{t}/watch", {"level": "all"}, SIGNED_IN - MEMBERS_AND_OWNER),
        (f"/forums/{slug}/threads/{t}/reply", {"body": "Let me in"}, SIGNED_IN - MEMBERS_AND_OWNER),
        (f"/forums/{slug}/join", {}, {"owner", "auditor", "admin"}),
        (f"/meetings/{m}/register", {}, SIGNED_IN - MEMBERS_AND_OWNER),
        (f"/meetings/{m}/cancel-meeting", {"cancel-reason": "No"}, not_owner),
        (f"/meetings/{m}/minutes", {"minutes": "No"}, not_owner),
        (f"/meetings/{m}/attendance", {}, not_owner),
        (f"/meetings/{m}/documents", {}, not_owner),
        (f"/reports/{w['report'].id}/dismiss", {}, SIGNED_IN - {"owner", "admin"}),
    ]


@pytest.mark.parametrize("persona", sorted(SIGNED_IN))
def test_forum_actions_refuse_everyone_else_and_change_nothing(app, db, world, persona):
    client = _client(app, world, persona)
    token = csrf_token(client.get("/notifications/settings").get_data(as_text=True))
    problems = []
    for url, data, refused in _post_refusals(world):
        if persona not in refused:
            continue
        payload = {**data, "csrf_token": token, "cancel-csrf_token": token}
        got = client.post(url, data=payload).status_code
        if got != 403:
            problems.append(f"POST {url}: expected 403, got {got}")
    assert not problems, "\n".join(problems)
    meeting = db.session.get(Meeting, world["meeting"].id)
    db.session.refresh(meeting)
    assert meeting.cancelled_at is None and meeting.minutes_md is None
    assert db.session.get(PostReport, world["report"].id).resolved_at is None
    assert db.session.scalar(select(func.count()).select_from(ModerationEntry)) == 0


def test_anonymous_posts_are_sent_to_sign_in(app, world):
    client = app.test_client()
    slug = world["forum"].slug
    for url in (f"/forums/{slug}/join", f"/forums/{slug}/threads/{world['thread'].id}/reply",
                f"/meetings/{world['meeting'].id}/register"):
        response = client.post(url, data={})
        assert response.status_code in (302, 400), url
