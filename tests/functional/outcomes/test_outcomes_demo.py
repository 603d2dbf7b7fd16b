"""The demo's running block contract: three quarters of returns, a query answered, a dispute resolved, payments
approved by a second commissioner, ratings on the UK9 scale, and every statement reproduced from the trail."""
from sqlalchemy import select

from demo.outcomes import BLOCK_TITLE
from outcomes.models import (
    OutcomeReturn,
    PaymentStatement,
    PerformanceRating,
    ReturnDecision,
)
from outcomes.recompute import recompute
from tenders.models import Contract, Procurement


def test_the_demo_block_contract_has_three_quarters_of_outcomes(db, runner, client):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    procurement = db.session.scalars(select(Procurement).where(Procurement.title == BLOCK_TITLE)).one()
    contract = db.session.scalars(select(Contract).where(Contract.procurement_id == procurement.id)).one()
    statements = list(db.session.scalars(select(PaymentStatement).where(PaymentStatement.contract_id == contract.id)))
    assert len(statements) == 3 and all(s.status == "approved" for s in statements)
    assert all(s.approved_by_id != s.calculated_by_id for s in statements)
    kinds = [
        d.kind for d in db.session.scalars(select(ReturnDecision).where(ReturnDecision.contract_id == contract.id))
    ]
    assert "queried" in kinds and "disputed" in kinds and "resolved" in kinds
    superseded = db.session.scalars(select(OutcomeReturn).where(OutcomeReturn.contract_id == contract.id,
                                                                OutcomeReturn.status == "superseded")).all()
    assert len(superseded) == 2  # the queried stability return, the disputed education return
    assert db.session.scalars(select(PerformanceRating).where(PerformanceRating.contract_id == contract.id)).all()
    assert all(check.ok for check in recompute(contract))
    page = client.get(f"/tenders/{procurement.id}/contract/outcomes").get_data(as_text=True)
    assert "Approved" in page and "Good" in page and "Approaching target" in page
    result = runner.invoke(args=["outcomes", "recompute", procurement.reference])
    assert result.exit_code == 0 and "All 3 statements reproduced from the trail" in result.output
