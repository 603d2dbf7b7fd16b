"""Reading the trail for export in keyset batches, and writing it out as CSV and JSON."""
from __future__ import annotations

import csv
import io
import json

from sqlalchemy import event

from oversight import exports
from trail import events as trail_events
from trail import queries as trail_queries


def test_export_reads_in_keyset_batches(db, events):
    made = events(10, "test.batch")
    statements: list[str] = []

    def remember(_conn, _cursor, statement, _params, _context, _many):
        if "FROM audit_event" in statement:
            statements.append(statement)

    engine = db.session.get_bind().engine
    event.listen(engine, "before_cursor_execute", remember)
    try:
        batches = list(trail_queries.export_batches(made[-1].seq, action_prefix="test.batch", batch_size=3))
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    assert [len(rows) for rows in batches] == [3, 3, 3, 1]
    assert [row.seq for rows in batches for row in rows] == [e.seq for e in made]
    assert len(statements) == 4  # one query per batch; a short batch ends it
    # Keyset paging: each query starts after the last seq seen rather than skipping rows.
    assert all("audit_event.seq >" in s and "LIMIT" in s for s in statements)


def test_export_stops_at_its_upper_bound_and_applies_the_filters(db, events):
    wanted = events(3, "test.wanted")
    events(2, "test.other")
    events(2, "test.wanted")  # after the bound: not in this export
    batches = trail_queries.export_batches(wanted[-1].seq + 2, action_prefix="test.want", batch_size=2)
    assert [row.seq for rows in batches for row in rows] == [e.seq for e in wanted]


def test_export_action_prefix_is_literal_not_a_pattern(db, events):
    events(2, "test_x.event")
    events(1, "testYx.event")
    up_to = events(1, "test.other")[-1].seq
    rows = [row for rows in trail_queries.export_batches(up_to, action_prefix="test_x") for row in rows]
    assert {row.action for row in rows} == {"test_x.event"}


def test_export_calls_after_read_once_per_query(db, events):
    made = events(5, "test.tick")
    calls = []
    list(trail_queries.export_batches(made[-1].seq, action_prefix="test.tick", batch_size=2,
                                 after_read=lambda: calls.append(1)))
    assert len(calls) == 3


def test_csv_chunks_parse_and_neutralise_spreadsheet_formulas(db, events):
    made = events(1, "test.csv")
    made += [trail_events.record("test.csv", actor_label="=cmd|' /C calc'!A0", summary="+SUM(A1:A9)",
                             payload={"note": "-2"})]
    batches = trail_queries.export_batches(made[-1].seq, action_prefix="test.csv")
    chunks = list(exports.csv_chunks(batches))
    assert len(chunks) == 2  # the header, then the one batch
    rows = list(csv.DictReader(io.StringIO("".join(chunks))))
    assert [int(row["seq"]) for row in rows] == [e.seq for e in made]
    assert rows[1]["actor_label"] == "'=cmd|' /C calc'!A0"
    assert rows[1]["summary"] == "'+SUM(A1:A9)"
    assert rows[0]["occurred_at"].endswith("Z")
    assert rows[0]["hash"] == made[0].hash


def test_json_chunks_form_one_array_even_when_empty(db):
    assert json.loads("".join(exports.json_chunks(iter([])))) == []
    assert json.loads("".join(exports.json_array_chunks([[{"a": 1}], [], [{"a": 2}, {"a": 3}]]))) == [
        {"a": 1}, {"a": 2}, {"a": 3}]
