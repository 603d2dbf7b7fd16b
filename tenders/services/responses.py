"""Sealed responses and the two-person opening (sealed responses).

The submission is serialised canonically, hashed (the receipt) and encrypted
before it touches the database. The only code that decrypts is `open_box` (to
verify every response at opening) and `read_response`, and both refuse until
the deadline has passed and two different commissioners have opened the box.
"""
from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

import trail
from accounts import policy as accounts_policy
from accounts.models import User, Viewer
from core import storage
from core.errors import DomainError, NotPermitted, RuleViolation
from core.extensions import db
from core.text import refusal
from core.timezones import uk_when
from tenders import crypto, policy
from tenders.models import Procurement, ResponseStatus, TenderResponse
from tenders.receipts import sealed_documents
from tenders.services import conflicts, drafts
from tenders.services.common import (
    lock,
    move,
    published_version,
    refuse,
    require_stage,
    response_deadline,
    safe_filename,
)
from tenders.services.opening_notices import tell_second_commissioners
from tenders.services.procurements import MAX_PENCE
from trail.chain import event_fields
from trail.models import AuditEvent
from trail.outbox import queue_email


@dataclass
class Document:
    filename: str
    content_type: str
    data: bytes


@dataclass
class Receipt:
    response_id: int
    reference: str
    sha256: str
    submitted_at: datetime
    size_bytes: int
    status: str
    # The sealed response.submitted event as the chain holds it: its hashed fields (payload_hash and
    # prev_hash among them), its payload text and its hash, so the bidder can check the chain holds
    # their submission without anyone else learning of it before the opening.
    event_seq: int | None = None
    event_fields: dict[str, Any] | None = None
    event_payload: str | None = None
    event_hash: str | None = None
    documents: tuple[tuple[str, str], ...] = ()  # (file name, SHA-256 of its bytes) as sealed

    @property
    def text(self) -> str:
        """The receipt as plain text: what is emailed and downloaded."""
        from tenders.receipts import receipt_text

        return receipt_text(self)


SEALED_MESSAGE = ("This response is sealed: nobody can see it, or learn whether it exists, until the deadline has "
                  "passed and two commissioners have opened the responses.")


class UnreadableResponse(DomainError):
    """The stored ciphertext cannot be decrypted with the sealing key in use (cryptography's InvalidToken).

    Nothing is wrong with the bid: the key that sealed it is missing from the
    configuration. The page says so, and the auditors' dashboard lists it.
    """

    def __init__(self, response: TenderResponse) -> None:
        self.response = response
        super().__init__(
            f"Response {response.id} cannot be decrypted with the sealing key this service is using. The response "
            "is stored intact, but the key that sealed it is not configured: an operator must restore that key "
            "(RESPONSE_ENCRYPTION_KEY; keys are comma-separated, so the old one can be added after the new). "
            "Nothing has been changed, and the auditors' attention dashboard lists the response until it can be "
            "read.")


def sealed_ciphertext(response: TenderResponse) -> bytes:
    """The stored ciphertext, whole (Fernet decrypts whole tokens), checked against the hash it was stored with."""
    return storage.read_bytes(response.sealed_file)


def _decrypt(response: TenderResponse) -> bytes:
    try:
        return crypto.decrypt(sealed_ciphertext(response))
    except (crypto.InvalidToken, storage.CorruptFile):
        raise UnreadableResponse(response) from None


def is_readable(response: TenderResponse) -> bool:
    """Whether the sealing keys in use can decrypt the response (the attention dashboard asks)."""
    try:
        crypto.decrypt(sealed_ciphertext(response))
    except (crypto.InvalidToken, storage.CorruptFile):
        return False
    return True


def find_response(procurement: Procurement, response_id: int, actor: Viewer, attempted: str) -> TenderResponse | None:
    """The response a page is addressed to, or None when the procurement has no such response.

    Before the opening, anyone but the organisation that sent it is refused in
    the same words whether or not it exists, so trying numbers reveals nothing.
    """
    response = db.session.get(TenderResponse, response_id)
    if response is not None and response.procurement_id != procurement.id:
        response = None
    own = response is not None and accounts_policy.is_provider(actor) and \
        actor.organisation_id == response.provider_org_id
    if not procurement.is_opened and not own:
        raise refuse(actor, procurement, attempted, "sealed until the deadline and a two-person opening",
                     SEALED_MESSAGE)
    return response


