"""The audit trail filters by person, organisation, procurement, UK dates and an action chosen from a list."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

import trail
from trail.models import AuditEvent
from trail.queries import filter_events


def _codes(html: str) -> list[str]:
    import re

    return re.findall(r"<td class=\"govuk-table__cell\"[^>]*><code>([^<]+)</code></td>", html)


def test_actions_are_chosen_by_domain_from_the_registry_described_in_words(client, auth, user_factory, db):
    auditor = user_factory("auditor")
    trail.record("test.only_here", actor=auditor, summary="A test event")
    auth.sign_in(auditor)
    html = client.get("/audit/").get_data(as_text=True)
    assert '<select class="govuk-select" id="action" name="action">' in html
    assert '<option value="test.only_here">Tests: A test&#39;s own event (test.only_here)</option>' in html
    assert '<option value="domain:Tests">Tests: every action</option>' in html
    assert '<option value="auth.signed_in">Accounts and sign-in: A person signed in</option>' in html
    assert '<option value="domain:Procurements">Procurements: every action</option>' in html
    exact = client.get("/audit/?action=test.only_here").get_data(as_text=True)
    assert set(_codes(exact)) == {"test.only_here"}
    domain = client.get("/audit/?action=domain:Tests").get_data(as_text=True)
    assert set(_codes(domain)) == {"test.only_here"}
    assert not set(_codes(client.get("/audit/?action=domain:Forums").get_data(as_text=True)))
    refused = client.get("/audit/?action=made.up").get_data(as_text=True)
    assert "There is a problem" in refused and "Not a valid choice" in refused


def test_trail_filters_by_person_and_organisation(client, auth, user_factory, db):
    auditor, provider = user_factory("auditor"), user_factory("provider")
    trail.record("test.by_provider", actor=provider, summary="Provider acted")
    trail.record("test.by_auditor", actor=auditor, summary="Auditor acted")
    auth.sign_in(auditor)
    page = client.get("/audit/").get_data(as_text=True)
    assert f'<option value="{provider.id}">{provider.full_name} ({provider.organisation.name})</option>' in page
    by_person = client.get(f"/audit/?actor={provider.id}").get_data(as_text=True)
    assert "test.by_provider" in _codes(by_person) and "test.by_auditor" not in _codes(by_person)
    by_org = client.get(f"/audit/?organisation={auditor.organisation_id}").get_data(as_text=True)
    assert "test.by_auditor" in _codes(by_org) and "test.by_provider" not in _codes(by_org)
    assert f'href="/audit/export.csv?actor={provider.id}"' in by_person


def test_trail_filters_by_procurement_reference(client, auth, user_factory, org_factory, db):
    from core import clock
    from tests.unit.tenders.builders import T0, draft, make_world

    world = make_world(org_factory, user_factory)
    clock.set_now(T0)
    try:
        first, second = draft(world), draft(world)
    finally:
        clock.set_now(None)
    auth.sign_in(world.auditor)
    html = client.get(f"/audit/?procurement={first.reference}").get_data(as_text=True)
    wanted = db.session.scalars(select(AuditEvent.seq).where(AuditEvent.procurement_id == first.id)).all()
    listed = [int(n) for n in __import__("re").findall(r'href="/audit/events/(\d+)"', html)]
    assert wanted and sorted(listed) == sorted(wanted)
    assert not set(listed) & set(db.session.scalars(
        select(AuditEvent.seq).where(AuditEvent.procurement_id == second.id)).all())
    missing = client.get("/audit/?procurement=CC-1999-99999").get_data(as_text=True)
    assert "There is no procurement with that reference or number" in missing


def test_date_filters_are_whole_uk_days(db, user_factory, monkeypatch):
    """An event at 23:30 UTC on 30 June is on 1 July in the UK (BST): a filter for 1 July finds it."""
    import trail.events

    person = user_factory("auditor")
    monkeypatch.setattr(trail.events, "utcnow", lambda: datetime(2027, 6, 30, 23, 30))
    event = trail.record("test.late_evening", actor=person, summary="Late")
    query = select(AuditEvent.seq).where(AuditEvent.action == "test.late_evening")
    from datetime import date

    assert db.session.scalars(filter_events(query, None, None, occurred_from=date(2027, 7, 1),
                                            occurred_to=date(2027, 7, 1))).all() == [event.seq]
    assert db.session.scalars(filter_events(query, None, None, occurred_to=date(2027, 6, 30))).all() == []


def test_trail_date_filters_take_uk_dates_and_say_so(client, auth, user_factory):
    auth.sign_in(user_factory("auditor"))
    html = client.get("/audit/?date_from=1/7/2027&date_to=31 July 2027").get_data(as_text=True)
    assert "There is a problem" not in html and "UK date, for example" in html
    bad = client.get("/audit/?date_from=31/13/2027").get_data(as_text=True)
    assert "From (date) must be a real date, like 3/12/2026 or 3 December 2026" in bad
