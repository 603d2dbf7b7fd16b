"""A sealed response's receipt as plain text (emailed, downloaded, printed) and the files it lists.

The receipt is the bidder's proof of what it sent and when: the SHA-256 of the sealed bytes, the time, and
each attached file with the SHA-256 of its bytes, so the bidder can later show which file it sent.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from core.timezones import exact_utc, uk_time

if TYPE_CHECKING:
    from tenders.services.responses import Receipt


def sealed_documents(payload: str | None) -> tuple[tuple[str, str], ...]:
    """The files listed in a response.submitted payload: (file name, SHA-256). Payloads recorded before file
    hashes were kept list only names; their hash reads as "not recorded"."""
    if not payload:
        return ()
    listed = json.loads(payload).get("documents") or []
    return tuple((item["filename"], item["sha256"]) if isinstance(item, dict) else (str(item), "not recorded")
                 for item in listed)


def receipt_text(receipt: Receipt) -> str:
    lines = [
        "Receipt for a sealed response",
        "",
        f"Procurement: {receipt.reference}",
        f"Response number: {receipt.response_id}",
        f"Received: {uk_time(receipt.submitted_at)} (exactly {exact_utc(receipt.submitted_at)})",
        f"SHA-256 of what was stored: {receipt.sha256}",
        f"Size: {receipt.size_bytes} bytes",
        f"Status: {receipt.status.capitalize()}",
        "",
        "Attached files (SHA-256 of each file's bytes):" if receipt.documents else "Attached files: none",
    ]
    lines += [f"- {name}: {sha256}" for name, sha256 in receipt.documents]
    if receipt.event_seq is not None:
        lines += ["", f"Audit event: {receipt.event_seq}, hash {receipt.event_hash}"]
    lines += ["", "At opening, each response is checked against its hash."]
    return "\n".join(lines) + "\n"
