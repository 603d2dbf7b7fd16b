"""Differences between two texts shaped for people to read, not for patch tools.

A unified diff puts a whole paragraph on one line and marks it changed when one word moved. This shape
pairs each changed line with the line it replaced, marks the words that differ (difflib on words), groups
the rows under the markdown heading they fall in, and keeps only a little unchanged text around each
change. The template lays the same rows out side by side on a wide screen and one under the other on a
narrow one; every line wraps, so no diff is ever wider than the page.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")
INTRODUCTION = "Introduction"


@dataclass(frozen=True)
class Piece:
    """A run of text within a line, and whether it differs from the other side."""

    text: str
    changed: bool = False


@dataclass(frozen=True)
class Row:
    """One line of the diff: kind is same, changed, added or removed; a side is empty where it has no line."""

    kind: str
    old: tuple[Piece, ...] = ()
    new: tuple[Piece, ...] = ()
    old_number: int | None = None
    new_number: int | None = None


@dataclass(frozen=True)
class Gap:
    """Unchanged lines left out between two changes."""

    lines: int
    kind: str = "gap"


@dataclass
class Section:
    name: str
    rows: list[Row | Gap] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return sum(1 for row in self.rows if row.kind in ("changed", "added", "removed"))


@dataclass(frozen=True)
class ReadableDiff:
    old_label: str
    new_label: str
    sections: tuple[Section, ...]

    @property
    def changed(self) -> bool:
        return any(section.changes for section in self.sections)


def _joined(pieces: list[Piece]) -> tuple[Piece, ...]:
    """Runs merged: a space alone between two changed words counts as changed, and neighbours that are both
    changed (or both not) become one run, so a rewritten phrase is marked once rather than word by word."""
    marked = [Piece(p.text, True) if not p.text.strip() and 0 < i < len(pieces) - 1 and pieces[i - 1].changed
              and pieces[i + 1].changed else p for i, p in enumerate(pieces)]
    out: list[Piece] = []
    for piece in marked:
        if out and out[-1].changed == piece.changed:
            out[-1] = Piece(out[-1].text + piece.text, piece.changed)
        else:
            out.append(piece)
    return tuple(out)


def word_pieces(old: str, new: str) -> tuple[tuple[Piece, ...], tuple[Piece, ...]]:
    """The two lines cut into runs, the runs that differ marked, word by word."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    left: list[Piece] = []
    right: list[Piece] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        left.extend(Piece(token, tag != "equal") for token in a[i1:i2])
        right.extend(Piece(token, tag != "equal") for token in b[j1:j2])
    return _joined(left), _joined(right)


def _rows(old: list[str], new: list[str]) -> list[tuple[Row, str | None]]:
    """Every row, with the heading text a row starts (if it is a heading line)."""
    rows: list[tuple[Row, str | None]] = []

    def heading(line: str) -> str | None:
        match = HEADING.match(line)
        return match.group(1) if match else None

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                line = old[i1 + k]
                rows.append((Row("same", (Piece(line),), (Piece(line),), i1 + k + 1, j1 + k + 1), heading(line)))
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(paired):
            left, right = word_pieces(old[i1 + k], new[j1 + k])
            rows.append((Row("changed", left, right, i1 + k + 1, j1 + k + 1),
                         heading(new[j1 + k]) or heading(old[i1 + k])))
        for k in range(i1 + paired, i2):
            rows.append((Row("removed", old=(Piece(old[k], True),), old_number=k + 1), heading(old[k])))
        for k in range(j1 + paired, j2):
            rows.append((Row("added", new=(Piece(new[k], True),), new_number=k + 1), heading(new[k])))
    return rows


def _trimmed(rows: list[Row], context: int) -> list[Row | Gap]:
    """The changed rows with `context` unchanged rows either side; longer unchanged runs become a gap."""
    keep = [False] * len(rows)
    for index, row in enumerate(rows):
        if row.kind != "same":
            for near in range(max(0, index - context), min(len(rows), index + context + 1)):
                keep[near] = True
    out: list[Row | Gap] = []
    skipped = 0
    for row, kept in zip(rows, keep):
        if kept:
            if skipped:
                out.append(Gap(skipped))
                skipped = 0
            out.append(row)
        else:
            skipped += 1
    if skipped and out:
        out.append(Gap(skipped))
    return out


def readable_diff(old: str, new: str, old_label: str, new_label: str, *, context: int = 2,
                  first_section: str = INTRODUCTION) -> ReadableDiff:
    """The difference from `old` to `new`, by section, each changed line paired and marked word by word.

    Sections without a change are left out; `first_section` names the text before the first heading.
    """
    sections: list[Section] = []
    name, current = first_section, list[Row]()
    for row, heading in _rows((old or "").splitlines(), (new or "").splitlines()):
        if heading is not None and current:
            sections.append(Section(name, _trimmed(current, context)))
            current = []
        if heading is not None:
            name = heading
        current.append(row)
    if current:
        sections.append(Section(name, _trimmed(current, context)))
    return ReadableDiff(old_label, new_label, tuple(s for s in sections if s.changes))
