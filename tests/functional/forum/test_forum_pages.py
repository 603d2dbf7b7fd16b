"""Forum pages over HTTP: public reading, one-click joining, posting, editing, moderation, bad input."""
from __future__ import annotations

from sqlalchemy import select

from forum import queries, services
from forum.models import Forum, Post
from tests.conftest import csrf_token, submit


def test_forum_page_is_public_without_signing_in(client, forum, thread):
    response = client.get(f"/forums/{forum.slug}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert forum.title in html and "Capacity for sibling groups" in html
    assert f"/forums/{forum.slug}/feed.atom" in html
    thread_page = client.get(f"/forums/{forum.slug}/threads/{thread.id}")
    assert thread_page.status_code == 200
    assert "<strong>two</strong>" in thread_page.get_data(as_text=True)


def test_unknown_forum_is_a_clear_404(client, db):
    response = client.get("/forums/no-such-forum")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_forums_list_filters_by_region_and_category(client, forum_factory):
    forum_factory(title="Fostering North West", region="North West", categories=["fostering"])
    forum_factory(title="Short breaks Wales", region="Wales", categories=["short_breaks"])
    html = client.get("/forums?region=Wales").get_data(as_text=True)
    assert "Short breaks Wales" in html and "Fostering North West" not in html
    html = client.get("/forums?category=fostering").get_data(as_text=True)
    assert "Fostering North West" in html and "Short breaks Wales" not in html
    assert client.get("/forums?region=Nowhere&category=bogus&page=999").status_code == 200


def test_home_page_lists_open_forums(client, forum):
    html = client.get("/").get_data(as_text=True)
    assert forum.title in html and f"/forums/{forum.slug}" in html


def test_commissioner_creates_forum_through_the_form(client, auth, commissioner, org_factory):
    partner = org_factory("commissioning_unit", name="Partner Council Commissioning")
    auth.sign_in(commissioner)
    response = submit(client, "/forums/new", {
        "title": "Supported accommodation 16+", "remit": "For providers of **16+** accommodation.",
        "region": "North West", "categories": ["supported_accommodation", "transitions"],
        "co_owners": [str(partner.id)]})
    assert response.status_code == 302
    forum = client.application.extensions["sqlalchemy"].session.scalar(
        select(Forum).where(Forum.title == "Supported accommodation 16+"))
    assert {o.name for o in forum.owners} == {commissioner.organisation.name, "Partner Council Commissioning"}


def test_bad_forum_form_shows_error_summary_and_keeps_input(client, auth, commissioner):
    auth.sign_in(commissioner)
    response = submit(client, "/forums/new", {"title": "Kept title", "remit": "", "region": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html and "Describe the forum’s remit" in html
    assert 'value="Kept title"' in html


def test_provider_cannot_open_the_create_forum_page(client, auth, provider):
    auth.sign_in(provider)
    assert client.get("/forums/new").status_code == 403


def test_provider_joins_with_one_click_and_can_post(client, auth, forum, provider):
    auth.sign_in(provider)
    response = submit(client, f"/forums/{forum.slug}/join", {}, form_url=f"/forums/{forum.slug}")
    assert response.status_code == 302
    assert queries.is_member(provider, forum)
    response = submit(client, f"/forums/{forum.slug}/threads/new",
                      {"title": "Our new home", "body": "Opening in **May**."})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>May</strong>" in page


def test_thread_form_errors_keep_the_title(client, auth, forum, member):
    auth.sign_in(member)
    response = submit(client, f"/forums/{forum.slug}/threads/new", {"title": "Kept", "body": ""})
    html = response.get_data(as_text=True)
    assert "Enter your message" in html and 'value="Kept"' in html


def test_child_data_warning_shows_confirmation_and_confirmed_post_is_saved(client, auth, forum, thread, member):
    auth.sign_in(member)
    url = f"/forums/{forum.slug}/threads/{thread.id}/reply"
    form_url = f"/forums/{forum.slug}/threads/{thread.id}"
    response = submit(client, url, {"body": "Call our office on 0161 496 0000"}, form_url=form_url)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "a phone number" in html and "confirm_no_child_data" in html
    assert "Call our office on 0161 496 0000" in html  # kept what was typed
    response = submit(client, url, {"body": "Call our office on 0161 496 0000", "confirm_no_child_data": "y"},
                      form_url=form_url)
    assert response.status_code == 302


def test_reply_to_closed_forum_gets_a_clear_message(client, auth, forum, thread, member, commissioner, db):
    auth.sign_in(member)
    page = client.get(f"/forums/{forum.slug}/threads/{thread.id}").get_data(as_text=True)
    services.set_forum_status(forum, commissioner, "closed")
    db.session.commit()
    response = client.post(f"/forums/{forum.slug}/threads/{thread.id}/reply",
                           data={"body": "Too late", "csrf_token": csrf_token(page)})
    assert response.status_code == 400
    assert "no longer takes new posts" in response.get_data(as_text=True)


def test_quote_reply_prefills_the_quoted_text(client, auth, forum, thread, member, db):
    post = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    auth.sign_in(member)
    html = client.get(f"/forums/{forum.slug}/threads/{thread.id}?quote={post.id}").get_data(as_text=True)
    assert "&gt; We can offer **two** placements" in html
    response = submit(client, f"/forums/{forum.slug}/threads/{thread.id}/reply",
                      {"body": "> quoted\n\nAgreed", "quote": str(post.id)},
                      form_url=f"/forums/{forum.slug}/threads/{thread.id}")
    assert response.status_code == 302
    reply = db.session.scalars(select(Post).where(Post.thread_id == thread.id).order_by(Post.id.desc())).first()
    assert reply.quoted_post_id == post.id


def test_edit_history_is_listed_and_diffed_publicly(client, auth, forum, thread, member, db):
    post = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    auth.sign_in(member)
    response = submit(client, f"/posts/{post.id}/edit", {"body": "We can offer **three** placements."})
    assert response.status_code == 302
    auth.sign_out()
    html = client.get(f"/posts/{post.id}/revisions").get_data(as_text=True)
    assert "Compare with version 1" in html
    diff = client.get(f"/posts/{post.id}/revisions/diff?from=1&to=2").get_data(as_text=True)
    assert "<del>two</del>" in diff and "<ins>three</ins>" in diff and "Section: The post" in diff
    bad = client.get(f"/posts/{post.id}/revisions/diff?from=5&to=1")
    assert bad.status_code == 302


def test_report_and_hide_leave_placeholder_and_public_log(client, auth, forum, thread, member, commissioner, db):
    post = services.reply(thread, member, "Regrettable words")
    db.session.commit()
    auth.sign_in(member)
    assert submit(client, f"/posts/{post.id}/report", {"reason": "Off topic"}).status_code == 302
    auth.sign_out()
    auth.sign_in(commissioner)
    blank = submit(client, f"/posts/{post.id}/hide", {"reason": ""})
    assert "Enter a reason" in blank.get_data(as_text=True)
    assert submit(client, f"/posts/{post.id}/hide", {"reason": "Off topic and personal"}).status_code == 302
    auth.sign_out()
    html = client.get(f"/forums/{forum.slug}/threads/{thread.id}").get_data(as_text=True)
    assert "Regrettable words" not in html
    assert "This post was hidden by a moderator" in html and "Off topic and personal" in html
    log = client.get(f"/forums/{forum.slug}/moderation").get_data(as_text=True)
    assert "Off topic and personal" in log and commissioner.full_name in log


def test_provider_cannot_hide_posts_over_http(client, auth, thread, member, db):
    post = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    auth.sign_in(member)
    assert client.get(f"/posts/{post.id}/hide").status_code == 403


def test_anonymous_reply_is_sent_to_sign_in(client, forum, thread):
    response = client.post(f"/forums/{forum.slug}/threads/{thread.id}/reply", data={"body": "x"})
    assert response.status_code in (302, 400)


def test_a_hidden_posts_revisions_and_files_are_hidden_with_it(client, forum, thread, member, commissioner, db):
    from forum.attachments import Upload
    from forum.models import Attachment
    from tests.unit.forum.files import PDF

    post = services.reply(thread, member, "With a file", attachment=Upload("leaflet.pdf", PDF))
    attachment = db.session.scalar(select(Attachment).where(Attachment.post_id == post.id))
    assert client.get(f"/attachments/{attachment.id}").status_code == 200
    services.hide_post(post, commissioner, "Advertising")
    db.session.commit()
    assert client.get(f"/attachments/{attachment.id}").status_code == 404
    assert client.get(f"/posts/{post.id}/revisions").status_code == 404
    assert "leaflet.pdf" not in client.get(f"/forums/{forum.slug}/threads/{thread.id}").get_data(as_text=True)


def test_closing_a_forum_through_the_edit_page(client, auth, forum, commissioner, db):
    auth.sign_in(commissioner)
    response = submit(client, f"/forums/{forum.slug}/status", {"status": "closed"},
                      form_url=f"/forums/{forum.slug}/edit")
    assert response.status_code == 302
    db.session.refresh(forum)
    assert forum.status == "closed"
    html = client.get(f"/forums/{forum.slug}").get_data(as_text=True)
    assert "Closed" in html and "Start a thread" not in html


def test_moderators_see_open_reports_and_can_dismiss_them(client, auth, forum, thread, member, commissioner, db):
    post = services.reply(thread, member, "Borderline remark")
    services.report_post(post, member, "Seems unkind")
    db.session.commit()
    auth.sign_in(member)
    assert client.get(f"/forums/{forum.slug}/reports").status_code == 403
    auth.sign_out()
    auth.sign_in(commissioner)
    html = client.get(f"/forums/{forum.slug}/reports").get_data(as_text=True)
    assert "Seems unkind" in html and "Borderline remark" in html
    from forum.models import PostReport

    report = db.session.scalar(select(PostReport).where(PostReport.post_id == post.id))
    assert submit(client, f"/reports/{report.id}/dismiss", {}, form_url=f"/forums/{forum.slug}/reports"
                  ).status_code == 302
    assert "There are no reports waiting" in client.get(f"/forums/{forum.slug}/reports").get_data(as_text=True)
    db.session.refresh(post)
    assert not post.is_hidden


def test_oversized_post_gets_a_clear_message_and_nothing_is_saved(client, auth, forum, thread, member, db):
    auth.sign_in(member)
    before = thread.post_count
    response = submit(client, f"/forums/{forum.slug}/threads/{thread.id}/reply",
                      {"body": "x" * (services.MAX_POST_CHARS + 1)},
                      form_url=f"/forums/{forum.slug}/threads/{thread.id}")
    assert response.status_code == 400
    assert "Your message must be 20,000 characters or fewer" in response.get_data(as_text=True)
    db.session.refresh(thread)
    assert thread.post_count == before


def test_unknown_thread_post_and_meeting_are_404(client, forum, db):
    for url in (f"/forums/{forum.slug}/threads/999999", "/posts/999999", "/meetings/999999", "/needs/999999",
                "/attachments/999999", "/posts/999999/revisions"):
        assert client.get(url).status_code == 404, url


def test_the_menu_badge_never_breaks_a_page(client, auth, member, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from accounts import notifications

    def broken(user):
        raise OperationalError("SELECT", {}, Exception("database unavailable"))

    auth.sign_in(member)
    monkeypatch.setattr(notifications, "unread_count", broken)
    response = client.get("/")
    assert response.status_code == 200 and "Forums" in response.get_data(as_text=True)
