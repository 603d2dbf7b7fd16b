"""The fast canonical encoder writes exactly the bytes of the reference one (canonical_json of the fields)."""
from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from core.extensions import db as _db
from demo.bench_data import build
from demo.load import load_demo
from trail.chain import HASHED_FIELDS, canonical_event, canonical_json, fields_from_values
from trail.models import AuditEvent
from trail.verification import _batches, verify_chain

texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
ids = st.none() | st.integers(min_value=-(2**63), max_value=2**63)
moments = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1))


def reference(values) -> str:
    return canonical_json(fields_from_values(values))


@settings(max_examples=500, deadline=None)
@given(seq=st.integers(min_value=0, max_value=2**63), occurred_at=moments, actor_user_id=ids, actor_org_id=ids,
       actor_role=st.none() | texts, actor_label=st.none() | texts, action=texts, subject_type=st.none() | texts,
       subject_id=st.none() | texts,
       procurement_id=ids, audience=texts, summary=st.text(max_size=300), payload_hash=texts, prev_hash=texts)
def test_any_event_encodes_to_the_reference_bytes(**fields):
    values = [fields[name] for name in HASHED_FIELDS]
    assert canonical_event(values) == reference(values)


@settings(max_examples=200, deadline=None)
@given(values=st.tuples(st.booleans() | ids, moments, st.booleans() | st.floats(allow_nan=False) | ids, ids,
                        st.none() | texts, st.none() | st.integers(), st.none() | texts, st.none() | texts,
                        st.none() | texts, st.booleans() | ids, texts, texts, texts, texts))
def test_values_of_unexpected_kinds_still_encode_to_the_reference_bytes(values):
    assert canonical_event(values) == reference(values)


def test_aware_times_and_sqlite_time_text_encode_as_the_datetime_would():
    moment = datetime(2026, 12, 3, 14, 5, 0, 120000)
    base = [1, moment, None, None, None, "system", "a.b", None, None, None, "public", "s", "0" * 64, "1" * 64]
    expected = reference(base)
    for stored in ("2026-12-03 14:05:00.120000", moment.replace(tzinfo=UTC), "2026-12-03 14:05:00.12"):
        assert canonical_event([base[0], stored, *base[2:]]) == expected
    assert canonical_event([1, "2026-12-03 14:05:00", *base[2:]]) == reference([1, moment.replace(microsecond=0),
                                                                                  *base[2:]])


def _chain_rows_match_the_reference(app) -> int:
    """Every stored event, read raw as verification reads it, encodes to what the ORM row's fields give."""
    orm = {event.seq: reference([getattr(event, name) for name in HASHED_FIELDS])
           for event in _db.session.scalars(select(AuditEvent))}
    seen = 0
    for rows in _batches(500):
        for row in rows:
            assert canonical_event(row[:len(HASHED_FIELDS)]) == orm[row[0]], row[0]
            seen += 1
    assert seen == len(orm)
    return seen


def test_the_whole_demo_chain_encodes_to_the_reference_bytes(db, app):
    load_demo()
    _db.session.flush()
    assert _chain_rows_match_the_reference(app) > 100
    assert verify_chain().ok


def test_a_bench_chain_encodes_to_the_reference_bytes(db, app):
    build(0.0005)
    assert _chain_rows_match_the_reference(app) > 500
    assert verify_chain().ok
