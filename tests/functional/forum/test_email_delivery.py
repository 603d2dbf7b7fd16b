"""Notification email reaches a real SMTP server on loopback through `flask outbox deliver`."""
from __future__ import annotations

import socket
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from core.models import OutboxMessage
from forum import services


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(app, monkeypatch):
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    try:
        yield inbox
    finally:
        controller.stop()


def test_new_thread_email_is_delivered_over_smtp_once(db, runner, smtp_server, forum, member, commissioner):
    services.start_thread(forum, commissioner, "Market engagement dates", "Dates for the spring sessions")
    db.session.commit()
    result = runner.invoke(args=["outbox", "deliver"])
    assert result.exit_code == 0, result.output
    delivered = [(to, msg) for to, msg in smtp_server.messages if "Market engagement dates" in msg["Subject"]]
    assert len(delivered) == 1
    recipients, message = delivered[0]
    assert recipients == [member.email]
    assert f"/forums/{forum.slug}/threads/" in message.get_payload(decode=True).decode()
    sent = db.session.scalars(select(OutboxMessage).where(OutboxMessage.subject.contains("Market engagement"))).one()
    assert sent.sent_at is not None
    count = len(smtp_server.messages)
    assert runner.invoke(args=["outbox", "deliver"]).exit_code == 0
    assert len(smtp_server.messages) == count  # never sent twice


def test_daily_digest_command_queues_digests_for_delivery(db, runner, smtp_server, forum, member, commissioner):
    services.set_email_mode(member, "daily")
    services.start_thread(forum, commissioner, "Digest item one", "x")
    services.start_thread(forum, commissioner, "Digest item two", "y")
    db.session.commit()
    result = runner.invoke(args=["forum", "digest"])
    assert result.exit_code == 0 and "Queued 1 digest email" in result.output
    assert runner.invoke(args=["outbox", "deliver"]).exit_code == 0
    digests = [msg for to, msg in smtp_server.messages if to == [member.email] and "update(s)" in msg["Subject"]]
    assert len(digests) == 1
    body = digests[0].get_payload(decode=True).decode()
    assert "Digest item one" in body and "Digest item two" in body
