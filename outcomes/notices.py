"""Telling the other party that a return or a statement waits for them.

My work lists what is waiting; these notices say so as it happens, in the
header and by email, so a provider hears of a query the day it is raised and
a second commissioner hears that a statement waits for approval.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from accounts.models import User
from accounts.notifications import notify
from core.extensions import db
from core.urls import url_for_path
from outcomes import policy
from outcomes.models import OutcomeReturn, PaymentStatement
from tenders.models import Contract, Procurement


def _people(org_id: int, *, role: str | None = None, leaving_out: Iterable[int] = ()) -> list[User]:
    query = select(User).where(User.organisation_id == org_id, User.is_suspended.is_(False),
                               User.id.not_in(list(leaving_out)))
    if role is not None:
        query = query.where(User.role == role)
    return list(db.session.scalars(query.order_by(User.id)))


def _return_link(procurement: Procurement, ret: OutcomeReturn) -> str:
    return url_for_path("outcomes.return_show", procurement_id=procurement.id, return_id=ret.id)


def return_submitted(procurement: Procurement, ret: OutcomeReturn, submitter: User) -> None:
    """The owning council's commissioners: a return waits to be verified (by anyone but its submitter)."""
    deciders = [person for person in _people(procurement.owner_org_id, role="commissioner",
                                             leaving_out=[submitter.id])
                if policy.can_decide(person, procurement)]
    notify(deciders, title=f"The {ret.period} return for outcome {ret.outcome.position} on {procurement.reference} "
                           "waits to be verified",
           url=_return_link(procurement, ret), email=True, event="outcomes.return_submitted")


def return_decided(procurement: Procurement, contract: Contract, ret: OutcomeReturn, decision: str,
                   detail: str = "") -> None:
    """The provider's people: their return was verified, queried or disputed, or its dispute resolved.

    A query or a dispute needs their answer, so it comes by email too.
    """
    notify(_people(contract.provider_org_id),
           title=f"Your {ret.period} return for outcome {ret.outcome.position} on {procurement.reference} "
                 f"was {decision}{detail}",
           url=_return_link(procurement, ret), email=decision in ("queried", "disputed"),
           event=f"outcomes.return_{decision}")


def statement_calculated(procurement: Procurement, statement: PaymentStatement, verifier_ids: set[int]) -> None:
    """A second commissioner, not one who verified its returns, must approve the statement."""
    approvers = [person for person in _people(procurement.owner_org_id, role="commissioner",
                                              leaving_out=verifier_ids)
                 if policy.can_decide(person, procurement)]
    notify(approvers, title=f"The {statement.period} payment statement for {procurement.reference} waits for "
                            "a second commissioner's approval",
           url=url_for_path("outcomes.contract", procurement_id=procurement.id), email=True,
           event="outcomes.statement_calculated")
