"""The notices through the pages: the public notices panel with states and legal bases, publishing UK7, UK9 and
the contract termination notice, the Atom feed carrying them; bad input keeps what was typed."""
from datetime import timedelta
from html import unescape

from tests.conftest import submit
from tests.unit.tenders.test_spinoffs import contract_world


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _date(d) -> list[str]:
    return [str(d.day), str(d.month), str(d.year)]


def test_the_public_sees_each_notice_with_its_state_and_basis(client, db, world, at):
    p, contract, now = contract_world(world)
    at(now)
    html = _text(client.get(f"/tenders/{p.id}"))
    assert "Contract award notice (UK6)" in html
    assert "UK7 Contract details notice" in html and "Procurement Act 2023 s.53" in html and "Due" in html
    assert "UK9 Contract performance notice" in html and "Voluntary" in html
    assert "Publish the contract details notice" not in html  # no actions for the public
    at(now + timedelta(days=200))
    assert "Overdue" in _text(client.get(f"/tenders/{p.id}"))


def test_commissioner_publishes_the_contract_details_notice_and_the_feed_carries_it(client, db, world, auth, at):
    p, contract, now = contract_world(world)
    at(now)
    auth.sign_in(world.c1)
    assert "Publish the contract details notice (UK7)" in _text(client.get(f"/tenders/{p.id}"))
    response = submit(client, f"/tenders/{p.id}/notices/contract-details", {})
    assert response.status_code == 302
    html = _text(client.get(f"/tenders/{p.id}"))
    assert "The contract details notice (UK7) is published." in html
    assert "Publish the contract details notice (UK7)" not in html
    feed = _text(client.get("/audit/feed.atom"))
    assert f"Contract details notice (UK7) published for {p.reference}" in feed
    assert "Contract award notice (UK6):" in feed


def test_performance_notice_with_a_bad_period_keeps_the_assessment(client, db, world, auth, at):
    p, contract, now = contract_world(world)
    at(now)
    auth.sign_in(world.c1)
    typed = "KPI 1: attendance 93% against a target of 90%."
    response = submit(client, f"/tenders/{p.id}/notices/performance",
                      {"assessment": typed, "period_ends_on": _date(now.date() + timedelta(days=30))})
    html = _text(response)
    assert response.status_code == 200
    assert "The period assessed cannot end in the future" in html and typed in html


def test_termination_notice_through_the_page(client, db, world, auth, at):
    p, contract, now = contract_world(world)
    later = now + timedelta(days=20)
    at(later)
    auth.sign_in(world.c1)
    response = submit(client, f"/tenders/{p.id}/notices/termination",
                      {"terminated_on": _date(later.date() - timedelta(days=1)), "reason": "The home closed."})
    assert response.status_code == 302
    html = _text(client.get(f"/tenders/{p.id}"))
    assert "(terminated early): The home closed." in html
    assert "Publish the contract termination notice" not in html
