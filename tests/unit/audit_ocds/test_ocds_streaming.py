"""The export of everything is written a batch at a time, and pages follow publication order with a cursor."""
from __future__ import annotations

import io
import json

import pytest

from oversight import ocds_services
from oversight.ocds_services import BadCursor, Cursor
from tests.unit.audit_ocds import builders as b
from tests.unit.audit_ocds.ocds_schema import assert_valid_package


@pytest.fixture
def three(people):
    """Three published procurements (and a draft), published in the order contract, tender, engagement."""
    first = b.contracted(people, title="First published")
    second = b.tendered(people, title="Second published")
    third = b.engaged(people, title="Third published")
    b.draft(people, title="Never published")
    # engagement notices all went out at ENGAGED, so the id breaks the tie: first, second, third.
    return [first, second, third]


def test_streamed_package_holds_every_published_procurement_in_order_and_validates(three):
    out = io.StringIO()
    count = ocds_services.write_package(out, uri="https://commons.example/api/v1/ocds/releases.json", batch_size=1)
    package = json.loads(out.getvalue())
    assert_valid_package(package)
    expected = [r for p in three for r in ocds_services.procurement_releases(p.id)]
    assert package["releases"] == expected
    assert count == len(expected) == 5 + 2 + 1
    assert package["publishedDate"] == max(r["date"] for r in expected)


def test_export_reads_one_batch_of_procurements_at_a_time(three):
    reads = []
    batches = list(ocds_services.published_batches(2, after_read=lambda: reads.append(len(reads))))
    assert [len({r["ocid"] for r in batch}) for batch in batches] == [2, 1]
    assert len(reads) == 2  # the caller's transaction can end after every batch
    chunks = list(ocds_services.package_chunks(iter(batches), uri="https://commons.example/x"))
    assert len(chunks) == 2 + len(batches)  # head, one chunk per batch, tail


def test_pages_follow_the_cursor_to_the_end_without_repeats(three):
    page = ocds_services.releases_page(None, 2)
    assert [r["tender"]["title"] for r in page.releases if r["tag"] == ["planning"]] == \
        ["First published", "Second published"]
    assert page.next_cursor is not None
    cursor = Cursor.decode(page.next_cursor.encode())
    assert cursor == page.next_cursor
    last = ocds_services.releases_page(cursor, 2)
    assert {r["tender"]["title"] for r in last.releases} == {"Third published"}
    assert last.next_cursor is None


@pytest.mark.parametrize("text", ["", "12", "abc", "20260230T000000000000-1", "20260301T000000000000-",
                                  "20260301T000000000000-1; DROP TABLE procurement"])
def test_a_cursor_we_did_not_hand_out_is_refused(text):
    with pytest.raises(BadCursor):
        Cursor.decode(text)
