"""Turning batches of audit rows into CSV or JSON text, a chunk per batch.

Generators all the way down: the view streams what these yield, so the whole
export never sits in memory. The JSON export is byte-faithful (payload text as
stored, times as hashed), so an auditor can recompute every hash from it with
trail.chain; JSON writes a control character as an escape, so any such
character stored in the trail travels safely and unchanged. The CSV is for
spreadsheets: cells a spreadsheet would run as a formula are prefixed with an
apostrophe (OWASP's CSV-injection advice), since summaries and labels contain
text people typed, and characters no spreadsheet or XML-based format can take
(core.text) are removed.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from core.text import csv_cell
from trail.chain import format_time

EXPORT_FIELDS = (
    "seq", "occurred_at", "actor_user_id", "actor_org_id", "actor_role", "actor_label",
    "action", "subject_type", "subject_id", "procurement_id", "audience", "summary",
    "payload", "payload_hash", "prev_hash", "hash", "redacted_at", "redaction_reason",
)
_TIMES = {"occurred_at", "redacted_at"}


def export_record(row: Any) -> dict[str, Any]:
    """One event as exported: every stored column, times in the chain's own format."""
    record = {}
    for name in EXPORT_FIELDS:
        value = getattr(row, name)
        if name in _TIMES and value is not None:
            value = format_time(value)
        record[name] = value
    return record


def csv_chunks(batches: Iterable[Sequence[Any]]) -> Iterator[str]:
    """A header row, then one chunk of CSV text per batch."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(EXPORT_FIELDS)
    yield buffer.getvalue()
    for rows in batches:
        buffer.seek(0)
        buffer.truncate(0)
        for row in rows:
            record = export_record(row)
            writer.writerow([csv_cell(record[name]) for name in EXPORT_FIELDS])
        yield buffer.getvalue()


def json_chunks(batches: Iterable[Sequence[Any]]) -> Iterator[str]:
    """One JSON array of events, one object per line, a chunk per batch."""
    return json_array_chunks([export_record(row) for row in rows] for rows in batches)


def json_array_chunks(batches: Iterable[list[dict[str, Any]]]) -> Iterator[str]:
    """A streamed JSON array of objects: "[", a chunk per batch, "]" (also the public checkpoint list)."""
    yield "["
    first = True
    for batch in batches:
        parts = []
        for item in batch:
            parts.append(("\n" if first else ",\n") + json.dumps(item, ensure_ascii=False))
            first = False
        yield "".join(parts)
    yield "\n]\n"
