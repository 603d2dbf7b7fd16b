"""Links one package's page shows to another package's things, without importing it.

A lower package's page (a forum, a procurement) asks `related_links(kind, obj)`;
a higher package registers a provider for that kind (the sufficiency package
lists the market position statements attached to a procurement or written by
a forum's owners). So the lower package never imports the higher one.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RelatedLink:
    heading: str
    title: str
    url: str
    detail: str = ""


_PROVIDERS: dict[str, list[Callable[[Any], Iterable[RelatedLink]]]] = {}


def register(kind: str, provider: Callable[[Any], Iterable[RelatedLink]]) -> None:
    """Add a provider of links for pages of this kind ("forum", "procurement"); the app factory calls this."""
    if provider not in _PROVIDERS.setdefault(kind, []):
        _PROVIDERS[kind].append(provider)


def related_links(kind: str, obj: Any) -> list[RelatedLink]:
    return [link for provider in _PROVIDERS.get(kind, []) for link in provider(obj)]
