"""Which procurements a piece of text names: by its reference (CC-YYYY-NNNNN) or by its whole title.

The parity ledger tags a private message to the procurement it names, so a
contact is filed where it belongs even when nobody picked the procurement in
the form. Pure functions over plain values, so the matching can be pinned by a
table of examples without a database.

Matching is case-insensitive and on whole words: CC-2026-00001 does not match
inside CC-2026-000012, and the title "Foster care" does not match inside
"Foster carers". Runs of spaces or line breaks in the text match the single
spaces of a title, because people rewrap what they quote.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar


class Nameable(Protocol):
    """Anything with a procurement's reference and title (the model, or a test's tuple)."""

    @property
    def reference(self) -> str: ...

    @property
    def title(self) -> str: ...


N = TypeVar("N", bound=Nameable)


def _phrase(words: str) -> re.Pattern[str] | None:
    """A whole-word, case-insensitive pattern for a phrase, any whitespace between its words."""
    parts = words.split()
    if not parts:
        return None
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(part) for part in parts) + r"(?!\w)", re.IGNORECASE)


def names(text: str, procurement: Nameable) -> bool:
    """The text names the procurement by its reference or its whole title."""
    for phrase in (procurement.reference, procurement.title):
        pattern = _phrase(phrase or "")
        if pattern is not None and pattern.search(text or ""):
            return True
    return False


def mentioned(texts: Iterable[str], candidates: Sequence[N]) -> list[N]:
    """The candidates named anywhere in the texts, in the candidates' order, each once."""
    found = [text for text in texts if text]
    return [candidate for candidate in candidates if any(names(text, candidate) for text in found)]
