"""Which procurements a message names (tenders.mentions): by reference or by whole title, case-insensitive."""
from typing import NamedTuple

import pytest

from tenders.mentions import mentioned, names


class P(NamedTuple):
    reference: str
    title: str


HOMES = P("CC-2026-00004", "Local homes for young people at risk of exploitation")
FOSTER = P("CC-2026-00012", "Foster care")
SEND = P("CC-2025-00001", "Post-16 transition support (SEND)")


@pytest.mark.parametrize(("text", "procurement", "expected"), [
    ("About CC-2026-00004, can homes be shared?", HOMES, True),
    ("about cc-2026-00004 please", HOMES, True),  # case-insensitive
    ("(CC-2026-00004).", HOMES, True),  # punctuation around it
    ("See CC-2026-000041 instead", HOMES, False),  # a longer reference is another procurement
    ("See XCC-2026-00004", HOMES, False),
    ("See CC-2026-0000", HOMES, False),  # a shorter one is not it either
    ("See CC-2026-00005", HOMES, False),
    ("Re: local HOMES for young people at risk of exploitation", HOMES, True),  # whole title, any case
    ("Re: local homes for young people\nat risk of  exploitation", HOMES, True),  # rewrapped
    ("Re: local homes for young people", HOMES, False),  # part of the title is not the title
    ("We do foster care in two boroughs", FOSTER, True),
    ("Our foster carers are ready", FOSTER, False),  # whole words only
    ("Is post-16 transition support (send) still planned?", SEND, True),  # regex characters in a title
    ("Is post-16 transition support send still planned?", SEND, False),
    ("", HOMES, False),
])
def test_a_text_names_a_procurement_by_its_reference_or_whole_title(text, procurement, expected):
    assert names(text, procurement) is expected


def test_mentioned_keeps_the_candidates_order_and_names_each_once():
    texts = ["Foster care and CC-2026-00004", "CC-2026-00004 again, and foster care"]
    assert mentioned(texts, [HOMES, FOSTER, SEND]) == [HOMES, FOSTER]
    assert mentioned(texts, [SEND]) == []
    assert mentioned([], [HOMES]) == []


def test_a_title_is_not_matched_across_two_texts():
    assert mentioned(["Subject: foster", "care homes"], [FOSTER]) == []
