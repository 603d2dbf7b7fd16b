"""Characters that XML and HTML cannot carry: the one definition, for refusing them and for cleaning output.

NUL and the other C0 control characters (except tab, newline and carriage
return), DEL, the C1 controls, lone surrogates and the two non-characters
U+FFFE/U+FFFF cannot appear in an XML document: lxml refuses them, so one
such character in a thread title used to take a public Atom feed down for
everyone. HTML treats them as parse errors and calendar and spreadsheet
programs choke on them too.

Forms refuse them on the way in (core.forms.AppForm). Text already stored
(from before that rule, or written around the forms) is cleaned on the way out
by `xml_safe`, which every feed, calendar and export calls where text leaves
the platform.
"""
from __future__ import annotations

import re
from typing import Any

UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def unshowable_character(text: str | None) -> tuple[int, str] | None:
    """The first character `text` cannot carry, as (its position counting from 1, its U+ code), or None."""
    match = UNSHOWABLE.search(text or "")
    if match is None:
        return None
    return match.start() + 1, f"U+{ord(match.group()):04X}"


def refusal(text: str | None) -> str | None:
    """The message for a person who typed (or pasted) such a character, or None when the text is fine."""
    found = unshowable_character(text)
    if found is None:
        return None
    position, code = found
    return (f"Remove the hidden control character at position {position} ({code}): it cannot be shown or "
            "published. It can come with text pasted from another program.")


# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """One cell for a spreadsheet: formulas defused, characters a spreadsheet cannot take removed, None empty.

    Every CSV the platform publishes carries text people typed (names, notes,
    summaries), and a cell like `=HYPERLINK(...)` would run when the file is
    opened, so every CSV writer puts each cell through here.
    """
    value = xml_safe(value)
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def xml_safe(text: Any) -> Any:
    """`text` without the characters XML cannot carry; anything that is not a string is returned as it is."""
    if not isinstance(text, str):
        return text
    return UNSHOWABLE.sub("", text)
