"""What is waiting for a signed-in person: a registry the domains fill.

The ground floor owns the registry so that every domain (and packages added
later) can add to "My work" without the page knowing about them: each domain
registers its providers with `@provides` in its own `worklist.py`, imported
when its blueprint is registered. A provider is called with the signed-in user
and yields the items waiting for them; it must run a bounded number of indexed
queries however much data there is (the page is shown after every sign-in).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class WorkItem:
    """One thing to do, and the link to the page where it is done."""

    section: str             # the heading it is grouped under, e.g. "Questions to answer"
    title: str               # what to do
    url: str                 # where it is done
    detail: str | None = None  # e.g. "Due in 4 working days"
    due: datetime | None = None  # sorts within a section (soonest first)


Provider = Callable[[Any], Iterable[WorkItem]]

_PROVIDERS: list[Provider] = []


def provides(provider: Provider) -> Provider:
    """Register a provider (idempotent, so re-importing a module never doubles its items)."""
    key = (provider.__module__, provider.__qualname__)
    _PROVIDERS[:] = [p for p in _PROVIDERS if (p.__module__, p.__qualname__) != key]
    _PROVIDERS.append(provider)
    return provider


def providers() -> list[Provider]:
    return list(_PROVIDERS)


def _sort_key(item: WorkItem) -> tuple[int, float]:
    return (0, item.due.timestamp()) if item.due is not None else (1, 0.0)


def items_for(user: Any) -> list[WorkItem]:
    """Every provider's items for this person.

    Sections keep the order in which they first appear (providers registered
    first come first); inside a section the soonest due comes first, and
    undated items keep their provider's order after the dated ones.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    order: list[str] = []
    by_section: dict[str, list[WorkItem]] = {}
    for provider in _PROVIDERS:
        for item in provider(user):
            if item.section not in by_section:
                order.append(item.section)
                by_section[item.section] = []
            by_section[item.section].append(item)
    return [item for section in order for item in sorted(by_section[section], key=_sort_key)]


@dataclass(frozen=True)
class Section:
    heading: str
    items: list[WorkItem]


def grouped(items: Iterable[WorkItem]) -> list[Section]:
    """Items under their headings, in the order `items_for` gave them."""
    sections: dict[str, list[WorkItem]] = {}
    for item in items:
        sections.setdefault(item.section, []).append(item)
    return [Section(heading, found) for heading, found in sections.items()]
