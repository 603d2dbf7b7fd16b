"""Signed checkpoints: publishing the chain's head so history cannot be quietly rewritten.

The hash chain proves the trail is internally consistent, but someone with
write access to the database could drop the triggers, edit an event and
recompute every later hash: the chain would verify again. A checkpoint closes
that gap. `flask audit checkpoint` signs (seq, head hash, time) with an Ed25519
key that lives in a file outside the database (AUDIT_SIGNING_KEY_PATH); the
checkpoints are published at /audit/checkpoints.json. Anyone who saved a copy
can later prove that the current chain still passes through every head they
saw (`flask audit verify --checkpoints FILE`), and a rewrite cannot be re-signed
without the key.

The signed bytes are trail.chain.checkpoint_message; keys and signatures are
published as standard base64 of their raw bytes.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from blinker import Namespace
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app
from sqlalchemy import func, select

from core.clock import utcnow
from core.errors import RuleViolation
from core.extensions import db
from core.secret_files import SecretFileError, read_or_create_secret_file, read_secret_file, write_private_draft
from trail.atom import checkpoints_from_atom
from trail.chain import checkpoint_message, format_time, key_rotation_message
from trail.events import Actor, keyset_batches, lock_chain, record
from trail.models import AuditEvent, Checkpoint

# Sent inside the signing transaction with the new checkpoint (sender: the Checkpoint), so a subscriber's
# work (the auditors' emails) commits or rolls back with it. The trail cannot know who subscribes.
checkpoint_signed = Namespace().signal("checkpoint-signed")

HASH_LOOKUP_CHUNK = 500


class SigningKeyError(SecretFileError):
    """The signing key file is missing, unreadable, too widely readable or not an Ed25519 key."""


# ---------------------------------------------------------------- keys


def signing_key_path() -> Path:
    return Path(current_app.config["AUDIT_SIGNING_KEY_PATH"]).expanduser()


def public_key_raw(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_b64(public_key: Ed25519PublicKey) -> str:
    return base64.b64encode(public_key_raw(public_key)).decode("ascii")


def key_fingerprint(public_key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw key: what people compare when they check they hold the right key."""
    return hashlib.sha256(public_key_raw(public_key)).hexdigest()


