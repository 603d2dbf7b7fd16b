"""The work-list registry: providers register once, items group by section, soonest first."""
from datetime import datetime

import pytest

from core import worklist
from core.worklist import WorkItem, grouped, items_for, provides


class Signed:
    is_authenticated = True


@pytest.fixture
def only(monkeypatch):
    monkeypatch.setattr(worklist, "_PROVIDERS", [])


def test_items_keep_section_order_and_sort_soonest_first(only):
    @provides
    def first(user):
        yield WorkItem("B", "undated", "/u")
        yield WorkItem("B", "later", "/l", due=datetime(2026, 5, 2))
        yield WorkItem("A", "a", "/a")
        yield WorkItem("B", "sooner", "/s", due=datetime(2026, 5, 1))

    titles = [(item.section, item.title) for item in items_for(Signed())]
    assert titles == [("B", "sooner"), ("B", "later"), ("B", "undated"), ("A", "a")]
    assert [(s.heading, len(s.items)) for s in grouped(items_for(Signed()))] == [("B", 3), ("A", 1)]


def test_registering_the_same_provider_twice_does_not_double_its_items(only):
    def make():
        def twice(user):
            yield WorkItem("S", "t", "/t")
        return twice

    provides(make())
    provides(make())
    assert len(items_for(Signed())) == 1


def test_nobody_signed_in_gets_nothing(only):
    @provides
    def anything(user):
        yield WorkItem("S", "t", "/t")

    class Anonymous:
        is_authenticated = False

    assert items_for(Anonymous()) == []
