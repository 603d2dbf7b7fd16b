"""Watches, notifications (in-app, immediate email, daily digest) and full-text search."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from accounts import notifications
from core.errors import RuleViolation
from core.models import OutboxMessage
from forum import queries, search, services
from forum.models import Notification


def _notes(db, user):
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def _mail(db, user):
    """Forum email only (registration confirmations are in the outbox too)."""
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == user.email, OutboxMessage.subject.startswith("Commissioning Commons:"))))


def test_joining_watches_new_threads_and_a_new_thread_notifies(db, forum, member, commissioner):
    services.start_thread(forum, commissioner, "Tender timetable", "Draft timetable for comment")
    notes = _notes(db, member)
    assert len(notes) == 1 and "Tender timetable" in notes[0].text
    assert notifications.unread_count(member) == 1
    assert any("Tender timetable" in m.subject for m in _mail(db, member))


def test_new_threads_only_does_not_notify_replies_but_all_activity_does(db, forum, member, commissioner,
                                                                        user_factory):
    thread = services.start_thread(forum, commissioner, "Question", "Any views?")
    other = user_factory("provider")
    services.join_forum(forum, other)
    before = len(_notes(db, other))
    services.reply(thread, member, "Yes")
    assert len(_notes(db, other)) == before  # new threads only
    services.set_watch(other, "all", forum=forum)
    services.reply(thread, member, "And another thing")
    assert len(_notes(db, other)) == before + 1


def test_muting_a_thread_silences_it_even_for_all_activity(db, forum, member, commissioner, user_factory):
    thread = services.start_thread(forum, commissioner, "Noisy", "Lots to say")
    other = user_factory("provider")
    services.join_forum(forum, other)
    services.set_watch(other, "all", forum=forum)
    services.set_watch(other, "mute", thread=thread)
    before = len(_notes(db, other))
    services.reply(thread, member, "More")
    assert len(_notes(db, other)) == before


def test_thread_authors_hear_about_replies(db, forum, member, commissioner, thread):
    services.reply(thread, commissioner, "Thanks, noted")
    assert any("replied" in n.text for n in _notes(db, member))


def test_nobody_is_notified_of_their_own_post(db, forum, member):
    services.start_thread(forum, member, "Mine", "Text")
    assert _notes(db, member) == []


def test_new_threads_only_is_not_a_thread_level(db, forum, member, thread):
    with pytest.raises(RuleViolation):
        services.set_watch(member, "new_threads", thread=thread)


def test_daily_digest_batches_notifications_into_one_email(db, forum, member, commissioner):
    services.set_email_mode(member, "daily")
    services.start_thread(forum, commissioner, "One", "First")
    services.start_thread(forum, commissioner, "Two", "Second")
    assert _mail(db, member) == []
    assert services.send_daily_digests() == 1
    mails = _mail(db, member)
    assert len(mails) == 1 and "One" in mails[0].body and "Two" in mails[0].body
    assert services.send_daily_digests() == 0  # never twice


def test_in_app_only_sends_no_email(db, forum, member, commissioner):
    services.set_email_mode(member, "none")
    services.start_thread(forum, commissioner, "Quiet", "No mail")
    assert _mail(db, member) == [] and len(_notes(db, member)) == 1


def test_marking_read_clears_the_unread_count(db, forum, member, commissioner):
    services.start_thread(forum, commissioner, "One", "First")
    assert notifications.mark_read(member) == 1
    assert notifications.unread_count(member) == 0


def test_search_finds_posts_needs_and_minutes_ranked_with_highlights(db, forum, member, commissioner, thread,
                                                                     need_details):
    services.reply(thread, member, "Our therapeutic model uses trauma-informed key workers.")
    services.publish_need(forum, commissioner, need_details(title="Therapeutic residential placements"))
    found = search.search("therapeutic")
    hits, total = found.hits, found.total
    assert total == 2
    assert hits[0].kind == "need"  # a title match outranks a body match
    assert {h.kind for h in hits} == {"need", "post"}
    post_hit = next(h for h in hits if h.kind == "post")
    assert "<mark>" in str(post_hit.snippet).lower()


def test_search_index_follows_edits_and_hiding(db, thread, member, commissioner):
    post = services.reply(thread, member, "Mentions zebra crossings")
    assert search.search("zebra").total == 1
    services.edit_post(post, member, "Mentions pelican crossings")
    assert search.search("zebra").total == 0 and search.search("pelican").total == 1
    services.hide_post(post, commissioner, "Off topic")
    assert search.search("pelican").total == 0


@pytest.mark.parametrize("query", ['"', "AND OR NOT", "foo*", "(bar", "NEAR(a b)", "title:x", "-", "^a", "'; DROP",
                                   "a\"b", "{x}", "***", "ü"])
def test_search_syntax_characters_never_break_the_query(db, thread, query):
    found = search.search(query)
    assert isinstance(found.total, int)


def test_search_past_the_rank_limit_lists_most_recent_first_and_stops_paging_at_the_limit(db, thread, member,
                                                                                        monkeypatch):
    monkeypatch.setattr(search, "RANK_LIMIT", 3)
    # One thread each: a thread is one result however many of its posts match.
    posts = [services.reply(services.start_thread(thread.forum, member, f"Sighting {n}", "Notes to follow"),
                            member, f"Otter sighting number {n}") for n in range(5)]
    first = search.search("otter", page=1, per_page=2)
    assert first.more and first.total == 3
    assert [h.ref_id for h in first.hits] == [posts[4].id, posts[3].id]
    second = search.search("otter", page=2, per_page=2)
    assert [h.ref_id for h in second.hits] == [posts[2].id]  # the limit, not the fifth match, ends the list
    assert search.search("otter", page=3, per_page=2).hits == []


def test_search_at_the_rank_limit_is_still_ranked_by_relevance(db, thread, member, monkeypatch):
    monkeypatch.setattr(search, "RANK_LIMIT", 2)
    closest = services.reply(thread, member, "Badger, badger, badger: our badger service")
    services.reply(services.start_thread(thread.forum, member, "Another thread", "Notes to follow"), member,
                   "Newer, and mentions a badger once among many other words about placements")
    found = search.search("badger")
    assert not found.more and found.total == 2
    assert found.hits[0].ref_id == closest.id  # the closer match outranks the newer one


def test_editing_a_post_brings_it_to_the_front_of_a_most_recent_first_search(db, thread, member, monkeypatch):
    monkeypatch.setattr(search, "RANK_LIMIT", 1)
    older = services.reply(thread, member, "Heron by the river")
    services.reply(thread, member, "Heron on the roof")
    services.edit_post(older, member, "Heron by the river, and its nest")
    assert search.search("heron").hits[0].ref_id == older.id


def test_search_results_resolve_to_pages(app, db, thread):
    with app.test_request_context():
        page = queries.search_results("sibling", 1)
    assert page.total >= 1 and page.results[0].url.startswith("/")


def test_mentioning_an_organisation_links_it_and_notifies_its_people_in_the_forum(db, forum, thread, member,
                                                                                 user_factory, org_factory):
    partner_org = org_factory("provider", name="Harbour Lights Fostering")
    partner = user_factory("provider", organisation=partner_org)
    services.join_forum(forum, partner)
    services.set_watch(partner, "mute", thread=thread)
    outsider = user_factory("provider", organisation=partner_org)  # not in the forum: not told
    post = services.reply(thread, member, "We could partner with @[harbour lights  fostering] on this. "
                                          "@[Nobody Registered] stays as typed.")
    assert f'href="/organisations/{partner_org.id}"' in post.body_html and "@Harbour Lights Fostering" in post.body_html
    assert "@[Nobody Registered]" in post.body_html
    assert any("mentioned your organisation" in n.text for n in _notes(db, partner))
    assert _notes(db, outsider) == []


def test_search_index_rolls_back_with_the_change_it_indexes(db, thread, member):
    savepoint = db.session.begin_nested()
    services.reply(thread, member, "A quokka appears")
    assert search.search("quokka").total == 1
    savepoint.rollback()
    assert search.search("quokka").total == 0


def test_search_index_is_fts5_on_sqlite_and_tsvector_with_gin_on_postgresql(db):
    from sqlalchemy import text

    if db.session.get_bind().dialect.name == "postgresql":
        column = db.session.scalar(text(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'forum_search' "
            "AND column_name = 'document'"))
        index = db.session.scalar(text("SELECT indexdef FROM pg_indexes WHERE tablename = 'forum_search' "
                                       "AND indexname = 'ix_forum_search_document'"))
        assert column == "tsvector" and "USING gin" in index
    else:
        sql = db.session.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'forum_search'"))
        assert "USING fts5" in sql.replace("using", "USING")