def public_key_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(serialization.Encoding.PEM,
                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def public_key_from_b64(text: str) -> Ed25519PublicKey:
    """Raises ValueError when `text` is not base64 of a 32-byte Ed25519 key."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("the public key is not base64") from exc
    return Ed25519PublicKey.from_public_bytes(raw)


def load_public_key_pem(data: bytes) -> Ed25519PublicKey:
    """A saved /audit/public-key.pem. Raises ValueError for anything but an Ed25519 public key."""
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


_PEM_PUBLIC_KEY = re.compile(rb"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", re.DOTALL)


def load_public_keys_pem(data: bytes) -> list[Ed25519PublicKey]:
    """Every public key in a file of PEM blocks (a keyring, /audit/public-keys.pem or one public-key.pem).

    Raises ValueError when there is none, or any block is not an Ed25519 public key.
    """
    blocks = _PEM_PUBLIC_KEY.findall(data)
    if not blocks:
        raise ValueError("no PEM public key in it")
    return [load_public_key_pem(block) for block in blocks]


def keyring_path() -> Path:
    return Path(current_app.config["AUDIT_PUBLIC_KEYRING_PATH"]).expanduser()


def read_keyring(path: Path) -> list[Ed25519PublicKey]:
    """The retired public keys kept at `path` (none when the key was never rotated)."""
    if not path.exists():
        return []
    return load_public_keys_pem(path.read_bytes())


def add_to_keyring(path: Path, key: Ed25519PublicKey) -> None:
    """Keep a public key for good (once), so what it signed verifies after the key is retired."""
    if any(public_key_raw(kept) == public_key_raw(key) for kept in read_keyring(path)):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="ascii") as keyring:
        keyring.write(f"Key fingerprint (SHA-256): {key_fingerprint(key)}\n{public_key_pem(key)}")


def write_new_signing_key(path: Path) -> tuple[Ed25519PrivateKey, Path]:
    """A new key written beside `path` (mode 0600), not yet in its place: (key, its temporary file).

    The caller moves it over the old key (os.replace, atomic) only once the
    rotation is on the record, and removes it if the record fails.
    """
    pem = _new_signing_key_pem()
    pending = write_private_draft(path, pem)
    return _private_key(pending, pem), pending


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    """Read the private key, refusing a file other users could read (as ssh does)."""
    try:
        return _private_key(path, read_secret_file(path, "signing key"))
    except SecretFileError as exc:
        raise SigningKeyError(str(exc)) from None


def _private_key(path: Path, pem: bytes) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise SigningKeyError(f"Cannot read the signing key {path}: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"The signing key {path} is not an Ed25519 private key.")
    return key


def _new_signing_key_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                      serialization.NoEncryption())


def load_or_create_signing_key(path: Path) -> tuple[Ed25519PrivateKey, bool]:
    """The key at `path`, made on first use (mode 0600, one key however many start at once).

    Returns (key, created).
    """
    try:
        pem, created = read_or_create_secret_file(path, _new_signing_key_pem, "signing key")
    except SecretFileError as exc:
        raise SigningKeyError(str(exc)) from None
    return _private_key(path, pem), created


# ---------------------------------------------------------------- signing (the service)


def _head() -> Any:
    return db.session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()


def latest_checkpoint() -> Checkpoint | None:
    return db.session.scalars(select(Checkpoint).order_by(Checkpoint.seq.desc()).limit(1)).first()


def create_checkpoint(private_key: Ed25519PrivateKey, *, if_changed: bool = False,
                      actor: Actor | None = None) -> Checkpoint | None:
    """Sign the chain's current head and record the checkpoint on the chain itself.

    The chain lock is taken before the head is read, so the head signed is the
    head: no event can slip in between. The "audit.checkpoint_signed" event is
    written in the same transaction, so a checkpoint never exists without its
    event. With `if_changed`, nothing happens (None) when the only event since
    the last checkpoint is that checkpoint's own event: a scheduled run every
    few minutes then adds nothing to a quiet trail. Auditors who subscribed
    are emailed the checkpoint in the same transaction (oversight.subscriptions, through checkpoint_signed).
    """
    lock_chain()
    head = _head()
    last = latest_checkpoint()
    if if_changed and (head is None or (last is not None and head.seq <= last.event_seq)):
        return None
    if head is None:
        raise RuleViolation("The audit trail is empty: there is no head to sign yet.")
    created_at = utcnow()
    signature = private_key.sign(checkpoint_message(head.seq, head.hash, format_time(created_at)))
    public_key = private_key.public_key()
    checkpoint = Checkpoint(
        seq=head.seq,
        head_hash=head.hash,
        created_at=created_at,
        signature=base64.b64encode(signature).decode("ascii"),
        public_key=public_key_b64(public_key),
        key_fingerprint=key_fingerprint(public_key),
    )
    event = record(
        "audit.checkpoint_signed",
        actor=actor,
        subject=("audit_checkpoint", head.seq),
        audience="public",
        summary=f"Signed checkpoint at event {head.seq}",
        payload=published(checkpoint),
    )
    checkpoint.event_seq = event.seq
    db.session.add(checkpoint)
    db.session.flush()
    checkpoint_signed.send(checkpoint)
    return checkpoint


def rotate_signing_key(old_key: Ed25519PrivateKey, new_key: Ed25519PrivateKey, *,
                       actor: Actor | None = None) -> Checkpoint:
    """Put the change of signing key on the record, endorsed by the old key, and sign a checkpoint with the new one.

    The public event carries both keys and the old key's signature over the
    new public key (trail.chain.key_rotation_message): an outsider who
    trusted the old key can check the successor without asking anyone. The
    checkpoint that follows, signed by the new key, covers that event.
    """
    old_public, new_public = public_key_b64(old_key.public_key()), public_key_b64(new_key.public_key())
    if old_public == new_public:
        raise RuleViolation("The new signing key is the old one.")
    endorsement = old_key.sign(key_rotation_message(old_public, new_public))
    record(
        "audit.signing_key_rotated",
        actor=actor,
        audience="public",
        summary=f"Replaced the checkpoint signing key {key_fingerprint(old_key.public_key())[:16]} "
                f"with {key_fingerprint(new_key.public_key())[:16]}",
        payload={"old_public_key": old_public, "old_key_fingerprint": key_fingerprint(old_key.public_key()),
                 "new_public_key": new_public, "new_key_fingerprint": key_fingerprint(new_key.public_key()),
                 "endorsement": base64.b64encode(endorsement).decode("ascii")},
    )
    checkpoint = create_checkpoint(new_key, actor=actor)
    assert checkpoint is not None  # the rotation event is a new head
    return checkpoint


def signing_keys_published() -> list[tuple[str, str, int]]:
    """Every key that has signed a checkpoint, oldest first: (base64 public key, fingerprint, first seq)."""
    rows = db.session.execute(
        select(Checkpoint.public_key, Checkpoint.key_fingerprint, func.min(Checkpoint.seq).label("first"))
        .group_by(Checkpoint.public_key, Checkpoint.key_fingerprint).order_by(func.min(Checkpoint.seq)))
    return [(row.public_key, row.key_fingerprint, row.first) for row in rows]


# ---------------------------------------------------------------- publishing


def published(checkpoint: Any) -> dict[str, Any]:
    """One entry of /audit/checkpoints.json: everything needed to check it, nothing else.

    Takes a Checkpoint or a row of its columns.
    """
    return {
        "seq": checkpoint.seq,
        "head_hash": checkpoint.head_hash,
        "created_at": format_time(checkpoint.created_at),
        "signature": checkpoint.signature,
        "public_key": checkpoint.public_key,
        "key_fingerprint": checkpoint.key_fingerprint,
    }


_PUBLISHED_COLUMNS = (Checkpoint.seq, Checkpoint.head_hash, Checkpoint.created_at, Checkpoint.signature,
                      Checkpoint.public_key, Checkpoint.key_fingerprint)


def checkpoint_batches(batch_size: int) -> Iterator[Sequence[Any]]:
    """Every checkpoint, oldest first, a keyset page at a time (for the streamed public list).

    Plain rows rather than model instances, so nothing accumulates in the
    session's identity map however many checkpoints there are.
    """
    return keyset_batches(select(*_PUBLISHED_COLUMNS), Checkpoint.seq, batch_size)


def recent_checkpoints(limit: int) -> list[Checkpoint]:
    return list(db.session.scalars(select(Checkpoint).order_by(Checkpoint.seq.desc()).limit(limit)))


def checkpoint_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Checkpoint)) or 0


# ---------------------------------------------------------------- checking


@dataclass(frozen=True)
class PublishedCheckpoint:
    """A checkpoint as a third party saved it."""

    seq: int
    head_hash: str
    created_at: str
    signature: str
    public_key: str

    @property
    def label(self) -> str:
        return f"the checkpoint at event {self.seq} (signed {self.created_at})"


_TEXT_FIELDS = ("head_hash", "created_at", "signature", "public_key")


def parse_published(data: Any) -> list[PublishedCheckpoint]:
    """A saved checkpoints.json, checked for shape. Raises ValueError naming the bad entry."""
    if not isinstance(data, list):
        raise ValueError("the file must hold a JSON list of checkpoints, as /audit/checkpoints.json does")
    entries = []
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise ValueError(f"entry {index} is not an object")
        seq = item.get("seq")
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
            raise ValueError(f"entry {index} has no valid 'seq'")
        for name in _TEXT_FIELDS:
            if not isinstance(item.get(name), str) or not item[name]:
                raise ValueError(f"entry {index} (event {seq}) has no valid {name!r}")
        entries.append(PublishedCheckpoint(seq, item["head_hash"], item["created_at"], item["signature"],
                                           item["public_key"]))
    return entries


def parse_saved(data: bytes) -> list[PublishedCheckpoint]:
    """A saved copy of /audit/checkpoints.json, /audit/checkpoints.atom or /audit/feed.atom, told apart by content.

    Raises ValueError saying what is wrong with it.
    """
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        try:
            return parse_published(checkpoints_from_atom(text))
        except ValueError as exc:
            raise ValueError(f"as an Atom feed: {exc}") from None
    try:
        decoded = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"it is neither JSON nor an Atom feed ({exc})") from None
    return parse_published(decoded)


@dataclass
class CheckpointCheck:
    """Whether the current chain still passes through every checkpoint given."""

    checked: int
    failures: int = 0
    first_failed: PublishedCheckpoint | None = None
    problem: str | None = None
    failed_seqs: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.checked > 0 and self.failures == 0

    def as_payload(self) -> dict[str, Any]:
        return {"checked": self.checked, "ok": self.ok, "failures": self.failures,
                "first_failed_seq": self.first_failed.seq if self.first_failed else None, "problem": self.problem}


def _signature_problem(entry: PublishedCheckpoint, trusted: dict[str, Ed25519PublicKey] | None) -> str | None:
    if trusted is None:
        try:
            key = public_key_from_b64(entry.public_key)
        except ValueError:
            return "its public key is not an Ed25519 key"
    else:
        known = trusted.get(entry.public_key)
        if known is None:
            return "it was signed with a key you do not trust (or its public key was altered)"
        key = known
    try:
        signature = base64.b64decode(entry.signature, validate=True)
        key.verify(signature, checkpoint_message(entry.seq, entry.head_hash, entry.created_at))
    except (binascii.Error, ValueError, InvalidSignature):
        return "its signature does not verify: the checkpoint was altered, or never signed by this key"
    return None


def _current_hashes(seqs: Sequence[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    unique = sorted(set(seqs))
    for start in range(0, len(unique), HASH_LOOKUP_CHUNK):
        chunk = unique[start:start + HASH_LOOKUP_CHUNK]
        rows = db.session.execute(select(AuditEvent.seq, AuditEvent.hash).where(AuditEvent.seq.in_(chunk)))
        found.update({row.seq: row.hash for row in rows})
    return found


def check_checkpoints(entries: Iterable[PublishedCheckpoint],
                      trusted_keys: Sequence[Ed25519PublicKey] | None) -> CheckpointCheck:
    """Check each checkpoint's signature, then that the chain still has its head hash at its seq.

    With `trusted_keys`, a checkpoint must be signed by one of them: that is the
    check an outsider makes with the key they saved. With None, each checkpoint
    is checked against the key it names, which proves only that the database's
    own checkpoints are intact (the auditor page).

    Every checkpoint is checked, oldest first; the first failure is reported.
    Because each hash covers the one before it, a chain that verifies and still
    has the signed hash at a checkpoint's seq has every earlier event unchanged.
    """
    ordered = sorted(entries, key=lambda entry: entry.seq)
    trusted = None if trusted_keys is None else {public_key_b64(key): key for key in trusted_keys}
    hashes = _current_hashes([entry.seq for entry in ordered])
    result = CheckpointCheck(checked=len(ordered))
    for entry in ordered:
        problem = _signature_problem(entry, trusted)
        if problem is None:
            current = hashes.get(entry.seq)
            if current is None:
                problem = f"event {entry.seq} is no longer on the chain: history was truncated"
            elif current != entry.head_hash:
                problem = (f"event {entry.seq} now has hash {current}, not the signed {entry.head_hash}: "
                           f"history up to event {entry.seq} was rewritten")
        if problem is not None:
            result.failures += 1
            result.failed_seqs.append(entry.seq)
            if result.first_failed is None:
                result.first_failed, result.problem = entry, problem
    return result


def as_published_entry(checkpoint: Checkpoint) -> PublishedCheckpoint:
    data = published(checkpoint)
    return PublishedCheckpoint(data["seq"], data["head_hash"], data["created_at"], data["signature"],
                               data["public_key"])


def check_latest_checkpoint() -> tuple[Checkpoint | None, CheckpointCheck | None]:
    """For the auditor page: does the chain still lead to the latest checkpoint's head?"""
    latest = latest_checkpoint()
    if latest is None:
        return None, None
    return latest, check_checkpoints([as_published_entry(latest)], None)
