"""The procurement record's queries: one procurement's events, filters shared with the CSV export."""
from __future__ import annotations

from datetime import timedelta

from core.clock import utcnow
from oversight import records
from tests.unit.audit_ocds import builders as b
from trail import queries as trail_queries


def seqs(entries) -> list[int]:
    return [entry.event.seq for entry in entries]


def test_record_is_one_procurements_events_oldest_first_and_names_the_acting_organisation(people):
    p = b.opened(people)
    other = b.engaged(people, title="Someone else's story")
    entries = records.record_entries(p.id, records.RecordFilters())
    assert seqs(entries) == sorted(seqs(entries))
    assert {entry.event.procurement_id for entry in entries} == {p.id}
    assert not set(seqs(entries)) & set(seqs(records.record_entries(other.id, records.RecordFilters())))
    submitted = [e for e in entries if e.event.action == "response.submitted"]
    assert {e.organisation for e in submitted} == {people.p1.organisation.name, people.p2.organisation.name}


def test_organisation_choices_are_only_those_that_acted(people):
    p = b.opened(people)
    names = [name for _, name in records.actor_organisations(p.id)]
    assert names == sorted([people.buyer.name, people.p1.organisation.name, people.p2.organisation.name])


def test_organisation_choices_name_no_bidder_before_the_opening(people):
    p = b.with_bids(people)  # p2 also asked a clarification, which is no secret; p1 only bid
    names = [name for _, name in records.actor_organisations(p.id)]
    assert names == sorted([people.buyer.name, people.p2.organisation.name])


def test_export_batches_apply_the_same_record_filters_as_the_page(people):
    p = b.opened(people)
    filters = records.RecordFilters(actor_org_id=people.buyer.id, action_prefix="responses.")
    shown = seqs(records.record_entries(p.id, filters))
    head = max(seqs(records.record_entries(p.id, records.RecordFilters())))
    exported = [row.seq for rows in trail_queries.export_batches(head, procurement_id=p.id, batch_size=2,
                                                            **filters.as_export_filters()) for row in rows]
    assert shown and exported == shown
    assert filters.as_query() == {"organisation": people.buyer.id, "action": "responses."}


def test_date_filters_are_whole_days_with_both_ends_included(people):
    p = b.engaged(people)
    today = utcnow().date()
    everything = seqs(records.record_entries(p.id, records.RecordFilters()))
    one_day = records.RecordFilters(occurred_from=today, occurred_to=today)
    assert seqs(records.record_entries(p.id, one_day)) == everything
    assert seqs(records.record_entries(p.id, records.RecordFilters(occurred_to=today - timedelta(days=1)))) == []
    assert seqs(records.record_entries(p.id, records.RecordFilters(occurred_from=today + timedelta(days=1)))) == []


def test_index_counts_each_procurements_events_drafts_included(people):
    drafted = b.draft(people, title="Only a draft")
    published = b.tendered(people, title="Published")
    page, rows = records.procurement_index(1, 50)
    counts = {row.procurement.id: row.events for row in rows}
    assert counts[drafted.id] == len(records.record_entries(drafted.id, records.RecordFilters()))
    assert counts[published.id] == len(records.record_entries(published.id, records.RecordFilters()))
    assert counts[published.id] > counts[drafted.id] > 0


def test_record_export_event_belongs_to_the_procurement_and_keeps_its_filters(people, user_factory):
    p = b.engaged(people)
    auditor = user_factory("auditor")
    today = utcnow().date()
    event = trail_queries.record_export(auditor, "csv", procurement_id=p.id, action_prefix="engagement.",
                                   occurred_from=today)
    assert event.procurement_id == p.id
    assert event.summary == (f"Exported the record of procurement {p.id} as CSV "
                             f"(action_prefix 'engagement.', occurred_from '{today.isoformat()}')")
    trail = trail_queries.record_export(auditor, "json", action_prefix="auth.")
    assert trail.procurement_id is None
    assert trail.summary == "Exported the audit trail as JSON (action_prefix 'auth.')"
