"""`flask outcomes recompute <contract>`: every statement reproduced from the trail, and any difference fails."""
from sqlalchemy import update

from outcomes.models import PaymentStatement
from outcomes.services import returns, statements
from tenders.models import Procurement
from tests.unit.outcomes.builders import LATER, contracted, stability, submitted


def _approved_statement(world):
    contract = contracted(world)
    returns.verify_return(submitted(world, stability(contract), "2026-Q2", cohort=20, achieved=15), world.c1,
                          now=LATER)
    statement = statements.calculate_statement(contract, world.c1, period="2026-Q2", now=LATER)
    statements.approve_statement(statement, world.c2, now=LATER)
    return contract, statement


def test_recompute_reproduces_every_statement_from_the_trail(db, world, runner):
    contract, statement = _approved_statement(world)
    reference = db.session.get(Procurement, contract.procurement_id).reference
    result = runner.invoke(args=["outcomes", "recompute", reference])
    assert result.exit_code == 0, result.output
    assert f"statement {statement.id} (2026-Q2): reproduced from the trail" in result.output


def test_recompute_fails_on_a_statement_changed_behind_the_trail(db, world, runner):
    contract, statement = _approved_statement(world)
    db.session.execute(update(PaymentStatement).where(PaymentStatement.id == statement.id)
                       .values(earned_pence=PaymentStatement.earned_pence + 100,
                               withheld_pence=PaymentStatement.withheld_pence - 100))
    result = runner.invoke(args=["outcomes", "recompute", str(contract.id)])
    assert result.exit_code == 1
    assert "DIFFERENT: stored earned_pence" in result.output


def test_recompute_names_an_unknown_contract(db, runner):
    result = runner.invoke(args=["outcomes", "recompute", "CC-1999-00001"])
    assert result.exit_code != 0 and "No contract" in result.output
