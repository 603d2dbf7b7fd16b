"""The outbox survives a mail server that is down, or that drops the line mid-message.

A real aiosmtpd server on loopback. While nothing listens on the mail port,
people still register over HTTP (no 500), their confirmation emails wait in the
outbox, and however many delivery runs fail, none of them is spent or lost.
When the server comes up every message arrives exactly once. A server that
accepts a message's DATA and then drops the connection before answering costs
only that message one attempt: the rest of the run goes on over a new
connection, and the dropped one goes out on the next run.
"""
from __future__ import annotations

import re
import socket
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from accounts import services as accounts
from core.models import OutboxMessage
from tests.conftest import serial, submit
from trail.outbox import MAX_ATTEMPTS, deliver_outbox

pytestmark = serial

STRONG = "maple-orbit-lantern-47"


class Inbox:
    """Keeps what it accepts; drops the connection, unanswered, on the DATA commands numbered in `drop_on`."""

    def __init__(self, drop_on: tuple[int, ...] = ()):
        self.messages: list[tuple[list[str], object]] = []
        self.data_commands = 0
        self.drop_on = set(drop_on)

    async def handle_DATA(self, server, session, envelope):
        self.data_commands += 1
        if self.data_commands in self.drop_on:
            server.transport.abort()  # the line goes dead before the server says 250
            raise ConnectionResetError("test server dropped the connection mid-transaction")
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        return sorted(to for tos, _ in self.messages for to in tos)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mail_port(app, monkeypatch) -> int:
    """The app's mail server is a loopback port where, for now, nothing listens."""
    port = _free_port()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    return port


@pytest.fixture
def start_server(mail_port):
    controllers: list[Controller] = []

    def start(inbox: Inbox) -> Inbox:
        controller = Controller(inbox, hostname="127.0.0.1", port=mail_port)
        controller.start()
        controllers.append(controller)
        return inbox

    yield start
    for controller in controllers:
        controller.stop()


def _queued(db, emails: list[str]) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient.in_(emails))
                                   .order_by(OutboxMessage.id)))


def test_mail_queued_while_the_server_is_down_waits_and_then_arrives_exactly_once(client, db, runner, start_server):
    emails = [f"outage{n}@provider.example" for n in range(3)]
    for n, email in enumerate(emails):
        response = submit(client, "/register", {
            "full_name": f"Outage Person{n}", "email": email, "password": STRONG, "password_confirm": STRONG,
            "organisation": "new", "org_name": f"Outage Homes {n}", "org_kind": "provider",
            "provider_type": "voluntary", "council": "", "region": "North West"})
        assert response.status_code == 302 and "/register/check-email" in response.headers["Location"]
    assert len(_queued(db, emails)) == 3

    # A longer outage than the attempt limit: refused connections spend no attempts.
    for _ in range(MAX_ATTEMPTS + 2):
        result = runner.invoke(args=["outbox", "deliver"])
        assert result.exit_code == 0, result.output
        assert "Sent 0, failed 3" in result.output
    queued = _queued(db, emails)
    assert [(m.sent_at, m.attempts) for m in queued] == [(None, 0)] * 3

    inbox = start_server(Inbox())
    assert runner.invoke(args=["outbox", "deliver"]).output.strip() == "Sent 3, failed 0 (failures stay queued)."
    assert inbox.recipients() == sorted(emails)
    for _to, message in inbox.messages:
        assert "/confirm/" in message.get_payload(decode=True).decode()
    assert all(m.sent_at is not None and m.attempts == 1 for m in _queued(db, emails))

    result = runner.invoke(args=["outbox", "deliver"])
    assert result.exit_code == 0 and result.output == ""
    assert inbox.recipients() == sorted(emails)


def test_a_connection_dropped_mid_message_costs_only_that_message_one_attempt(db, org_factory, start_server):
    emails = [f"dropped{n}@provider.example" for n in range(4)]
    for n, email in enumerate(emails):
        accounts.register(full_name=f"Dropped Person{n}", email=email, password=STRONG,
                          organisation=org_factory("provider"))
    db.session.commit()
    inbox = start_server(Inbox(drop_on=(2,)))

    assert deliver_outbox() == (3, 1)
    first, second, third, fourth = _queued(db, emails)
    assert second.sent_at is None and second.attempts == 1 and second.last_error
    # The messages after the drop went out over a new connection; none was charged for the broken one.
    assert [(m.sent_at is not None, m.attempts, m.last_error) for m in (first, third, fourth)] == [(True, 1, None)] * 3
    assert inbox.recipients() == sorted([emails[0], emails[2], emails[3]])

    assert deliver_outbox() == (1, 0)
    assert deliver_outbox() == (0, 0)
    assert inbox.recipients() == sorted(emails)
    second = _queued(db, emails)[1]
    assert second.sent_at is not None and second.attempts == 2 and second.last_error is None
    links = [re.search(r"/confirm/\S+", m.get_payload(decode=True).decode()).group(0) for _, m in inbox.messages]
    assert len(set(links)) == 4


def test_a_server_that_drops_every_message_is_retried_until_the_limit_and_loses_nothing_before(db, org_factory,
                                                                                              start_server):
    email = "flaky@provider.example"
    accounts.register(full_name="Flaky Person", email=email, password=STRONG, organisation=org_factory("provider"))
    db.session.commit()
    inbox = start_server(Inbox(drop_on=tuple(range(1, MAX_ATTEMPTS))))

    for attempt in range(1, MAX_ATTEMPTS):
        assert deliver_outbox() == (0, 1)
        (message,) = _queued(db, [email])
        assert message.sent_at is None and message.attempts == attempt
    assert deliver_outbox() == (1, 0)  # the last permitted attempt goes through
    assert inbox.recipients() == [email]
    assert deliver_outbox() == (0, 0)
