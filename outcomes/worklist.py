"""Contract outcome items on each person's "my work" list.

Providers: returns falling due (a period has ended and no return stands for
an outcome) and queried returns to answer. Owning commissioners: returns
waiting for verification, disputes to resolve, and statements waiting for a
second commissioner (never shown to someone who verified a return the
statement pays on). A handful of indexed queries per person, whatever the data.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, time
from typing import Any

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accounts import policy as accounts_policy
from core import clock
from core.extensions import db
from core.worklist import WorkItem, provides
from outcomes import policy
from outcomes.models import (
    OutcomeReturn,
    OutcomeTerms,
    PaymentStatement,
    ReturnStatus,
    StatementStatus,
)
from outcomes.periods import reporting_periods
from outcomes.services.statements import verifiers_of
from tenders.models import Contract, Procurement


def _references(contracts: Iterable[Contract]) -> dict[int, str]:
    """Each contract's procurement reference, by contract id, in one query (the page loads after every sign-in)."""
    by_procurement = {c.procurement_id: c.id for c in contracts}
    return {by_procurement[pid]: reference for pid, reference in db.session.execute(
        select(Procurement.id, Procurement.reference).where(Procurement.id.in_(by_procurement)))}


@provides
def provider_returns(user: Any) -> Iterator[WorkItem]:
    if not accounts_policy.is_provider(user):
        return
    today = clock.utcnow().date()
    held = db.session.execute(select(Contract, OutcomeTerms).join(OutcomeTerms, OutcomeTerms.contract_id == Contract.id)
                              .where(Contract.provider_org_id == user.organisation_id)
                              .options(selectinload(OutcomeTerms.outcomes))).all()
    if not held:
        return
    references = _references([contract for contract, _terms in held])
    standing: dict[tuple[int, str], OutcomeReturn] = {
        (r.outcome_id, r.period): r for r in db.session.scalars(select(OutcomeReturn).where(
            OutcomeReturn.contract_id.in_(references), OutcomeReturn.status != ReturnStatus.SUPERSEDED))}
    for contract, terms in held:
        reference = references[contract.id]
        for period in reporting_periods(terms.starts_on, terms.ends_on, contract.ended_on, terms.period_months,
                                        today):
            for outcome in terms.outcomes:
                found = standing.get((outcome.id, period.label))
                url = url_for("outcomes.submit", procurement_id=contract.procurement_id, outcome_id=outcome.id,
                              period=period.label)
                if found is None:
                    days = (period.due_on - today).days
                    yield WorkItem("Outcome returns due", f"Submit the {period.label} return for outcome "
                                   f"{outcome.position} of {reference}", url,
                                   detail=f"Due in {days} days" if days >= 0 else f"{-days} days overdue",
                                   due=datetime.combine(period.due_on, time()))
                elif found.status == ReturnStatus.QUERIED:
                    yield WorkItem("Outcome returns due", f"Answer the query on the {period.label} return for "
                                   f"outcome {outcome.position} of {reference}", url, detail="Queried")


@provides
def commissioner_decisions(user: Any) -> Iterator[WorkItem]:
    if not accounts_policy.is_commissioner(user):
        return
    owned = list(db.session.scalars(select(Contract).join(Procurement, Procurement.id == Contract.procurement_id)
                                    .join(OutcomeTerms, OutcomeTerms.contract_id == Contract.id)
                                    .where(Procurement.owner_org_id == user.organisation_id)))
    if not owned:
        return
    by_id = {c.id: c for c in owned}
    references = _references(owned)
    for ret in db.session.scalars(select(OutcomeReturn).where(
            OutcomeReturn.contract_id.in_(by_id),
            OutcomeReturn.status.in_([ReturnStatus.SUBMITTED, ReturnStatus.DISPUTED]))
            .options(selectinload(OutcomeReturn.outcome)).order_by(OutcomeReturn.id)):
        contract = by_id[ret.contract_id]
        url = url_for("outcomes.return_show", procurement_id=contract.procurement_id, return_id=ret.id)
        if ret.status == ReturnStatus.SUBMITTED and ret.submitted_by_id != user.id:
            yield WorkItem("Outcome returns to verify", f"Verify the {ret.period} return for outcome "
                           f"{ret.outcome.position} of {references[contract.id]}", url, due=ret.submitted_at)
        elif ret.status == ReturnStatus.DISPUTED:
            yield WorkItem("Outcome returns to verify", f"Resolve the dispute on the {ret.period} return for "
                           f"outcome {ret.outcome.position} of {references[contract.id]}", url, detail="Disputed")
    for statement in db.session.scalars(select(PaymentStatement).where(
            PaymentStatement.contract_id.in_(by_id), PaymentStatement.status == StatementStatus.CALCULATED)):
        if not policy.is_second_person(user, verifiers_of(statement)):  # the owner's commissioners only, above
            continue
        contract = by_id[statement.contract_id]
        yield WorkItem("Payment statements to approve", f"Approve the {statement.period} payment statement of "
                       f"{references[contract.id]}",
                       url_for("outcomes.contract", procurement_id=contract.procurement_id) + "#payments",
                       due=statement.calculated_at)
