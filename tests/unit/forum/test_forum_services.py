"""Forums, membership, posts, revisions and moderation: the forum's rules, at the service level."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from core.errors import NotPermitted, RuleViolation
from forum import policy, queries, services
from forum.models import ModerationEntry, Notification, PostRevision
from trail.models import AuditEvent


def _events(db, action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_commissioner_creates_forum_with_public_audit_event(db, commissioner):
    forum = services.create_forum(commissioner, services.ForumDetails(
        title="Residential care – North West", remit_md="Talk about *local* need", region="North West",
        categories=["childrens_homes", "therapeutic"]))
    assert forum.slug == "residential-care-north-west"
    assert forum.owners == [commissioner.organisation]
    assert sorted(forum.categories) == ["childrens_homes", "therapeutic"]
    assert "<em>local</em>" in forum.remit_html
    event = _events(db, "forum.created")[-1]
    assert event.audience == "public" and event.subject_id == str(forum.id)


def test_provider_cannot_create_forum_and_refusal_is_audited(db, provider):
    with pytest.raises(NotPermitted):
        services.create_forum(provider, services.ForumDetails("X", "Remit", "North West", ["fostering"]))
    assert _events(db, "security.refused")[-1].actor_user_id == provider.id


def test_forum_needs_region_and_category(db, commissioner):
    with pytest.raises(RuleViolation) as exc:
        services.create_forum(commissioner, services.ForumDetails("X", "Remit", "Atlantis", ["fostering"]))
    assert "region" in exc.value.reasons
    with pytest.raises(RuleViolation) as exc:
        services.create_forum(commissioner, services.ForumDetails("X", "Remit", "Wales", ["nonsense"]))
    assert "categories" in exc.value.reasons


def test_same_title_gets_a_distinct_slug(forum_factory):
    assert forum_factory(title="Short breaks").slug == "short-breaks"
    assert forum_factory(title="Short breaks").slug == "short-breaks-2"


def test_co_owning_council_commissioners_can_manage_the_forum(db, org_factory, user_factory, forum_factory):
    other_council = org_factory("commissioning_unit")
    other = user_factory("commissioner", organisation=other_council)
    outsider = user_factory("commissioner")
    forum = forum_factory(co_owner_ids=[other_council.id])
    assert policy.can_manage_forum(other, forum)
    assert not policy.can_manage_forum(outsider, forum)


def test_member_councils_of_an_owning_consortium_manage_its_forum(db, org_factory, user_factory, forum_factory):
    council_a, council_b = org_factory("commissioning_unit"), org_factory("commissioning_unit")
    consortium = org_factory("consortium")
    consortium.consortium_members = [council_a, council_b]
    lead = user_factory("commissioner", organisation=consortium)
    forum = forum_factory(owner=lead)
    for council in (council_a, council_b):
        assert policy.can_manage_forum(user_factory("commissioner", organisation=council), forum)
    assert not policy.can_manage_forum(user_factory("commissioner"), forum)


def test_provider_cannot_be_made_a_co_owner(db, forum_factory, org_factory):
    with pytest.raises(RuleViolation) as exc:
        forum_factory(co_owner_ids=[org_factory("provider").id])
    assert "co_owners" in exc.value.reasons


def test_provider_can_join_open_forum_without_approval(db, forum, provider):
    membership = services.join_forum(forum, provider)
    assert membership.id and queries.is_member(provider, forum)
    assert policy.can_post(provider, forum, True)
    assert _events(db, "forum.joined")[-1].audience == "public"


def test_in_house_provider_unit_joins_like_any_provider(db, forum, org_factory, user_factory):
    in_house = user_factory("provider", organisation=org_factory("provider", provider_type="in_house"))
    services.join_forum(forum, in_house)
    assert queries.is_member(in_house, forum)
    assert not policy.can_manage_forum(in_house, forum)


def test_nobody_joins_a_closed_forum(db, forum, commissioner, provider):
    services.set_forum_status(forum, commissioner, "closed")
    with pytest.raises(RuleViolation):
        services.join_forum(forum, provider)


def test_only_owners_close_a_forum(db, forum, member):
    with pytest.raises(NotPermitted):
        services.set_forum_status(forum, member, "closed")


def test_non_member_cannot_post(db, forum, provider):
    with pytest.raises(NotPermitted):
        services.start_thread(forum, provider, "Hello", "World")


def test_posting_to_a_closed_forum_is_refused_with_a_reason(db, forum, commissioner, thread, member):
    services.set_forum_status(forum, commissioner, "closed")
    with pytest.raises(RuleViolation) as exc:
        services.reply(thread, member, "Late reply")
    assert "closed" in str(exc.value)


def test_empty_and_oversized_posts_are_refused(db, thread, member):
    with pytest.raises(RuleViolation) as exc:
        services.reply(thread, member, "   ")
    assert exc.value.reasons == {"body": "Enter your message"}
    with pytest.raises(RuleViolation) as exc:
        services.reply(thread, member, "x" * (services.MAX_POST_CHARS + 1))
    assert "characters or fewer" in exc.value.reasons["body"]


def test_post_markdown_is_sanitised_and_links_are_nofollow_ugc(db, thread, member):
    post = services.reply(thread, member, "[site](https://example.org) <script>alert(1)</script>")
    assert 'rel="nofollow ugc' in post.body_html
    assert "<script>" not in post.body_html


def test_every_edit_is_kept_as_a_revision(db, thread, member):
    post = services.reply(thread, member, "First line\nSecond line")
    services.edit_post(post, member, "First line\nSecond line, corrected")
    revs = queries.revisions(post)
    assert [r.number for r in revs] == [1, 2]
    assert revs[0].body_md == "First line\nSecond line"
    rows = queries.diff_revisions(revs[0], revs[1]).sections[0].rows
    assert [r.kind for r in rows] == ["same", "changed"]
    assert [p.text for p in rows[1].new if p.changed] == [", corrected"]


def test_only_the_author_edits_a_post(db, thread, member, forum, user_factory):
    other = user_factory("provider")
    services.join_forum(forum, other)
    post = services.reply(thread, member, "Mine")
    with pytest.raises(NotPermitted):
        services.edit_post(post, other, "Theirs now")


def test_quote_reply_links_the_quoted_post(db, thread, member):
    first = services.reply(thread, member, "Original point")
    second = services.reply(thread, member, "> Original point\n\nAgreed", quoted_post=first)
    assert second.quoted_post_id == first.id


def test_member_reports_and_owner_hides_post_with_public_log_and_author_notified(db, thread, member, commissioner,
                                                                                 forum):
    post = services.reply(thread, member, "Something regrettable")
    services.report_post(post, member, "Off topic")
    entry = services.hide_post(post, commissioner, "Named a competitor's staff member")
    assert post.is_hidden and post.hidden_reason == "Named a competitor's staff member"
    assert db.session.scalars(select(ModerationEntry).where(ModerationEntry.forum_id == forum.id)).all() == [entry]
    assert _events(db, "forum.post_hidden")[-1].audience == "public"
    notes = db.session.scalars(select(Notification).where(Notification.user_id == member.id)).all()
    assert any("hidden by a moderator" in n.text for n in notes)


def test_providers_cannot_hide_posts(db, thread, member):
    post = services.reply(thread, member, "Hello")
    with pytest.raises(NotPermitted):
        services.hide_post(post, member, "I changed my mind")


def test_admin_can_hide_posts(db, thread, member, user_factory):
    post = services.reply(thread, member, "Hello")
    services.hide_post(post, user_factory("admin"), "Spam")
    assert post.is_hidden


def test_hiding_needs_a_reason(db, thread, member, commissioner):
    post = services.reply(thread, member, "Hello")
    with pytest.raises(RuleViolation) as exc:
        services.hide_post(post, commissioner, " ")
    assert "reason" in exc.value.reasons


def test_first_revision_is_stored_at_creation(db, thread):
    revisions = db.session.scalars(select(PostRevision)).all()
    assert [r.number for r in revisions] == [1]


def test_editing_keeps_every_owner_and_adds_new_co_owners(db, forum_factory, org_factory, user_factory,
                                                         commissioner):
    council_a, council_b = org_factory("commissioning_unit"), org_factory("commissioning_unit")
    consortium = org_factory("consortium")
    consortium.consortium_members = [council_a]
    lead = user_factory("commissioner", organisation=consortium)
    forum = forum_factory(owner=lead)
    member_council_editor = user_factory("commissioner", organisation=council_a)
    services.update_forum(forum, member_council_editor, services.ForumDetails(
        title=forum.title, remit_md="New remit", region=forum.region, categories=forum.categories,
        co_owner_ids=[council_b.id]))
    assert {o.id for o in forum.owners} == {consortium.id, council_b.id}
    assert forum.remit_md == "New remit"
