"""The whole-page cache for readers who are not signed in (core.page_cache).

A change made behind the services' back (a direct UPDATE writes no audit
event) is how these tests see whether a page came from the cache: a cached
page still shows the old text, a freshly rendered one the new.
"""
from __future__ import annotations

import pytest
from flask import Response, session
from sqlalchemy import update

from core.extensions import cache
from core.page_cache import _shareable
from forum import services
from forum.models import Post


@pytest.fixture
def caching(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 30)
    with app.app_context():
        cache.clear()
    yield
    with app.app_context():
        cache.clear()


@pytest.fixture
def reader(app):
    """Someone reading without signing in: no cookie is ever sent."""
    return app.test_client(use_cookies=False)


def _rewrite_behind_the_services(db, post, text):
    db.session.execute(update(Post).where(Post.id == post.id).values(body_html=f"<p>{text}</p>"))
    db.session.commit()


def _thread_url(thread):
    return f"/forums/{thread.forum.slug}/threads/{thread.id}"


def test_anonymous_thread_page_sets_no_cookie_so_it_can_be_shared(client, thread):
    response = client.get(_thread_url(thread))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers and 'name="csrf_token"' not in response.get_data(as_text=True)


def test_anonymous_reader_is_served_the_cached_page_until_the_record_changes(caching, db, reader, thread, member):
    post = services.reply(thread, member, "Original wording")
    assert "Original wording" in reader.get(_thread_url(thread)).get_data(as_text=True)
    _rewrite_behind_the_services(db, post, "Silently changed")
    assert "Original wording" in reader.get(_thread_url(thread)).get_data(as_text=True)  # from the cache
    services.reply(thread, member, "A new reply moves the audit head")
    fresh = reader.get(_thread_url(thread)).get_data(as_text=True)
    assert "Silently changed" in fresh and "A new reply moves the audit head" in fresh


def test_hiding_a_post_removes_it_from_the_cached_page_at_once(caching, reader, thread, member, commissioner):
    post = services.reply(thread, member, "Something the moderator hides")
    assert "Something the moderator hides" in reader.get(_thread_url(thread)).get_data(as_text=True)
    services.hide_post(post, commissioner, "Off topic")
    assert "Something the moderator hides" not in reader.get(_thread_url(thread)).get_data(as_text=True)


def test_signed_in_people_never_get_the_cached_page_or_fill_it(caching, db, client, auth, reader, thread, member):
    post = services.reply(thread, member, "Original wording")
    reader.get(_thread_url(thread))  # cached for anonymous readers
    _rewrite_behind_the_services(db, post, "Silently changed")
    auth.sign_in(member)
    own_view = client.get(_thread_url(thread)).get_data(as_text=True)
    assert "Silently changed" in own_view and 'name="csrf_token"' in own_view  # rendered for them
    # Signing in is audited, so the head has moved: the reader gets a fresh public rendering, not the member's.
    public_view = reader.get(_thread_url(thread)).get_data(as_text=True)
    assert "Silently changed" in public_view and 'name="csrf_token"' not in public_view


def test_requests_with_any_cookie_or_a_token_or_a_condition_bypass_the_cache(caching, db, app, reader, thread,
                                                                           member):
    post = services.reply(thread, member, "Original wording")
    reader.get(_thread_url(thread))
    _rewrite_behind_the_services(db, post, "Silently changed")
    for headers in ({"Cookie": "session=anything"}, {"Authorization": "Bearer x"}, {"If-None-Match": '"x"'}):
        assert "Silently changed" in reader.get(_thread_url(thread), headers=headers).get_data(as_text=True), headers
    # ...and what they were given was not stored for everyone else.
    assert "Original wording" in reader.get(_thread_url(thread)).get_data(as_text=True)


def test_the_query_string_is_part_of_what_is_cached(caching, db, reader, thread, member):
    post = services.reply(thread, member, "Original wording")
    reader.get(_thread_url(thread))
    _rewrite_behind_the_services(db, post, "Silently changed")
    assert "Silently changed" in reader.get(_thread_url(thread) + "?page=1").get_data(as_text=True)


def test_only_successful_pages_that_left_the_session_untouched_are_shared(app):
    with app.test_request_context():
        assert _shareable("page") and _shareable(("page", 200)) and _shareable(Response("page"))
        assert not _shareable(("form with errors", 400)) and not _shareable(Response(status=404))
        session["csrf_token"] = "made while rendering"
        assert not _shareable("page")


def test_turning_the_cache_off_renders_every_time(app, db, reader, thread, member, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 0)
    post = services.reply(thread, member, "Original wording")
    reader.get(_thread_url(thread))
    _rewrite_behind_the_services(db, post, "Silently changed")
    assert "Silently changed" in reader.get(_thread_url(thread)).get_data(as_text=True)


@pytest.mark.parametrize("path", ["/forums", "/forums.atom"])
def test_forum_listing_and_feeds_are_cached_for_anonymous_readers(caching, db, reader, forum, path):
    first = reader.get(path)
    assert first.status_code == 200 and "Set-Cookie" not in first.headers
    db.session.execute(update(type(forum)).where(type(forum).id == forum.id).values(title="Renamed quietly"))
    db.session.commit()
    assert "Renamed quietly" not in reader.get(path).get_data(as_text=True)