def canonical_submission(*, procurement: Procurement, provider_org_id: int, method_statement: str,
                         commitments: dict[int, str], price_pence: int, documents: list[Document],
                         criterion_answers: dict[int, str] | None = None) -> bytes:
    """Exactly the bytes that are encrypted and stored; the receipt is their SHA-256."""
    content = {
        "procurement": procurement.reference,
        "provider_org_id": provider_org_id,
        "spec_version": published_version(procurement).number,
        "method_statement": method_statement,
        "commitments": {str(k): v for k, v in sorted(commitments.items())},
        "criterion_answers": {str(k): v for k, v in sorted((criterion_answers or {}).items())},
        "price_pence": price_pence,
        "documents": [{"filename": d.filename, "content_type": d.content_type,
                       "sha256": hashlib.sha256(d.data).hexdigest(),
                       "data": base64.b64encode(d.data).decode()} for d in documents],
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def criterion_answer_problems(procurement: Procurement, answers: dict[int, str]) -> dict[str, str]:
    """Every quality award criterion needs an answer the evaluators can score (price is the price)."""
    for criterion in (c for c in procurement.criteria if c.kind == "quality"):
        text = answers.get(criterion.id) or ""
        if not text.strip():
            return {"criterion_answers": f"Answer every award criterion: “{criterion.name}” has no answer"}
        if (message := refusal(text)) is not None:
            return {"criterion_answers": f"Your answer on “{criterion.name}”: {message}"}
    return {}


def current_response(procurement: Procurement, org_id: int) -> TenderResponse | None:
    """The organisation's latest response that still counts (submitted), if any."""
    return db.session.scalar(select(TenderResponse).where(
        TenderResponse.procurement_id == procurement.id, TenderResponse.provider_org_id == org_id,
        TenderResponse.status == ResponseStatus.SUBMITTED).order_by(TenderResponse.id.desc()).limit(1))


def _require_before_deadline(procurement: Procurement, actor: User, now: datetime, doing: str) -> None:
    deadline = response_deadline(procurement)
    if now >= deadline:
        # Sealed: a late withdrawal or re-confirmation would tell that the organisation bid.
        trail.record_refusal(actor, f"response.{doing}", "after the response deadline",
                                      detail={"procurement_id": procurement.id, "at": now.isoformat()},
                                      procurement_id=procurement.id, sealed=True)
        raise RuleViolation({"": f"The response deadline passed on {uk_when(deadline)}: "
                                 f"you can no longer {doing} a response"})


def submit_response(procurement: Procurement, actor: User, *, method_statement: str, commitments: dict[int, str],
                    criterion_answers: dict[int, str], price_pence: int | None, documents: list[Document],
                    now: datetime) -> Receipt:
    """Seal and store a response (replacing the organisation's earlier one) and return its receipt."""
    lock(procurement)
    if not accounts_policy.can_submit_tender_responses(actor):
        if accounts_policy.is_provider(actor):
            trail.record_refusal(actor, "response.submit", "organisation not verified",
                                          detail={"procurement_id": procurement.id},
                                          procurement_id=procurement.id)
            raise RuleViolation(
                {
                    "": "Your organisation has not been verified yet. An administrator must check it "
                    "(Ofsted URN, Companies House or charity number) before you can submit a response."
                }
            )
        raise refuse(actor, procurement, "response.submit", "only verified providers submit responses",
                     "Only verified provider organisations can submit responses.")
    require_stage(procurement, ("tender",), "submit a response")
    _require_before_deadline(procurement, actor, now, "submit")
    reasons = {}
    if not (method_statement or "").strip():
        reasons["method_statement"] = "Enter your method statement"
    if price_pence is None or not 0 < price_pence < MAX_PENCE:
        reasons["price"] = "Enter your price (including VAT) in pounds"
    outcomes = published_version(procurement).outcomes
    wanted = {o.id for o in outcomes}
    missing = [o for o in outcomes if not (commitments.get(o.id) or "").strip()]
    if missing:
        reasons["commitments"] = "Say what you commit to for every outcome: " + ", ".join(
            f"outcome {o.position}" for o in missing) + " has no commitment"
    unshowable = [(o, refusal(commitments.get(o.id))) for o in outcomes if refusal(commitments.get(o.id))]
    if unshowable and "commitments" not in reasons:
        outcome, message = unshowable[0]
        reasons["commitments"] = f"Your commitment for outcome {outcome.position}: {message}"
    reasons.update(criterion_answer_problems(procurement, criterion_answers))
    if reasons or price_pence is None:  # a missing price is always among the reasons
        raise RuleViolation(reasons)
    clean_commitments = {k: v.strip() for k, v in commitments.items() if k in wanted}
    quality = {c.id for c in procurement.criteria if c.kind == "quality"}
    clean_answers = {k: v.strip() for k, v in criterion_answers.items() if k in quality}
    documents = [Document(safe_filename(d.filename), d.content_type, d.data) for d in documents]
    plaintext = canonical_submission(procurement=procurement, provider_org_id=actor.organisation_id,
                                     method_statement=method_statement.strip(), commitments=clean_commitments,
                                     price_pence=price_pence, documents=documents, criterion_answers=clean_answers)
    digest = hashlib.sha256(plaintext).hexdigest()
    previous = current_response(procurement, actor.organisation_id)
    if previous is not None:
        previous.status = ResponseStatus.SUPERSEDED
    response = TenderResponse(procurement_id=procurement.id, provider_org_id=actor.organisation_id,
                              submitted_by_id=actor.id, status=ResponseStatus.SUBMITTED,
                              sealed_file=storage.store(crypto.encrypt(plaintext), now=now),
                              sha256=digest, size_bytes=len(plaintext), submitted_at=now)
    db.session.add(response)
    db.session.flush()
    trail.record_sealed(
        "response.submitted", actor=actor, subject=response, procurement_id=procurement.id,
        summary=f"Sealed response from {actor.organisation.name} received for {procurement.reference}, "
                f"SHA-256 {digest}",
        payload={"response_id": response.id, "provider": actor.organisation.name,
                 "provider_org_id": actor.organisation_id, "sha256": digest, "submitted_at": now.isoformat(),
                 "size_bytes": len(plaintext), "replaces": previous.id if previous else None,
                 "documents": [{"filename": d.filename, "sha256": hashlib.sha256(d.data).hexdigest()}
                               for d in documents]})
    drafts.discard_draft(procurement, actor.organisation_id)
    receipt = _receipt(procurement, response)
    queue_email(actor.email, f"{procurement.reference}: receipt for your sealed response", receipt.text)
    return receipt


def _receipt(procurement: Procurement, response: TenderResponse) -> Receipt:
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "response.submitted", AuditEvent.subject_type == TenderResponse.__tablename__,
        AuditEvent.subject_id == str(response.id)).order_by(AuditEvent.seq).limit(1))
    return Receipt(response.id, procurement.reference, response.sha256, response.submitted_at, response.size_bytes,
                   response.status, event_seq=event.seq if event else None,
                   event_fields=event_fields(event) if event else None,
                   event_payload=event.payload if event else None, event_hash=event.hash if event else None,
                   documents=sealed_documents(event.payload) if event else ())


