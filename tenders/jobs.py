"""Tenders' scheduled work: contract records for procurements whose standstill has ended."""
from __future__ import annotations

from huey import crontab

from core import clock
from core.jobs import periodic_job
from core.transactions import call_service
from tenders.services import evaluation


def enter_due_contracts() -> int:
    """Create the contract record of every procurement whose standstill is over; return how many.

    Shared by the daily job and `flask tenders enter-due-contracts`. Each
    contract commits on its own, so one refusal never holds back the others.
    """
    now = clock.utcnow()
    entered = 0
    for procurement in evaluation.contracts_due(now):
        call_service(evaluation.enter_contract, procurement, None, starts_on=None, now=now)
        entered += 1
    return entered


@periodic_job(crontab(hour="0", minute="20"))
def enter_due_contracts_daily() -> int:
    """Just after midnight UTC: standstill periods end at the end of a day."""
    return enter_due_contracts()
