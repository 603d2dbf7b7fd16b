"""`flask --app wsgi audit ...`"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from flask.cli import AppGroup

from core.errors import RuleViolation
from core.extensions import db
from core.transactions import call_service
from trail import checkpoints, events, verification

audit_cli = AppGroup("audit", help="Verify the audit trail and sign checkpoints of it.")


def _trusted_keys(public_key_files: tuple[Path, ...]) -> list[Ed25519PublicKey]:
    """The keys a checkpoint may be signed with.

    Keys given on the command line (an outsider's saved public-key.pem or
    public-keys.pem) win; otherwise the operator's own signing key file, which
    is never created here, and the retired keys kept in the keyring
    (AUDIT_PUBLIC_KEYRING_PATH) so checkpoints signed before a rotation still verify.
    """
    if public_key_files:
        keys = []
        for path in public_key_files:
            try:
                keys.extend(checkpoints.load_public_keys_pem(path.read_bytes()))
            except (OSError, ValueError) as exc:
                raise click.ClickException(f"{path} is not an Ed25519 public key in PEM form: {exc}") from None
        return keys
    path, keyring = checkpoints.signing_key_path(), checkpoints.keyring_path()
    try:
        retired = checkpoints.read_keyring(keyring)
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"Cannot read the keyring {keyring}: {exc}") from None
    if not path.exists():
        if retired:
            return retired
        raise click.ClickException(f"No key to check signatures with: there is no signing key at {path}. "
                                   f"Pass --public-key with the saved /audit/public-keys.pem.")
    try:
        return [checkpoints.load_signing_key(path).public_key(), *retired]
    except checkpoints.SigningKeyError as exc:
        raise click.ClickException(str(exc)) from None


def _saved_checkpoints(path: Path) -> list[checkpoints.PublishedCheckpoint]:
    try:
        entries = checkpoints.parse_saved(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"Cannot read checkpoints from {path}: {exc}") from None
    if not entries:
        raise click.ClickException(f"{path} holds no checkpoints, so there is nothing to prove.")
    return entries


@audit_cli.command("verify")
@click.option("--batch", default=2000, show_default=True, type=click.IntRange(min=1),
              help="Events read per query.")
@click.option("--checkpoints", "checkpoints_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A saved copy of /audit/checkpoints.json or of an Atom feed of checkpoints "
                   "(/audit/checkpoints.atom, /audit/feed.atom): prove the chain still passes through each one.")
@click.option("--public-key", "public_key_files", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A saved /audit/public-keys.pem (or public-key.pem) to check signatures with (repeatable). "
                   "Default: the public half of AUDIT_SIGNING_KEY_PATH and the retired keys in "
                   "AUDIT_PUBLIC_KEYRING_PATH.")
def verify_command(batch: int, checkpoints_file: Path | None, public_key_files: tuple[Path, ...]) -> None:
    """Walk the whole chain; exit 1 naming the first bad event or checkpoint if anything fails."""
    if public_key_files and not checkpoints_file:
        raise click.UsageError("--public-key checks checkpoint signatures: give --checkpoints FILE too.")
    saved = _saved_checkpoints(checkpoints_file) if checkpoints_file else None
    trusted = _trusted_keys(public_key_files) if saved is not None else None
    total = events.event_count()
    with click.progressbar(length=total, label="Verifying audit chain", show_pos=True, file=sys.stderr) as bar:
        result = verification.verify_chain(progress=bar.update, batch_size=batch)
    check = checkpoints.check_checkpoints(saved, trusted) if saved is not None else None
    verification.record_verification(result, None, check)
    db.session.commit()
    failed = False
    if result.ok:
        click.echo(f"OK: {result.count} events verified; head event {result.head_seq}, hash {result.head_hash}")
    else:
        failed = True
        click.echo(f"BROKEN: first bad event is {result.first_bad_seq}: {result.problem} "
                   f"({result.count} events verified before it)", err=True)
    if check is not None:
        if check.ok:
            click.echo(f"OK: the chain extends all {check.checked} saved checkpoints")
        else:
            failed = True
            assert check.first_failed is not None
            more = f" ({check.failures - 1} more fail after it)" if check.failures > 1 else ""
            click.echo(f"CHECKPOINT FAILED: {check.first_failed.label}: {check.problem}{more}", err=True)
    if failed:
        raise SystemExit(1)


@audit_cli.command("checkpoint")
@click.option("--if-changed", is_flag=True,
              help="Do nothing (silently, exit 0) when no event has been recorded since the last checkpoint: "
                   "for cron jobs and timers.")
def checkpoint_command(if_changed: bool) -> None:
    """Sign the chain's head with the Ed25519 key at AUDIT_SIGNING_KEY_PATH (created on first use)."""
    path = checkpoints.signing_key_path()
    try:
        key, created = checkpoints.load_or_create_signing_key(path)
    except (checkpoints.SigningKeyError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    public = key.public_key()
    if created:
        click.echo(f"Created a new Ed25519 signing key at {path} (mode 0600). Keep it safe and out of the "
                   f"database and its backups. Its public key, fingerprint {checkpoints.key_fingerprint(public)}:")
        click.echo(checkpoints.public_key_pem(public), nl=False)
    try:
        checkpoint = call_service(checkpoints.create_checkpoint, key, if_changed=if_changed)
    except RuleViolation as exc:
        raise click.ClickException(str(exc)) from None
    if checkpoint is None:
        return
    click.echo(f"Signed checkpoint at event {checkpoint.seq}, head hash {checkpoint.head_hash}, "
               f"key {checkpoint.key_fingerprint}")


@audit_cli.command("rotate-key")
def rotate_key_command() -> None:
    """Replace the signing key: keep the old public key in the keyring, record the change, sign with the new key.

    The old private key is overwritten; its public half stays in
    AUDIT_PUBLIC_KEYRING_PATH (and at /audit/public-keys.pem), so every
    checkpoint it signed still verifies.
    """
    path, keyring = checkpoints.signing_key_path(), checkpoints.keyring_path()
    try:
        old_key = checkpoints.load_signing_key(path)
    except checkpoints.SigningKeyError as exc:
        raise click.ClickException(f"{exc} There is no key to rotate: `flask audit checkpoint` makes the first.") \
            from None
    try:
        checkpoints.add_to_keyring(keyring, old_key.public_key())
        new_key, pending = checkpoints.write_new_signing_key(path)
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"Cannot write the new key or the keyring: {exc}") from None
    try:
        checkpoint = call_service(checkpoints.rotate_signing_key, old_key, new_key)
    except BaseException:
        db.session.rollback()
        pending.unlink(missing_ok=True)
        raise
    os.replace(pending, path)
    public = new_key.public_key()
    click.echo(f"Rotated the signing key at {path}. The old public key, fingerprint "
               f"{checkpoints.key_fingerprint(old_key.public_key())}, is kept in {keyring}.")
    click.echo(f"New key fingerprint {checkpoints.key_fingerprint(public)}; signed checkpoint at event "
               f"{checkpoint.seq}. Its public key:")
    click.echo(checkpoints.public_key_pem(public), nl=False)