def withdraw_response(response: TenderResponse, actor: User, *, now: datetime) -> TenderResponse:
    """Take a response back before the deadline (a new one can be submitted after)."""
    procurement = db.session.get_one(Procurement, response.procurement_id)
    lock(procurement)
    if not (accounts_policy.is_provider(actor) and actor.organisation_id == response.provider_org_id):
        raise refuse(actor, procurement, "response.withdraw", "not the responding organisation",
                     "Only the organisation that submitted a response can withdraw it.")
    require_stage(procurement, ("tender",), "withdraw a response")
    _require_before_deadline(procurement, actor, now, "withdraw")
    if response.status != ResponseStatus.SUBMITTED:
        raise RuleViolation({"": "This response is not current: there is nothing to withdraw"})
    response.status = ResponseStatus.WITHDRAWN
    response.withdrawn_at = now
    db.session.flush()
    trail.record_sealed(
        "response.withdrawn", actor=actor, subject=response, procurement_id=procurement.id,
        summary=f"Response {response.id} from {actor.organisation.name} to {procurement.reference} withdrawn",
        payload={"response_id": response.id, "provider": actor.organisation.name, "sha256": response.sha256})
    return response


def reconfirm_response(response: TenderResponse, actor: User, *, now: datetime) -> TenderResponse:
    """After a specification change: the bidder confirms its response stands."""
    procurement = db.session.get_one(Procurement, response.procurement_id)
    lock(procurement)
    if not (accounts_policy.is_provider(actor) and actor.organisation_id == response.provider_org_id):
        raise refuse(actor, procurement, "response.reconfirm", "not the responding organisation",
                     "Only the organisation that submitted a response can re-confirm it.")
    require_stage(procurement, ("tender",), "re-confirm a response")
    _require_before_deadline(procurement, actor, now, "re-confirm")
    if response.status != ResponseStatus.SUBMITTED or not response.needs_reconfirmation:
        raise RuleViolation({"": "This response does not need re-confirming"})
    response.needs_reconfirmation = False
    response.reconfirmed_at = now
    db.session.flush()
    trail.record_sealed(
        "response.reconfirmed", actor=actor, subject=response, procurement_id=procurement.id,
        summary=f"Response {response.id} from {actor.organisation.name} to {procurement.reference} re-confirmed "
                "after a specification change",
        payload={"response_id": response.id, "provider": actor.organisation.name, "sha256": response.sha256,
                 "spec_version": published_version(procurement).number})
    return response


