"""The parity ledger's demo data: one contact disclosed with a redaction, one still unresolved (tagged
automatically from the reference its provider quoted), one naming no procurement marked not about any live one."""
from datetime import timedelta

from demo.tenders_ledger import load_ledger_demo
from tenders.services import ledger, procurements
from tests.unit.tenders.builders import T0, in_engagement


def test_the_ledger_demo_makes_one_disclosed_and_one_unresolved_contact(db, world):
    p = in_engagement(world)
    demo = load_ledger_demo(p, world.c1, [world.p1, world.p2], T0)
    disclosed, pending = demo.disclosed, demo.pending
    assert disclosed.resolution == "disclosed" and len(disclosed.redactions) == 1
    assert disclosed.redactions[0].reason and len(disclosed.messages) == 2
    assert not pending.is_resolved and pending.provider_org_id == world.p2.organisation_id
    assert ledger.resolved_contacts(p) == [disclosed] and ledger.unresolved_contacts(p) == [pending]
    assert list(ledger.publish_problems(p, T0)) == [f"ledger_contact_{pending.id}"]
    assert f"ledger_contact_{pending.id}" in procurements.tender_problems(p, T0 + timedelta(days=1))
    assert pending.conversation.procurement_id == p.id and pending.conversation.tagged_by_id is None
    assert demo.not_about_live.resolution == "not_about_live_procurement" and demo.not_about_live.reason
    assert demo.not_about_live.procurement_id is None and ledger.contacts_to_resolve(world.org.id, T0)[0].contact \
        == pending
