"""Platform-wide predicates."""
from __future__ import annotations

from typing import TypeGuard
from urllib.parse import urlsplit


def is_safe_redirect(target: str | None) -> TypeGuard[str]:
    """Only same-site paths: `next=` must never send anyone to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
