"""Demo spin-offs on a contract, through the same services as the pages.

One on each side of the 10% line: a small extension of the contract's own
outcomes accepted as a below-threshold modification, and a new service that
would change the contract's overall nature, turned into a new procurement in
engagement. A third waits for the commissioner's decision. No child is
described.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from accounts.models import User
from tenders.models import Procurement
from tenders.models.spinoffs import SpinOffProposal
from tenders.services import evaluation
from tenders.services import spinoffs as services
from tenders.services.spinoffs import Answers


def load_spinoffs_demo(procurement_with_contract: Procurement, commissioner: User, provider: User,
                       now: datetime) -> list[SpinOffProposal]:
    """Three proposals on the procurement's contract; returns them in the order made."""
    contract = evaluation.contract_for(procurement_with_contract)
    if contract is None:
        raise RuntimeError(f"{procurement_with_contract.reference} has no contract to propose spin-offs on")
    original = contract.original_value_pence
    family_time = services.propose_spinoff(
        contract, provider, title="Family time transport and weekend contact support",
        description_md="Staff from the homes accompany children to planned family time at weekends and in the "
                       "school holidays, so contact no longer depends on taxi availability.",
        evidence_md="Planned family time took place for most children in the first quarter; the monthly "
                    "operational group found that missed contact was the main trigger for unsettled weekends.",
        price_pence=original * 6 // 100, duration_months=12, now=now - timedelta(days=60))
    services.accept(family_time, commissioner, answers=Answers(), now=now - timedelta(days=45),
                    reason="Builds directly on the contract's relationships and stability outcomes, at 6% of the "
                           "original value: a below-threshold modification.")
    step_down = services.propose_spinoff(
        contract, provider, title="Step-down to specialist foster care",
        description_md="A new fostering service for children ready to leave residential care, with the home's "
                       "staff supporting foster carers through the move.",
        evidence_md="Placement stability in the homes is above the 69% target; several children are ready for a "
                    "family setting.",
        price_pence=original * 35 // 100, duration_months=36, now=now - timedelta(days=40))
    services.to_new_procurement(step_down, commissioner, answers=Answers(changes_overall_nature=True),
                                now=now - timedelta(days=20), engagement_closes_on=(now + timedelta(days=25)).date(),
                                reason="Fostering is a different service from residential care, at 35% of the "
                                       "original value: it is procured openly so every fostering provider can "
                                       "take part.")
    mentoring = services.propose_spinoff(
        contract, provider, title="Independent living skills mentoring for 16 and 17 year olds",
        description_md="Weekly mentoring sessions on budgeting, cooking and tenancy skills, building on the "
                       "pathway plans.",
        evidence_md="Pathway plan goals met by most young people who left the homes this year.",
        price_pence=original * 3 // 100, duration_months=18, now=now - timedelta(days=5))
    return [family_time, step_down, mentoring]
