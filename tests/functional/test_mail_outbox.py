"""Email leaves through the outbox to a real SMTP server on loopback."""
from __future__ import annotations

import socket

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from core.models import OutboxMessage
from trail.outbox import deliver_outbox, queue_email


class Inbox:
    def __init__(self):
        self.messages: list[tuple[str, list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpServer:
    """A real SMTP server on loopback that can be taken down and brought back on the same port."""

    def __init__(self):
        self.inbox = Inbox()
        self.port = _free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(app):
    server = SmtpServer()
    server.start()
    old = app.config["MAIL_SERVER"], app.config["MAIL_PORT"]
    app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = "127.0.0.1", server.port
    yield server.inbox, server
    app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = old
    server.stop()


def test_queued_mail_is_delivered_once_over_smtp(db, smtp_server):
    inbox, _ = smtp_server
    queue_email("kim@council.example", "Hello", "Body text")
    db.session.commit()
    assert deliver_outbox() == (1, 0)
    assert deliver_outbox() == (0, 0)
    assert len(inbox.messages) == 1
    sender, recipients, content = inbox.messages[0]
    assert recipients == ["kim@council.example"] and "Subject: Hello" in content and "Body text" in content
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "kim@council.example")).one()
    assert message.sent_at is not None and message.attempts == 1


def test_mail_stays_queued_while_the_server_is_down_and_goes_when_it_returns(app, db, smtp_server):
    inbox, controller = smtp_server
    queue_email("ali@provider.example", "Queued", "Wait for it")
    db.session.commit()
    controller.stop()
    assert deliver_outbox() == (0, 1)
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "ali@provider.example")).one()
    assert message.sent_at is None
    controller.start()
    assert deliver_outbox() == (1, 0)
    assert [m[1] for m in inbox.messages] == [["ali@provider.example"]]


def test_a_retried_email_carries_the_same_message_id_so_a_duplicate_can_be_dropped(app, db, smtp_server):
    inbox, controller = smtp_server
    queue_email("lee@provider.example", "Twice?", "Once only")
    db.session.commit()
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "lee@provider.example")).one()
    controller.stop()
    assert deliver_outbox() == (0, 1)
    controller.start()
    assert deliver_outbox() == (1, 0)
    [(_, _, content)] = inbox.messages
    expected = f"Message-ID: <outbox-{message.id}.{message.created_at:%Y%m%d%H%M%S}@"
    assert expected in content


def test_registration_email_goes_out_through_the_outbox_cli(db, runner, smtp_server, org_factory):
    from accounts import services

    inbox, _ = smtp_server
    services.register(full_name="Sam Doe", email="sam@provider.example", password="maple-orbit-lantern-47",
                      organisation=org_factory("provider"))
    db.session.commit()
    result = runner.invoke(args=["outbox", "deliver"])
    assert result.exit_code == 0, result.output
    assert any("sam@provider.example" in m[1] and "/confirm/" in m[2] for m in inbox.messages)
