"""The trail's background work: long verifications started from the page, and hourly checkpoints."""
from __future__ import annotations

from flask import current_app
from huey import crontab

from core.jobs import job, periodic_job
from core.transactions import call_service
from trail import checkpoints, verification


@job()
def run_verification(run_id: int, batch_size: int) -> None:
    """A verification an auditor started on /audit/verify, walked by a worker while the page shows progress.

    The run owns its transactions (verification.run_verification commits each
    batch), so it is the same whether a worker or, in immediate mode, the
    request itself runs it. A worker that dies mid-run leaves the run stale and
    the next start replaces it (verification.VERIFICATION_STALE_AFTER).
    """
    verification.run_verification(run_id, batch_size=batch_size)


def sign_checkpoint_if_changed() -> int | None:
    """Sign the chain's head when events were recorded since the last checkpoint; the event number signed.

    The same service as `flask audit checkpoint --if-changed`; the signing key
    is made on first use at AUDIT_SIGNING_KEY_PATH, so only the process that
    runs the scheduler needs to read it.
    """
    key, created = checkpoints.load_or_create_signing_key(checkpoints.signing_key_path())
    if created:
        current_app.logger.warning("Created a new audit signing key at %s, fingerprint %s",
                                   checkpoints.signing_key_path(), checkpoints.key_fingerprint(key.public_key()))
    checkpoint = call_service(checkpoints.create_checkpoint, key, if_changed=True)
    return checkpoint.seq if checkpoint is not None else None


@periodic_job(crontab(minute="7"))
def sign_checkpoint_hourly() -> int | None:
    return sign_checkpoint_if_changed()
