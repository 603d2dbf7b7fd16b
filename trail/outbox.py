"""Mail: queue in the caller's transaction, deliver later from the outbox.

Each delivery is itself an event on the trail ("mail.delivered"), so the outbox
sits on the trail's floor, where every package that sends mail can reach it.
"""
from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select

import trail
from core.clock import utcnow
from core.extensions import db
from core.models import OutboxMessage

# Set on the session when mail is queued: trail.outbox_jobs asks a worker to deliver once the session commits.
OUTBOX_QUEUED = "outbox_queued"


def queue_email(recipient: str, subject: str, body: str) -> OutboxMessage:
    """Write an email to the outbox; it is sent only if the transaction commits.

    Without a mail server (development) the message is also printed to the
    log, so a newcomer can follow a confirmation link from the terminal.
    """
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, created_at=utcnow(), attempts=0)
    db.session.add(message)
    db.session.flush()
    db.session.info[OUTBOX_QUEUED] = True  # a worker is asked to deliver it once this commits
    if not current_app.config.get("MAIL_SERVER"):
        current_app.logger.info("Email to %s: %s\n%s", recipient, subject, body)
    return message


MAX_ATTEMPTS = 8


def _smtp() -> smtplib.SMTP:
    config = current_app.config
    smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10)
    if config.get("MAIL_USE_TLS"):
        smtp.starttls()
    if config.get("MAIL_USERNAME"):
        smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    return smtp


def pending_message_ids(limit: int = 100) -> list[int]:
    return list(db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
        .order_by(OutboxMessage.id).limit(limit)
    ))


def message_id_header(message: OutboxMessage) -> str:
    """The same Message-ID on every attempt: if a server took a message but the line dropped before it said so,
    the retry is recognisably the same email, and receiving servers and clients drop the duplicate."""
    domain = current_app.config["MAIL_FROM"].rpartition("@")[2].strip("> ") or "localhost"
    return f"<outbox-{message.id}.{message.created_at:%Y%m%d%H%M%S}@{domain}>"


def deliver_message(message_id: int, smtp: smtplib.SMTP) -> bool:
    """Send one queued message; the caller commits straight after.

    The row is locked (PostgreSQL) and re-checked, so two workers never send the
    same message, and it is marked sent only once the SMTP server accepted it.
    A failure leaves it queued with the error and one more attempt counted.
    """
    query = select(OutboxMessage).where(OutboxMessage.id == message_id)
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    message = db.session.scalar(query)
    if message is None or message.sent_at is not None:
        return False
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = message_id_header(message)
    email.set_content(message.body)
    message.attempts += 1
    try:
        smtp.send_message(email)
    except (OSError, smtplib.SMTPException) as exc:
        message.last_error = str(exc)[:1000]
        db.session.flush()
        return False
    message.sent_at = utcnow()
    message.last_error = None
    db.session.flush()
    trail.record("mail.delivered", subject=message, summary=f"Email delivered: {message.subject}",
                 payload={"outbox_id": message.id, "attempt": message.attempts})
    return True


def deliver_outbox(limit: int = 100) -> tuple[int, int]:
    """Deliver what is queued, committing after every message; return (sent, failed).

    If the mail server is down nothing is lost: every message stays queued and
    the next run tries again (up to MAX_ATTEMPTS).
    """
    ids = pending_message_ids(limit)
    sent = failed = 0
    smtp: smtplib.SMTP | None = None
    try:
        for done, message_id in enumerate(ids):
            if smtp is None:
                # A connection that broke mid-message is opened afresh: the messages
                # after it were never offered, so they must not be charged an attempt.
                try:
                    smtp = _smtp()
                except (OSError, smtplib.SMTPException) as exc:
                    current_app.logger.warning("Mail server unreachable (%s); %d message(s) stay queued",
                                               exc, len(ids) - done)
                    return sent, failed + len(ids) - done
            if deliver_message(message_id, smtp):
                sent += 1
            else:
                failed += 1
            db.session.commit()
            if smtp.sock is None:  # smtplib closes the socket when the server drops the line
                smtp = None
    finally:
        if smtp is not None:
            with smtp:  # QUIT, then close
                pass
    return sent, failed
