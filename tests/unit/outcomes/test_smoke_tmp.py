from tests.unit.outcomes.builders import *
from tests.unit.outcomes.conftest import world  # noqa
from outcomes.services import statements, returns as rs
from outcomes.recompute import recompute

def test_smoke(world):
    c = contracted(world)
    o = stability(c)
    print(c.starts_on, o.measure, o.target, o.at_risk_percent)
    r = submitted(world, o, "2026-Q2")
    rs.verify_return(r, world.c1, now=LATER)
    s = statements.calculate_statement(c, world.c1, period="2026-Q2", now=LATER)
    print(s.base_pence, s.at_risk_pence, s.earned_pence, [ (l.reason) for l in s.lines])
    statements.approve_statement(s, world.c2, now=LATER)
    print([ (x.statement_id, x.differences) for x in recompute(c)])
