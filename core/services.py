"""Mail: queue in the caller's transaction, deliver later from the outbox."""
from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select

import audit
from audit.services import utcnow
from core.extensions import db
from core.models import OutboxMessage


def queue_email(recipient: str, subject: str, body: str) -> OutboxMessage:
    """Write an email to the outbox; it is sent only if the transaction commits.

    Without a mail server (development) the message is also printed to the
    log, so a newcomer can follow a confirmation link from the terminal.
    """
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, created_at=utcnow(), attempts=0)
    db.session.add(message)
    db.session.flush()
    if not current_app.config.get("MAIL_SERVER"):
        current_app.logger.info("Email to %s: %s\n%s", recipient, subject, body)
    return message


def _smtp() -> smtplib.SMTP:
    config = current_app.config
    smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10)
    if config.get("MAIL_USE_TLS"):
        smtp.starttls()
    if config.get("MAIL_USERNAME"):
        smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    return smtp


def deliver_outbox(limit: int = 100) -> tuple[int, int]:
    """Send pending messages; return (sent, failed). Failures stay queued.

    Each message is marked sent only after the SMTP server accepted it, and the
    caller commits after every run, so a crash re-sends at most the message in
    flight rather than losing any.
    """
    pending = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.sent_at.is_(None)).order_by(OutboxMessage.id).limit(limit)
    ).all()
    if not pending:
        return 0, 0
    sent, failed = [], []
    try:
        smtp = _smtp()
    except (OSError, smtplib.SMTPException) as exc:
        for message in pending:
            message.attempts += 1
            message.last_error = f"connect: {exc}"
        db.session.flush()
        return 0, len(pending)
    with smtp:
        for message in pending:
            email = EmailMessage()
            email["From"] = current_app.config["MAIL_FROM"]
            email["To"] = message.recipient
            email["Subject"] = message.subject
            email.set_content(message.body)
            message.attempts += 1
            try:
                smtp.send_message(email)
            except (OSError, smtplib.SMTPException) as exc:
                message.last_error = str(exc)
                failed.append(message.id)
                continue
            message.sent_at = utcnow()
            message.last_error = None
            sent.append(message.id)
    db.session.flush()
    if sent:
        audit.record("mail.delivered", summary=f"Delivered {len(sent)} queued email(s)",
                     payload={"outbox_ids": sent, "failed_ids": failed})
    return len(sent), len(failed)
