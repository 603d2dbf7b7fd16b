"""Secrets kept in files: made once, readable by the app's user alone.

Development keeps its secrets (the session key, the sealed-response key, the
audit signing key) in the Flask instance folder, so they survive restarts and
every worker of one installation uses the same ones. A secret that changed on
each start would sign out everyone and leave sealed responses unreadable.

A new file is written in full under a temporary name with mode 0600 and then
hard-linked into place, which fails if the name is already taken. So nobody
else can read it even for an instant, nobody ever reads a half-written file,
and when several processes start at once exactly one of them creates the
secret while the others read the one it made.
"""
from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from flask import Flask


class SecretFileError(Exception):
    """The secret file is missing, unreadable or readable by other users."""


def read_secret_file(path: Path, what: str = "secret") -> bytes:
    """The file's bytes, refusing a file other users could read (as ssh does)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise SecretFileError(f"There is no {what} at {path}.") from None
    if stat.S_IMODE(mode) & 0o077:
        raise SecretFileError(f"The {what} {path} can be read by other users (mode {oct(stat.S_IMODE(mode))}): "
                              f"run chmod 600 on it.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SecretFileError(f"Cannot read the {what} {path}: {exc}") from None
    if not data.strip():
        raise SecretFileError(f"The {what} {path} is empty: restore it from your backup.")
    return data


def read_or_create_secret_file(path: Path, make: Callable[[], bytes], what: str = "secret") -> tuple[bytes, bool]:
    """The secret at `path`, made with `make()` if there is none yet. Returns (secret, created).

    When another process creates the file first, its secret is returned and
    `make()`'s is thrown away, so every caller ends up with the same one.
    """
    if path.exists():
        return read_secret_file(path, what), False
    path.parent.mkdir(parents=True, exist_ok=True)
    data = make()
    draft = write_private_draft(path, data)
    try:
        try:
            os.link(draft, path)  # atomic, and refuses an existing name
        except FileExistsError:
            return read_secret_file(path, what), False
    finally:
        draft.unlink(missing_ok=True)
    return data, True


def write_private_draft(path: Path, data: bytes) -> Path:
    """`data` in a new file beside `path`, readable by its owner only and synced: the caller moves or links it
    into place (atomically) and removes it if that fails, so `path` is never seen half-written."""
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(8)}.new")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    return draft


def instance_secret(app: Flask, filename: str, make: Callable[[], bytes], what: str) -> str:
    """A development secret from the app's instance folder, made on first start.

    Raises RuntimeError with the reason when the file cannot be used, so the
    app stops at start-up rather than running with a secret nobody else shares.
    """
    path = Path(app.instance_path) / filename
    try:
        data, created = read_or_create_secret_file(path, make, what)
        text = data.decode("ascii").strip()
    except (SecretFileError, OSError) as exc:
        raise RuntimeError(str(exc)) from exc
    except UnicodeDecodeError:
        raise RuntimeError(f"The {what} {path} is not text: restore it from your backup.") from None
    if created:
        app.logger.info("Created the %s %s (mode 0600): keep a backup of it, apart from the database's", what, path)
    return text