def receipt_for(response: TenderResponse, actor: User) -> Receipt:
    """Only the submitting organisation sees its receipt; anyone else's attempt is audited."""
    procurement = db.session.get_one(Procurement, response.procurement_id)
    if not (accounts_policy.is_provider(actor) and actor.organisation_id == response.provider_org_id):
        raise refuse(actor, procurement, "response.receipt", "not the responding organisation",
                     "You can only see receipts for your own organisation's responses.")
    return _receipt(procurement, response)


def open_box(procurement: Procurement, actor: User, *, now: datetime) -> Procurement:
    """First call asks to open; a second, different commissioner's call opens (tender → evaluation).

    Opening decrypts every current response once to check it still matches its
    receipt, and keeps the price for scoring by formula.
    """
    lock(procurement)
    if not policy.can_manage(actor, procurement):
        raise refuse(actor, procurement, "responses.open", "not a commissioner of the owning organisation",
                     "Only commissioners of the owning organisation can open responses.")
    require_stage(procurement, ("tender",), "open responses")
    confirming = procurement.open_requested_by_id is not None and procurement.open_requested_by_id != actor.id
    conflicts.require_unconflicted(procurement, actor, "confirm" if confirming else "open",
                                   "confirm the opening" if confirming else "open the responses", "responses.open")
    if not policy.deadline_passed(procurement, now):
        trail.record_refusal(actor, "responses.open", "before the response deadline",
                                      detail={"procurement_id": procurement.id, "at": now.isoformat()},
                                      procurement_id=procurement.id)
        raise RuleViolation({"": f"Responses cannot be opened before the deadline "
                                 f"({uk_when(procurement.response_deadline)})"})
    requester = db.session.get(User, procurement.open_requested_by_id) if procurement.open_requested_by_id else None
    # Both openers must be free of conflict: a request whose maker has since become conflicted (a new
    # declaration, a new assessment) no longer counts, and this one takes its place.
    replaced = requester if requester is not None and requester.id != actor.id and \
        conflicts.is_conflicted(procurement, requester, "open") else None
    if requester is None or replaced is not None:
        procurement.open_requested_by_id = actor.id
        procurement.open_requested_at = now
        db.session.flush()
        trail.record("responses.open_requested", actor=actor, subject=procurement, procurement_id=procurement.id,
                     summary=f"{actor.full_name} asked to open the responses to {procurement.reference}; "
                             "a second commissioner must confirm"
                             + (f" ({replaced.full_name}'s earlier request no longer counts: they now have a "
                                "conflict)" if replaced is not None else ""),
                     payload={"at": now.isoformat(), "replaces_request_by": replaced.id if replaced else None})
        tell_second_commissioners(procurement, actor)
        return procurement
    if procurement.open_requested_by_id == actor.id:
        trail.record_refusal(actor, "responses.open", "the same commissioner cannot open alone",
                                      detail={"procurement_id": procurement.id},
                                      procurement_id=procurement.id)
        raise RuleViolation({"": "You asked to open the responses: a different commissioner of your organisation "
                                 "must confirm the opening"})
    responses = list(db.session.scalars(select(TenderResponse).where(
        TenderResponse.procurement_id == procurement.id, TenderResponse.status == ResponseStatus.SUBMITTED)
        .order_by(TenderResponse.id)))
    unreadable = [response for response in responses if not is_readable(response)]
    if unreadable:
        trail.record_refusal(actor, "responses.open", "a sealed response cannot be decrypted",
                                      detail={"procurement_id": procurement.id}, procurement_id=procurement.id)
        raise RuleViolation({"": (
            "The responses cannot be opened: at least one of them cannot be decrypted with the sealing key this "
            "service is using. The responses are stored intact, but the key that sealed them is not configured: "
            "an operator must restore that key (RESPONSE_ENCRYPTION_KEY) before the opening. Nothing was opened.")})
    for response in responses:
        plaintext = crypto.decrypt(sealed_ciphertext(response))
        if hashlib.sha256(plaintext).hexdigest() != response.sha256:
            raise RuleViolation({"": f"Response {response.id} does not match its receipt: stop and tell the auditor"})
        response.opened_price_pence = json.loads(plaintext)["price_pence"]
    procurement.opened_by_id = actor.id
    procurement.opened_at = now
    move(procurement, "evaluation")
    db.session.flush()
    trail.record("responses.opened", actor=actor, subject=procurement, procurement_id=procurement.id,
                 audience="public",
                 summary=f"{len(responses)} response(s) to {procurement.reference} opened by two commissioners",
                 payload={"requested_by": procurement.open_requested_by_id, "confirmed_by": actor.id,
                          "responses": [{"id": r.id, "sha256": r.sha256} for r in responses]})
    return procurement


