"""The attention dashboard page: each item names the procurement, what is wrong, since when, and where to fix it."""
from __future__ import annotations

from datetime import timedelta

import pytest

from core import clock
from oversight import attention
from tenders.services import ledger
from tests.unit.tenders.builders import T0, in_engagement, make_world


@pytest.fixture
def at():
    """Set the tenders clock the dashboard reads; always unfrozen afterwards."""
    clock.set_now(T0)
    yield clock.set_now
    clock.set_now(None)


def test_dashboard_lists_an_undisclosed_contact_with_its_fix_and_drops_it_once_resolved(
        db, client, auth, at, org_factory, user_factory):
    world = make_world(org_factory, user_factory)
    p = in_engagement(world)
    conversation = ledger.start_conversation(world.p1, organisation=world.org, procurement=p, subject="Q",
                                             body_md="Can homes be shared?", now=T0)
    contact = ledger.contacts_of(conversation)[0]
    db.session.commit()
    auth.sign_in(world.auditor)
    at(T0 + timedelta(days=1))
    html = client.get("/audit/attention").get_data(as_text=True)
    assert "Undisclosed bilateral contacts (1)" in html
    assert p.reference in html and "Alpha Homes" in html and "2 March 2026, 9am" in html
    assert f'href="/messages/contacts/{contact.id}"' in html
    assert f'href="/tenders/{p.id}/declarations"' in html  # c1 has not declared at the engagement stage
    ledger.mark_not_material(contact, world.c1, reason="Scheduling only.", now=T0 + timedelta(days=1))
    db.session.commit()
    html = client.get("/audit/attention").get_data(as_text=True)
    assert "Undisclosed bilateral contacts (0)" in html
    assert f'href="/messages/contacts/{contact.id}"' not in html


def test_dashboard_with_nothing_to_report_says_so(db, client, auth, at, org_factory, user_factory):
    world = make_world(org_factory, user_factory)
    auth.sign_in(world.auditor)
    html = client.get("/audit/attention").get_data(as_text=True)
    assert "0 items in all" in html and html.count("<p class=\"govuk-body\">Nothing.</p>") == len(attention.KINDS)
