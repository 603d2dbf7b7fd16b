"""The soak test's mail server: an aiosmtpd sink on loopback that keeps every message it accepts.

bench/soak.py points gunicorn and the delivery loop (`flask outbox deliver`) at it, stops
it for the middle third of the run (a mail outage: connections are refused) and starts it
again on the same port. Afterwards soak_check.py compares what it received with the outbox.
"""
from __future__ import annotations

import json
import socket
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """aiosmtpd handler: every accepted message, with its envelope recipients, in arrival order."""

    def __init__(self) -> None:
        self.messages: list[dict] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        body = message.get_body(preferencelist=("plain",))
        record = {"to": list(envelope.rcpt_tos), "message_id": str(message["Message-ID"] or ""),
                  "subject": str(message["Subject"] or ""),
                  "body": body.get_content() if body is not None else "", "at": time.time()}
        with self._lock:
            self.messages.append(record)
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self._lock:
            return len(self.messages)

    def dump(self, path: Path) -> None:
        with self._lock:
            path.write_text(json.dumps(self.messages))


class MailServer:
    """Start, stop and restart the sink on one loopback port; remembers when it was down."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self._controller: Controller | None = None
        self.outages: list[tuple[float, float | None]] = []  # (stopped at, restarted at) as time.time()

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> None:
        if self._controller is None:
            controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
            controller.start()
            self._controller = controller
            if self.outages and self.outages[-1][1] is None:
                self.outages[-1] = (self.outages[-1][0], time.time())

    def stop(self, outage: bool = True) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
            if outage:
                self.outages.append((time.time(), None))