def read_response(response: TenderResponse, actor: Viewer, *, now: datetime) -> dict[str, Any]:
    """The decrypted content, for the owning commissioners and auditors once the box is open."""
    procurement = db.session.get_one(Procurement, response.procurement_id)
    if not policy.can_read_responses(actor, procurement, now) or response.status != ResponseStatus.SUBMITTED:
        raise refuse(actor, procurement, "response.read",
                     "sealed until the deadline and a two-person opening" if not procurement.is_opened
                     else "not a commissioner of the owning organisation or an auditor",
                     SEALED_MESSAGE if not procurement.is_opened else
                     "You cannot read this response.")
    if policy.is_owner_commissioner(actor, procurement):
        # No sight of a response without a current declaration, nor with a conflict in its sender
        # (auditors do not evaluate).
        conflicts.require_unconflicted(procurement, actor, "read", "read this response", "response.read",
                                       frozenset({response.provider_org_id}), forbidden=True)
    plaintext = _decrypt(response)
    if hashlib.sha256(plaintext).hexdigest() != response.sha256:
        raise NotPermitted("This response does not match its receipt.")
    content: dict[str, Any] = json.loads(plaintext)
    content["commitments"] = {int(k): v for k, v in content["commitments"].items()}
    # Responses sealed before the form asked for an answer per award criterion have none.
    content["criterion_answers"] = {int(k): v for k, v in content.get("criterion_answers", {}).items()}
    return content


def responses_for(procurement: Procurement) -> list[TenderResponse]:
    """Current responses (no content: metadata only)."""
    return list(db.session.scalars(select(TenderResponse).where(
        TenderResponse.procurement_id == procurement.id, TenderResponse.status == ResponseStatus.SUBMITTED)
        .order_by(TenderResponse.id)))


def read_response_document(response: TenderResponse, actor: Viewer, index: int, *, now: datetime) -> Document:
    """One attached document, under exactly the same rule as the rest of the response."""
    content = read_response(response, actor, now=now)
    documents = content["documents"]
    if not 0 <= index < len(documents):
        raise RuleViolation({"": "There is no such document in this response"})
    item = documents[index]
    data = base64.b64decode(item["data"])
    if hashlib.sha256(data).hexdigest() != item["sha256"]:
        raise NotPermitted("This document does not match its hash.")
    return Document(item["filename"], item["content_type"], data)
