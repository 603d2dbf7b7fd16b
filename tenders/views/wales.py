"""Welsh children's care on the procurement page: the not-for-profit restrictions, as information.

Public, on /tenders/<id> for a Welsh council's residential or fostering procurement.
"""
from __future__ import annotations

from typing import Any

from accounts import wales_care
from tenders.jurisdiction import nation_of
from tenders.models import Procurement
from tenders.services import evaluation
from tenders.views.common import procurement_panel
from tenders.welsh_children_care import restrictions_apply


@procurement_panel
def wales_panel(procurement: Procurement) -> dict[str, Any]:
    if not restrictions_apply(nation_of(procurement.owner), procurement.category):
        return {"wales_care": None}
    contract = evaluation.contract_for(procurement)
    provider = contract.provider if contract is not None else None
    return {"wales_care": wales_care, "wales_care_provider": provider,
            "wales_care_profit": wales_care.may_distribute_profit(provider.legal_form) if provider else None}
