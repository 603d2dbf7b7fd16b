"""Every parity-ledger route (tenders.ledger_*), tried as eight people, on a procurement in engagement with a
private conversation between the owning council and provider A, and its unresolved bilateral contact.

Conversations are for their two organisations (and auditors, read-only); contacts for the owning
commissioners (and auditors); the to-do list for commissioners.
"""
import pytest

from tenders.services import ledger
from tests.functional.tenders.test_route_matrix import EVERYONE, OWNER, PROVIDERS, route_problems
from tests.unit.tenders.builders import T0, in_engagement

COMMISSIONERS = {"owning_commissioner", "other_commissioner"}
PARTIES = {"owning_commissioner", "provider_a"}

GET_EXPECTATIONS = {
    "tenders.ledger_inbox": PROVIDERS | COMMISSIONERS | {"auditor"},
    "tenders.ledger_new": PROVIDERS | COMMISSIONERS,
    "tenders.ledger_conversation": PARTIES | {"auditor"},
    "tenders.ledger_contacts": COMMISSIONERS,
    "tenders.ledger_contact": OWNER | {"auditor"},
}
POST_ONLY_EXPECTATIONS = {
    "tenders.ledger_tag": OWNER,
    "tenders.ledger_disclose": OWNER,
    "tenders.ledger_not_material": OWNER,
    "tenders.ledger_not_about_live": OWNER,
}


@pytest.fixture
def ledger_live(world, db, at):
    p = in_engagement(world)
    conversation = ledger.start_conversation(world.p1, organisation=world.org, procurement=None,
                                             subject="Sharing homes", body_md="Can homes be shared?", now=T0)
    ledger.tag_conversation(conversation, world.c1, p, now=T0)
    contact = ledger.contacts_of(conversation)[0]
    people = {"anonymous": None, "provider_a": world.p1, "provider_b": world.p2, "in_house_provider": world.in_house,
              "owning_commissioner": world.c1, "other_commissioner": world.other_commissioner,
              "auditor": world.auditor, "admin": world.admin}
    values = {"procurement_id": p.id, "conversation_id": conversation.id, "contact_id": contact.id}
    return people, values


@pytest.mark.parametrize("persona", sorted(EVERYONE))
def test_ledger_routes_answer_each_person_as_expected(app, client, auth, ledger_live, persona):
    people, values = ledger_live
    problems = route_problems(app, client, auth, people, values, persona, GET_EXPECTATIONS, POST_ONLY_EXPECTATIONS,
                              topic="ledger")
    assert not problems, f"as {persona}:\n" + "\n".join(problems)
