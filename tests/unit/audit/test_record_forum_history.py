"""The s.98 record runs from the first forum mention: the linked forum's and need statements' history is part of it."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from forum import services as forum_services
from oversight import records
from tenders.services import links
from tests.unit.tenders.builders import T0, draft, forum_of, make_world, need_in
from trail import queries as trail_queries
from trail.models import AuditEvent


@pytest.fixture
def world(org_factory, user_factory):
    return make_world(org_factory, user_factory)


@dataclass
class Story:
    procurement: object
    forum: object
    need: object
    elsewhere_need: object
    before: list[int]          # forum history that belongs on the record
    unrelated: list[int]       # forum events that do not
    after: list[int]           # forum events from after the procurement existed


def _seqs_of(db, action: str, subject_type: str, subject_id: int) -> list[int]:
    return list(db.session.scalars(select(AuditEvent.seq).where(
        AuditEvent.action == action, AuditEvent.subject_type == subject_type,
        AuditEvent.subject_id == str(subject_id))))


def _last_seq(db) -> int:
    return db.session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1))


@pytest.fixture
def story(db, world) -> Story:
    """A need raised and discussed in the council's forum, then a procurement drafted to meet it."""
    forum = forum_of(world.c1)
    forum_services.join_forum(forum, world.p1)
    thread = forum_services.start_thread(forum, world.p1, "Homes near schools", "We could open two homes.")
    need = need_in(forum, world.c1)
    second_forum = forum_of(world.c1, title="Fostering forum – Northshire")
    elsewhere_need = need_in(second_forum, world.c1, title="Foster carers for sibling groups")
    side_thread = forum_services.start_thread(second_forum, world.c1, "Another topic", "Not about this need.")
    foreign = forum_of(world.other_commissioner, title="Someone else's forum")
    before = [seq for kind, model in (("forum.created", forum), ("forum.joined", forum))
              for seq in _seqs_of(db, kind, "forum", model.id)]
    before += _seqs_of(db, "forum.thread_started", "forum_thread", thread.id)
    before += _seqs_of(db, "forum.need_published", "forum_need_statement", need.id)
    before += _seqs_of(db, "forum.need_published", "forum_need_statement", elsewhere_need.id)
    unrelated = _seqs_of(db, "forum.created", "forum", second_forum.id) + \
        _seqs_of(db, "forum.thread_started", "forum_thread", side_thread.id) + \
        _seqs_of(db, "forum.created", "forum", foreign.id)
    p = draft(world)
    links.set_links(p, world.c1, forum=forum, needs=[need, elsewhere_need], now=T0)
    reply = forum_services.reply(thread, world.c1, "We are drafting a procurement now.")
    after = [_last_seq(db)]
    assert db.session.get(AuditEvent, after[0]).subject_id == str(reply.id)
    return Story(p, forum, need, elsewhere_need, sorted(before), unrelated, after)


def test_record_starts_with_the_linked_forums_history_before_the_procurement(db, story):
    entries = records.record_entries(story.procurement.id, records.RecordFilters())
    seqs = [entry.event.seq for entry in entries]
    assert seqs == sorted(seqs)
    history = [entry.event.seq for entry in entries if entry.history]
    assert history == story.before
    assert seqs[:len(history)] == history, "the forum history comes first: it happened before the procurement"
    assert entries[len(history)].event.action == "procurement.created"
    assert all(entry.event.procurement_id == story.procurement.id for entry in entries if not entry.history)


def test_need_statements_from_another_forum_bring_only_their_own_history(db, story):
    seqs = {entry.event.seq for entry in records.record_entries(story.procurement.id, records.RecordFilters())}
    elsewhere = _seqs_of(db, "forum.need_published", "forum_need_statement", story.elsewhere_need.id)
    assert set(elsewhere) <= seqs
    assert not set(story.unrelated) & seqs


def test_forum_activity_after_the_procurement_existed_is_not_on_its_record(db, story):
    seqs = {entry.event.seq for entry in records.record_entries(story.procurement.id, records.RecordFilters())}
    assert not set(story.after) & seqs


def test_summary_counts_the_forum_history_and_starts_at_the_first_forum_mention(db, story):
    summary = records.record_summary(story.procurement.id)
    entries = records.record_entries(story.procurement.id, records.RecordFilters())
    assert summary.count == len(entries)
    assert summary.history == len(story.before)
    assert summary.first == db.session.get(AuditEvent, story.before[0]).occurred_at


def test_filters_and_export_cover_the_forum_history_too(db, world, story):
    filters = records.RecordFilters(actor_org_id=world.p1.organisation_id)
    shown = [entry.event.seq for entry in records.record_entries(story.procurement.id, filters)]
    assert shown and set(shown) <= set(story.before)  # the provider acted only in the forum, before the procurement
    assert world.p1.organisation.name in [name for _id, name in records.actor_organisations(story.procurement.id)]
    everything = records.record_entries(story.procurement.id, records.RecordFilters())
    exported = [row.seq for rows in trail_queries.export_batches(
        everything[-1].event.seq, scope=records.record_scope(story.procurement), batch_size=3) for row in rows]
    assert exported == [entry.event.seq for entry in everything]


def test_index_counts_the_whole_record_including_forum_history(db, story):
    _page, rows = records.procurement_index(1, 50)
    counts = {row.procurement.id: row.events for row in rows}
    assert counts[story.procurement.id] == len(records.record_entries(story.procurement.id, records.RecordFilters()))


def test_an_unlinked_procurement_has_no_forum_history(db, world, story):
    other = draft(world)
    entries = records.record_entries(other.id, records.RecordFilters())
    assert entries and not any(entry.history for entry in entries)
    assert {entry.event.procurement_id for entry in entries} == {other.id}
