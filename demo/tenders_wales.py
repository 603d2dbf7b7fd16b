"""A Welsh council's contract in the demo: Glanafon's small children's homes, through the same services as the pages.

It shows what differs in Wales. Glanafon is a devolved Welsh authority
(Procurement (Wales) Regulations 2024), so the spin-off proposal waiting on
its contract gets a modification check with no duty to publish the modified
contract, although the contract is worth more than £5m; and its procurement
page shows the Health and Social Care (Wales) Act 2025 not-for-profit
restrictions on children's homes. The contract details notice (UK7) is
published. No child is described.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from accounts.models import User
from tenders.models import Procurement
from tenders.models.spinoffs import SpinOffProposal
from tenders.services import evaluation, notices, procurements
from tenders.services import spinoffs as spinoff_services


def load_wales_demo(gareth: User, eleri: User, cartref: User, meadowbank: User,
                    now: datetime) -> tuple[Procurement, SpinOffProposal]:
    """The Glanafon procurement with its contract, and the spin-off proposal waiting on it."""
    from demo.tenders import (
        CRITERIA,
        RELATIONSHIPS,
        STABILITY,
        WELLBEING,
        _assess,
        _bid,
        _declare_none,
        _open_evaluate_and_award,
        _set_up,
    )

    p = _set_up(gareth, title="Small not-for-profit children's homes in Glanafon", category="childrens_homes",
                subject="Four small children's homes in Glanafon, each for up to three children, run by a "
                        "not-for-profit provider so children stay close to school, family and friends.",
                value_pounds=5_600_000, contract_type="block", months=60, extension=24,
                reviews="Prices reviewed each April against the agreed index; break point at 36 months.",
                body="Children live in small homes near their own communities, with stable staff teams and "
                     "progress measured against each child's own starting point.",
                outcomes=[STABILITY, WELLBEING, RELATIONSHIPS], criteria=CRITERIA, now=now - timedelta(days=230))
    _declare_none(p, [gareth], now - timedelta(days=211))
    _assess(p, gareth, now - timedelta(days=211))
    procurements.publish_tender(p, gareth, clarification_deadline=now - timedelta(days=185),
                                response_deadline=now - timedelta(days=170), now=now - timedelta(days=210),
                                no_engagement_reason="The council's fostering and 16+ forum discussed the need with "
                                                     "providers through the year; its notes are on the forum.")
    _declare_none(p, [gareth, eleri], now - timedelta(days=209))
    _bid(p, cartref, 5_450_000, "Four homes with a stable core team and therapeutic support from our fostering "
                                "service's clinicians.", now - timedelta(days=175))
    _bid(p, meadowbank, 5_300_000, "Four homes run from our North West base, with a regional manager.",
         now - timedelta(days=172))
    _open_evaluate_and_award(
        p, gareth, eleri, {cartref.organisation_id: 5, meadowbank.organisation_id: 2},
        opened=now - timedelta(days=169), scored=now - timedelta(days=150), moderated=now - timedelta(days=145),
        awarded=now - timedelta(days=140),
        reasons_md="The highest overall score: homes close to children's communities, a stable staff team and "
                   "therapeutic support.")
    evaluation.enter_contract(p, gareth, starts_on=(now - timedelta(days=120)).date(), now=now - timedelta(days=125))
    contract = notices.publish_contract_details(p, gareth, now=now - timedelta(days=110))
    proposal = spinoff_services.propose_spinoff(
        contract, cartref, title="Outreach support when a child moves on from the homes",
        description_md="The homes' staff keep in touch for six months after a child moves to a family or to "
                       "supported accommodation, so the move holds.",
        evidence_md="Most children who left the homes this year moved in a planned way.",
        price_pence=contract.original_value_pence * 3 // 100, duration_months=12, now=now - timedelta(days=7))
    return p, proposal
