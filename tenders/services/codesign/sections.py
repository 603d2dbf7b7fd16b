"""Sections of a specification body, pure text work: splitting at `## ` headings, replacing one, adding one,
and comparing two texts of a section."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from core.readable_diff import ReadableDiff, readable_diff
from tenders.models import SpecVersion

INTRODUCTION = "introduction"
NEW_SECTION = "__new__"

_HEADING = re.compile(r"^ {0,3}##[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class Section:
    """One named part of a specification body: its `## ` heading line (none for the introduction) and what follows."""

    key: str
    heading: str
    heading_line: str
    body: str

    @property
    def text(self) -> str:
        """The section's text as people compare it: without the blank lines around it."""
        return self.body.strip()

    @property
    def is_introduction(self) -> bool:
        return self.heading_line == ""


def slugify(heading: str) -> str:
    """A stable key for a heading: lower case ASCII words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", heading).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:100] or "section"


def split_sections(body_md: str) -> list[Section]:
    """Divide a body at its `## ` headings; the text before the first heading is the section "Introduction".

    The introduction is always the first section (its body may be empty), so
    `join_sections(split_sections(text)) == text` for any text. Headings inside
    fenced code blocks do not count. Keys are slugs of the headings, made unique
    in order ("staffing", "staffing-2").
    """
    sections: list[Section] = []
    seen = {INTRODUCTION}
    heading, heading_line, key = "Introduction", "", INTRODUCTION
    body: list[str] = []
    fence: str | None = None
    for line in (body_md or "").splitlines(keepends=True):
        bare = line.rstrip("\r\n")
        fence_match = _FENCE.match(bare)
        if fence_match:
            marker = fence_match.group(1)
            if fence is None:
                fence = marker[0] * 3
            elif marker.startswith(fence):
                fence = None
        match = _HEADING.match(bare) if fence is None and not fence_match else None
        if match and match.group(1).strip():
            sections.append(Section(key, heading, heading_line, "".join(body)))
            heading, heading_line, body = match.group(1).strip(), line, []
            key = base = slugify(heading)
            number = 2
            while key in seen:
                key, number = f"{base}-{number}", number + 1
            seen.add(key)
        else:
            body.append(line)
    sections.append(Section(key, heading, heading_line, "".join(body)))
    return sections


def join_sections(sections: list[Section]) -> str:
    return "".join(section.heading_line + section.body for section in sections)


def replace_section(body_md: str, key: str, text: str) -> str:
    """The body with one section's text replaced (its heading kept), the rest exactly as it was."""
    sections = split_sections(body_md)
    index = next((i for i, s in enumerate(sections) if s.key == key), None)
    if index is None:
        raise KeyError(key)
    section, last = sections[index], index == len(sections) - 1
    clean = (text or "").strip()
    gap = "" if last else "\n"
    if section.is_introduction:
        body = f"{clean}\n{gap}" if clean else ""
        heading_line = ""
    else:
        body = f"\n{clean}\n{gap}" if clean else gap
        heading_line = section.heading_line if section.heading_line.endswith("\n") else section.heading_line + "\n"
    sections[index] = Section(section.key, section.heading, heading_line, body)
    return join_sections(sections)


def add_section(body_md: str, heading: str, text: str) -> str:
    """The body with a new `## heading` section at the end."""
    before = (body_md or "").rstrip()
    return (before + "\n\n" if before else "") + f"## {heading.strip()}\n\n{(text or '').strip()}\n"


def text_hash(text: str) -> str:
    return hashlib.sha256((text or "").strip().encode("utf-8")).hexdigest()


def sections_of(version: SpecVersion | None) -> dict[str, Section]:
    return {s.key: s for s in split_sections(version.body_md)} if version is not None else {}


def section_choices(version: SpecVersion | None) -> list[tuple[str, str]]:
    """What a proposal can be about: each section of the current draft, or a new one."""
    choices = [(s.key, "Introduction (text before the first heading)" if s.is_introduction else s.heading)
               for s in sections_of(version).values()]
    return choices + [(NEW_SECTION, "A new section")]


def diff_rows(old: str, new: str, old_label: str, new_label: str, section: str) -> ReadableDiff:
    """Two texts of one section compared for people to read, shaped like the versions diff."""
    return readable_diff(old or "", new or "", old_label, new_label, first_section=section)
