"""Saving a response as a draft: kept for the provider's organisation only, changed freely until it submits.

A draft is not a submission: it is not sealed, gets no receipt, and never reaches the commissioners. The
trail records that a draft was saved only as a sealed event (like a submission, nobody else learns from it
that the organisation is bidding). Submitting the response deletes the draft.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select

import trail
from accounts import policy as accounts_policy
from accounts.models import User
from core.errors import RuleViolation
from core.extensions import db
from core.text import refusal
from core.timezones import uk_when
from tenders import crypto
from tenders.models import Procurement
from tenders.models.drafts import ResponseDraft
from tenders.services.common import refuse, require_stage


@dataclass(frozen=True)
class Draft:
    method_statement: str = ""
    commitments: dict[int, str] = field(default_factory=dict)
    price: str = ""
    saved_at: datetime | None = None
    criterion_answers: dict[int, str] = field(default_factory=dict)


def draft_for(procurement: Procurement, org_id: int) -> Draft | None:
    row = db.session.scalar(select(ResponseDraft).where(ResponseDraft.procurement_id == procurement.id,
                                                        ResponseDraft.provider_org_id == org_id))
    return _draft_of(row) if row is not None else None


def _draft_of(row: ResponseDraft) -> Draft:
    content = json.loads(crypto.decrypt(row.content))
    return Draft(content["method_statement"], {int(k): v for k, v in content["commitments"].items()},
                 content["price"], row.saved_at,
                 {int(k): v for k, v in content.get("criterion_answers", {}).items()})


def save_draft(procurement: Procurement, actor: User, *, method_statement: str, commitments: dict[int, str],
               price: str, now: datetime, criterion_answers: dict[int, str] | None = None) -> Draft:
    """Keep what is typed so far, whatever is missing: nothing is checked but who and when."""
    if not accounts_policy.is_provider(actor):
        raise refuse(actor, procurement, "response.save_draft", "not a provider",
                     "Only providers can save a draft response.")
    require_stage(procurement, ("tender",), "save a draft response")
    deadline, version = procurement.response_deadline, procurement.published_version
    if deadline is None or version is None or now >= deadline:
        raise RuleViolation({"": f"The response deadline passed on {uk_when(deadline)}"})
    outcomes = version.outcomes
    wanted = {o.id for o in outcomes}
    for outcome in outcomes:
        if (message := refusal(commitments.get(outcome.id))) is not None:
            raise RuleViolation({"commitments": f"Your commitment for outcome {outcome.position}: {message}"})
    for criterion in procurement.criteria:
        if (message := refusal((criterion_answers or {}).get(criterion.id))) is not None:
            raise RuleViolation({"criterion_answers": f"Your answer on “{criterion.name}”: {message}"})
    quality = {c.id for c in procurement.criteria}
    content = {"method_statement": method_statement or "", "price": price or "",
               "commitments": {str(k): v for k, v in commitments.items() if k in wanted and v},
               "criterion_answers": {str(k): v for k, v in (criterion_answers or {}).items() if k in quality and v}}
    row = db.session.scalar(select(ResponseDraft).where(ResponseDraft.procurement_id == procurement.id,
                                                        ResponseDraft.provider_org_id == actor.organisation_id))
    if row is None:
        row = ResponseDraft(procurement_id=procurement.id, provider_org_id=actor.organisation_id)
        db.session.add(row)
    row.content = crypto.encrypt(json.dumps(content, sort_keys=True).encode())
    row.saved_at, row.saved_by_id = now, actor.id
    db.session.flush()
    trail.record_sealed(
        "response.draft_saved", actor=actor, subject=procurement, procurement_id=procurement.id,
        summary=f"Draft response saved by {actor.organisation.name} for {procurement.reference}",
        payload={"provider_org_id": actor.organisation_id, "saved_at": now.isoformat()})
    return _draft_of(row)


def discard_draft(procurement: Procurement, org_id: int) -> None:
    """The response is submitted: its draft goes."""
    db.session.execute(delete(ResponseDraft).where(ResponseDraft.procurement_id == procurement.id,
                                                   ResponseDraft.provider_org_id == org_id))
