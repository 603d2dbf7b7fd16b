"""The parity ledger's demo data: one contact disclosed with a redaction, one still unresolved."""
from datetime import timedelta

from tenders.demo_ledger import load_ledger_demo
from tenders.services import ledger, procurements
from tests.unit.tenders.builders import T0, in_engagement


def test_the_ledger_demo_makes_one_disclosed_and_one_unresolved_contact(db, world):
    p = in_engagement(world)
    disclosed, pending = load_ledger_demo(p, world.c1, [world.p1, world.p2], T0)
    assert disclosed.resolution == "disclosed" and len(disclosed.redactions) == 1
    assert disclosed.redactions[0].reason and len(disclosed.messages) == 2
    assert not pending.is_resolved and pending.provider_org_id == world.p2.organisation_id
    assert ledger.resolved_contacts(p) == [disclosed] and ledger.unresolved_contacts(p) == [pending]
    assert list(ledger.publish_problems(p, T0)) == [f"ledger_contact_{pending.id}"]
    assert f"ledger_contact_{pending.id}" in procurements.tender_problems(p, T0 + timedelta(days=1))
