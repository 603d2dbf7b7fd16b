"""What the outcome services share: finding a contract's procurement, refusing the wrong party, clean text."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from core.errors import NotPermitted
from core.extensions import db
from outcomes.models import ContractOutcome, OutcomeTerms
from tenders.models import Contract, Procurement
from tenders.services.common import lock, refuse

MAX_TEXT = 20_000
MAX_COUNT = 1_000_000
MAX_VALUE = Decimal(1000000)


def procurement_of(contract: Contract) -> Procurement:
    return db.session.get_one(Procurement, contract.procurement_id)


def locked(contract: Contract) -> Procurement:
    """Serialise changes to one contract's outcomes through its procurement's row lock."""
    return lock(procurement_of(contract))


def deny(actor: Any, contract: Contract, attempted: str, reason: str, message: str) -> NotPermitted:
    """Audit a refusal by the wrong party (on the procurement's record) and return the error to raise."""
    return refuse(actor, procurement_of(contract), attempted, reason, message)


def clean(text: str | None) -> str:
    return (text or "").strip()


def terms_for(contract: Contract) -> OutcomeTerms | None:
    return db.session.scalar(select(OutcomeTerms).where(OutcomeTerms.contract_id == contract.id))


def outcomes_for(contract: Contract) -> list[ContractOutcome]:
    return list(db.session.scalars(select(ContractOutcome).where(ContractOutcome.contract_id == contract.id)
                                   .order_by(ContractOutcome.position)))


def decimal_text(value: Decimal | None) -> str | None:
    """A decimal as the trail keeps it: plain text, trailing zeros dropped, so it reads back exactly."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return text


def parse_decimal(text: str | None) -> Decimal | None:
    """A typed number, or None when blank; ValueError when it is not a finite number."""
    if text is None or not str(text).strip():
        return None
    try:
        value = Decimal(str(text).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError(str(text)) from exc
    if not value.is_finite():
        raise ValueError(str(text))
    return value
