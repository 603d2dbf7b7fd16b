"""What packages above the forum add to it, registered here so the forum never imports them.

The procurements sit above the forum: they link to forums and need statements,
and they keep a quiet period over what commissioners post while a tender is
live. The app factory registers those here (tenders.forum_links), and the forum
asks through these functions: with nothing registered, a forum simply lists no
procurements and no post is held back.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accounts.models import Viewer

PostCheck = Callable[[Any, dict[str, str], str], None]
Lister = Callable[[int], list[Any]]
Search = Callable[[list[str]], list[Any]]

_post_checks: list[PostCheck] = []
_listers: dict[str, Lister] = {}
_searches: list[Search] = []


def register_post_check(check: PostCheck) -> None:
    """`check(actor, texts, attempted)` runs before a post is saved; it refuses by raising (and audits)."""
    if check not in _post_checks:
        _post_checks.append(check)


def register_procurement_links(*, to_forum: Lister, to_need: Lister, search: Search) -> None:
    """The published procurements linked to a forum or need (by id), and those matching search words."""
    _listers.update(forum=to_forum, need=to_need)
    if search not in _searches:
        _searches.append(search)


def check_post(actor: Viewer, texts: dict[str, str], attempted: str) -> None:
    for check in _post_checks:
        check(actor, texts, attempted)


def procurements_linked_to_forum(forum_id: int) -> list[Any]:
    return _listers["forum"](forum_id) if "forum" in _listers else []


def procurements_linked_to_need(need_id: int) -> list[Any]:
    return _listers["need"](need_id) if "need" in _listers else []


def search_procurements(words: list[str]) -> list[Any]:
    return [found for search in _searches for found in search(words)]
