"""Reading signed checkpoints back from a saved Atom feed (the public trail's or the checkpoints' own).

The feeds are written by the auditors' workspace; the format of their
checkpoint entries is fixed here, beside the checkpoints, because
`flask audit verify --checkpoints` must read a saved copy back.
"""
from __future__ import annotations

from typing import Any

from lxml import etree

# The checkpoint entries' category, and the labelled lines of their content that carry the signed fields
# (the keys of /audit/checkpoints.json). Written by _add_checkpoint, read back by checkpoints_from_atom.
CHECKPOINT_CATEGORY = "checkpoint"
CHECKPOINT_LINES = (("seq", "Sequence"), ("head_hash", "Head hash"), ("created_at", "Signed at"),
                    ("signature", "Signature (base64)"), ("public_key", "Public key (base64)"),
                    ("key_fingerprint", "Key fingerprint (SHA-256)"))
ATOM_NS = "http://www.w3.org/2005/Atom"


# A saved feed is untrusted input: no DTDs, no entities, no network.
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def checkpoints_from_atom(data: bytes) -> list[dict[str, Any]]:
    """The checkpoints of a saved Atom feed (this one or the public trail's), as checkpoints.json entries.

    Raises ValueError, naming the entry, when the document is not an Atom
    feed or a checkpoint entry lacks one of its lines. The entries' shape is
    then checked like any saved checkpoints.json (checkpoints.parse_published).
    """
    try:
        root = etree.fromstring(data, _SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"it is not well-formed XML ({exc})") from None
    if root.tag != f"{{{ATOM_NS}}}feed":
        raise ValueError("it is XML but not an Atom feed")
    found = []
    for index, entry in enumerate(root.iterfind(f"{{{ATOM_NS}}}entry"), start=1):
        terms = {category.get("term") for category in entry.iterfind(f"{{{ATOM_NS}}}category")}
        if CHECKPOINT_CATEGORY not in terms:
            continue
        lines = dict(line.split(": ", 1) for line in (entry.findtext(f"{{{ATOM_NS}}}content") or "").splitlines()
                     if ": " in line)
        item: dict[str, Any] = {}
        for name, label in CHECKPOINT_LINES:
            if label not in lines:
                raise ValueError(f"feed entry {index} is a checkpoint without its {label!r} line")
            item[name] = lines[label].strip()
        if not item["seq"].isdigit():
            raise ValueError(f"feed entry {index} has no valid 'Sequence'")
        item["seq"] = int(item["seq"])
        found.append(item)
    return found
