"""After the soak: is every acknowledged write in the database, and did every email arrive exactly once?

Run by bench/soak.py in the soak's environment (DATABASE_URL, SECRET_KEY...), once gunicorn has
stopped and the outbox has been drained:

    python bench/soak_check.py WRITES.jsonl INBOX.json OUTAGES.json RESULT.json

WRITES.jsonl: one line per write the server acknowledged to a simulated person (soak_locustfile.py
writes it): forum replies and threads (their ids from the redirect, a unique marker in the text),
clarification questions and answers (marker), sealed responses (the receipt's number and SHA-256,
marker in the method statement), registrations (the email address). Each must exist with its
audit event; a response must decrypt to a submission holding its marker and hashing to its receipt.

INBOX.json: what the loopback SMTP server received (soak_mail.py). Every outbox message marked sent
must have been received exactly once, checked two ways: by its Message-ID, which the app derives from
the outbox id and keeps across retries (trail.outbox.message_id_header), each received once and no
other received; and by content, the multiset of (recipient, subject, body) received against the one
marked sent. Nothing may be left unsent, and nothing given up after MAX_ATTEMPTS.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

AUDIT_ACTION = {"reply": "forum.post_created", "thread": "forum.thread_started", "clarification": "clarification.asked",
                "answer": "clarification.answered", "response": "response.submitted", "registration": "account.created"}


def _norm(text: str) -> str:
    return " ".join((text or "").split())


def _utc(ts: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(ts, datetime.UTC).replace(tzinfo=None)


def check_writes(writes: list[dict]) -> dict:
    from sqlalchemy import func, select

    from accounts.models import User
    from core.extensions import db
    from core.models import OutboxMessage
    from forum.models import Post, Thread
    from tenders import crypto
    from tenders.models import Clarification, TenderResponse
    from tenders.services.responses import sealed_ciphertext
    from trail.models import AuditEvent

    session = db.session

    def audited(kind: str, table: str, ident: int, marker: str | None = None) -> bool:
        events = session.scalars(select(AuditEvent).where(
            AuditEvent.action == AUDIT_ACTION[kind], AuditEvent.subject_type == table,
            AuditEvent.subject_id == str(ident))).all()
        return any(marker is None or marker in (event.payload or "") for event in events)

    def one(write: dict) -> str | None:
        """None if the write is there with its audit event, else what is wrong."""
        kind, marker = write["kind"], write.get("marker")
        if kind == "reply":
            post = session.get(Post, write["post_id"])
            if post is None or marker not in post.body_md:
                return "no such post with its marker"
            return None if audited(kind, "forum_post", post.id) else "post has no forum.post_created event"
        if kind == "thread":
            thread = session.get(Thread, write["thread_id"])
            if thread is None or marker not in thread.title:
                return "no such thread with its marker"
            return None if audited(kind, "forum_thread", thread.id, marker) else "thread has no audit event"
        if kind == "clarification":
            found = session.scalars(select(Clarification).where(Clarification.question.contains(marker))).all()
            if len(found) != 1:
                return f"{len(found)} clarifications hold the marker"
            return None if audited(kind, "clarification", found[0].id, marker) else "question has no audit event"
        if kind == "answer":
            clarification = session.get(Clarification, write["clarification_id"])
            if clarification is None or marker not in (clarification.answer_md or ""):
                return "the clarification does not hold this answer (answered twice, one overwriting the other?)"
            return None if audited(kind, "clarification", clarification.id, marker) else "answer has no audit event"
        if kind == "response":
            response = session.get(TenderResponse, write["response_id"])
            if response is None:
                return "no such response"
            if response.sha256 != write["sha256"]:
                return "stored SHA-256 differs from the receipt"
            plaintext = crypto.decrypt(sealed_ciphertext(response))
            if hashlib.sha256(plaintext).hexdigest() != write["sha256"] or marker.encode() not in plaintext:
                return "sealed content does not match the receipt"
            return None if audited(kind, "tender_response", response.id, write["sha256"]) else \
                "response has no response.submitted event"
        if kind == "registration":
            user = session.scalar(select(User).where(func.lower(User.email) == write["email"].lower()))
            if user is None:
                return "no such account"
            if not audited(kind, "user", user.id):
                return "account has no account.created event"
            queued = session.scalar(select(func.count()).select_from(OutboxMessage)
                                    .where(OutboxMessage.recipient == user.email))
            return None if queued else "no confirmation email queued"
        return f"unknown kind {kind}"

    by_kind: dict[str, dict] = {}
    missing: list[str] = []
    for write in writes:
        row = by_kind.setdefault(write["kind"], {"acknowledged": 0, "found": 0})
        row["acknowledged"] += 1
        problem = one(write)
        if problem is None:
            row["found"] += 1
        elif len(missing) < 30:
            missing.append(f"{write}: {problem}")

    # Replacement under concurrency: at most one current response per organisation and procurement.
    doubled = session.execute(
        select(TenderResponse.procurement_id, TenderResponse.provider_org_id, func.count())
        .where(TenderResponse.status == "submitted")
        .group_by(TenderResponse.procurement_id, TenderResponse.provider_org_id).having(func.count() > 1)).all()
    answered_twice = session.execute(
        select(AuditEvent.subject_id, func.count()).where(AuditEvent.action == "clarification.answered")
        .group_by(AuditEvent.subject_id).having(func.count() > 1)).all()
    return {"by_kind": by_kind, "missing": missing,
            "acknowledged": sum(r["acknowledged"] for r in by_kind.values()),
            "found": sum(r["found"] for r in by_kind.values()),
            "current_responses_doubled": [list(r) for r in doubled],
            "clarifications_answered_twice": [list(r) for r in answered_twice]}


def check_mail(inbox: list[dict], outages: list[list[float | None]]) -> dict:
    from sqlalchemy import func, select

    from core.extensions import db
    from core.models import OutboxMessage
    from trail.models import AuditEvent
    from trail.outbox import MAX_ATTEMPTS, message_id_header

    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    sent = [m for m in rows if m.sent_at is not None]
    unsent = [m for m in rows if m.sent_at is None]
    given_up = [m for m in unsent if m.attempts >= MAX_ATTEMPTS]
    expected = Counter((_norm(m.recipient), _norm(m.subject), _norm(m.body)) for m in sent)
    received = Counter((_norm(to), _norm(msg["subject"]), _norm(msg["body"])) for msg in inbox for to in msg["to"])
    extra = received - expected
    duplicates = sum(n for key, n in extra.items() if key in expected)
    unknown = sum(n for key, n in extra.items() if key not in expected)
    not_received = sum((expected - received).values())
    expected_ids = {message_id_header(m) for m in sent}
    received_ids = Counter(msg["message_id"] for msg in inbox)

    delivered_events = Counter()
    for payload in db.session.scalars(select(AuditEvent.payload).where(AuditEvent.action == "mail.delivered")):
        delivered_events[json.loads(payload or "{}").get("outbox_id")] += 1

    result = {"outbox": len(rows), "sent": len(sent), "unsent": len(unsent), "given_up": len(given_up),
              "received": sum(len(msg["to"]) for msg in inbox), "duplicates": duplicates, "unknown": unknown,
              "not_received": not_received, "retried": sum(1 for m in sent if m.attempts > 1),
              "ids_received_twice": sum(1 for key, n in received_ids.items() if n > 1 and key in expected_ids),
              "ids_not_received": len(expected_ids - received_ids.keys()),
              "ids_unknown": sum(n for key, n in received_ids.items() if key not in expected_ids),
              "delivered_events": sum(delivered_events.values()),
              "outbox_ids_delivered_twice": sorted(k for k, n in delivered_events.items() if n > 1)[:20],
              "unsent_examples": [f"#{m.id} to {m.recipient}: attempts {m.attempts}, {m.last_error}"
                                  for m in unsent[:10]]}
    windows = []
    for stopped, restarted in outages:
        start, end = _utc(stopped), _utc(restarted) if restarted else None
        queued = [m for m in rows if m.created_at >= start and (end is None or m.created_at < end)]
        windows.append({
            "seconds": round((restarted or stopped) - stopped),
            "queued_during": len(queued),
            "sent_during": sum(1 for m in sent if m.sent_at >= start and (end is None or m.sent_at < end)),
            "queued_during_then_sent_after": sum(1 for m in queued if m.sent_at is not None
                                                 and end is not None and m.sent_at >= end),
            "received_during": sum(1 for msg in inbox if stopped <= msg["at"] < (restarted or float("inf")))})
    result["outages"] = windows
    result["unsent_total_check"] = db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.sent_at.is_(None)))
    return result


def main() -> None:
    writes_path, inbox_path, outages_path, out_path = map(Path, sys.argv[1:5])
    from commons import create_app

    app = create_app()
    writes = [json.loads(line) for line in writes_path.read_text().splitlines() if line.strip()] \
        if writes_path.exists() else []
    with app.app_context():
        result = {"writes": check_writes(writes),
                  "mail": check_mail(json.loads(inbox_path.read_text()), json.loads(outages_path.read_text()))}
    out_path.write_text(json.dumps(result, indent=1, default=str))


if __name__ == "__main__":
    main()
