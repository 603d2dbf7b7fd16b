"""Spin-offs through the pages: proposing, the check, deciding, the register; bad input keeps what was typed."""
from datetime import datetime, time, timedelta
from html import unescape

from sqlalchemy import func, select

from tenders.models import Procurement
from tenders.models.spinoffs import ContractModification, SpinOffProposal
from tenders.services import spinoffs as services
from tenders.services.spinoffs import Answers
from tests.conftest import submit, submit_and_confirm
from tests.unit.tenders.test_spinoffs import contract_world, propose
from trail.models import AuditEvent

GOOD = {"title": "Weekend activities", "description": "Outdoor activities at weekends.",
        "evidence": "Stability above target.", "price": "£55,000", "duration_months": "12"}


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _date(d) -> list[str]:
    return [str(d.day), str(d.month), str(d.year)]


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _setup(world, at):
    p, contract, now = contract_world(world)
    at(now)
    return p, contract, now


def test_provider_proposes_a_spinoff_and_sees_the_check(client, db, world, auth, at):
    p, contract, now = _setup(world, at)
    auth.sign_in(world.p1)
    response = submit(client, f"/tenders/{p.id}/spinoffs/new", GOOD)
    assert response.status_code == 302
    proposal = db.session.scalars(select(SpinOffProposal)).one()
    assert proposal.price_pence == 5_500_000 and proposal.duration_months == 12
    html = _text(client.get(response.headers["Location"]))
    assert "Route: Below-threshold modification" in html
    assert "£1,100,000.00" in html and "5.00% of the original value" in html
    assert "Procurement Act 2023 s.74(1)(c) and s.74(4)" in html
    assert "Decision support, not legal advice" in html
    assert "Contract change notice (UK10): not required" in html and "s.75(6)(b)" in html


def test_provider_sees_the_propose_link_on_the_contract_section(client, db, world, auth, at):
    p, contract, now = _setup(world, at)
    auth.sign_in(world.p1)
    html = _text(client.get(f"/tenders/{p.id}"))
    assert "Propose a spin-off on this contract" in html and "Contract modification register" in html
    auth.sign_out()
    auth.sign_in(world.p2)
    assert "Propose a spin-off on this contract" not in _text(client.get(f"/tenders/{p.id}"))


def test_non_numeric_price_is_refused_and_what_was_typed_is_kept(client, db, world, auth, at):
    p, contract, now = _setup(world, at)
    auth.sign_in(world.p1)
    response = submit(client, f"/tenders/{p.id}/spinoffs/new", GOOD | {"price": "about fifty grand"})
    html = _text(response)
    assert response.status_code == 200
    assert "Enter an amount in pounds" in html
    assert 'value="about fifty grand"' in html and "Outdoor activities at weekends." in html
    assert _count(db, SpinOffProposal) == 0


def test_zero_price_and_bad_duration_show_the_services_messages_and_keep_the_input(client, db, world, auth, at):
    p, contract, now = _setup(world, at)
    auth.sign_in(world.p1)
    html = _text(submit(client, f"/tenders/{p.id}/spinoffs/new", GOOD | {"price": "0", "duration_months": "121"}))
    assert "The price must be more than £0" in html
    assert "The duration must be between 1 and 120 months" in html
    assert 'value="121"' in html and 'value="Weekend activities"' in html
    assert _count(db, SpinOffProposal) == 0


def test_empty_description_is_refused(client, db, world, auth, at):
    p, contract, now = _setup(world, at)
    auth.sign_in(world.p1)
    html = _text(submit(client, f"/tenders/{p.id}/spinoffs/new", GOOD | {"description": ""}))
    assert "Describe the spin-off service" in html
    assert _count(db, SpinOffProposal) == 0


def test_spinoff_on_an_ended_contract_is_refused_with_a_clear_message(client, db, world, auth, at):
    p, contract, now = _setup(world, at)
    auth.sign_in(world.p1)
    form_url = f"/tenders/{p.id}/spinoffs/new"
    token_page = client.get(form_url)
    at(datetime.combine(contract.ends_on + timedelta(days=1), time(9)))
    page = _text(client.get(form_url))
    assert "The contract ended on" in page and "Propose the spin-off" not in page
    from tests.conftest import csrf_token

    response = client.post(form_url, data=GOOD | {"csrf_token": csrf_token(token_page.get_data(as_text=True))})
    assert response.status_code == 200
    assert "spin-offs can only be proposed on a running contract" in _text(response)
    assert _count(db, SpinOffProposal) == 0


def test_commissioner_updates_the_check_with_answers_before_deciding(client, db, world, auth, at):
    p, contract, now = _setup(world, at)
    proposal = propose(world, contract, now)
    auth.sign_in(world.c1)
    url = f"/tenders/{p.id}/spinoffs/{proposal.id}/decide"
    html = _text(client.get(url))
    assert "Route: Below-threshold modification" in html
    html = _text(submit(client, url, {"changes_overall_nature": "yes", "unforeseeable": "no",
                                      "additional_from_same_provider": "no", "check": "Update the check"}))
    assert "Route: A new procurement is needed" in html
    assert proposal.status == "proposed"


def test_accepting_when_a_new_procurement_is_needed_is_refused_on_the_page(client, db, world, auth, at):
    p, contract, now = _setup(world, at)
    proposal = propose(world, contract, now)
    auth.sign_in(world.c1)
    response = submit(client, f"/tenders/{p.id}/spinoffs/{proposal.id}/decide",
                      {"changes_overall_nature": "yes", "unforeseeable": "no", "additional_from_same_provider": "no",
                       "decision": "accept", "reason": "We like it", "submit": "Record the decision"})
    html = _text(response)
    assert response.status_code == 200
    assert "cannot be accepted as a modification" in html and "We like it" in html
    db.session.refresh(contract)
    assert contract.value_pence == 110_000_000 and _count(db, ContractModification) == 0


def test_decision_needs_a_choice_and_a_reason(client, db, world, auth, at):
    p, contract, now = _setup(world, at)
    proposal = propose(world, contract, now)
    auth.sign_in(world.c1)
    url = f"/tenders/{p.id}/spinoffs/{proposal.id}/decide"
    answers = {"changes_overall_nature": "no", "unforeseeable": "no", "additional_from_same_provider": "no",
               "submit": "Record the decision"}
    assert "Choose a decision" in _text(submit(client, url, answers | {"reason": "Because"}))
    assert "Give the reason for the decision" in _text(submit(client, url, answers | {"decision": "decline"}))
    db.session.refresh(proposal)
    assert proposal.status == "proposed"


def test_commissioner_accepts_and_the_public_register_shows_it(client, db, world, auth, at):
    p, contract, now = _setup(world, at)
    proposal = propose(world, contract, now, price=5_500_000)
    auth.sign_in(world.c1)
    response = submit_and_confirm(client, f"/tenders/{p.id}/spinoffs/{proposal.id}/decide",
                                  {"changes_overall_nature": "no", "unforeseeable": "no",
                                   "additional_from_same_provider": "no", "decision": "accept",
                                   "reason": "Builds on the outcomes", "submit": "Record the decision"})
    assert response.status_code == 302
    db.session.refresh(contract)
    assert contract.value_pence == 115_500_000
    auth.sign_out()
    register = _text(client.get(f"/tenders/{p.id}/contract/modifications"))
    assert "Weekend activities" in register and "£1,155,000.00" in register and "5.00%" in register
    assert "Below-threshold modification" in register and "Builds on the outcomes" in register
    public = _text(client.get(f"/tenders/{p.id}"))
    assert "Weekend activities" in public and "Accepted as a contract modification" in public
    shown = _text(client.get(f"/tenders/{p.id}/spinoffs/{proposal.id}"))
    assert "The lawful-route check, as shown at the decision" in shown


def test_open_proposals_are_not_public_until_decided(client, db, world, auth, at):
    p, contract, now = _setup(world, at)
    proposal = propose(world, contract, now)
    assert client.get(f"/tenders/{p.id}/spinoffs/{proposal.id}").status_code in (302, 401)
    assert "Weekend activities" not in _text(client.get(f"/tenders/{p.id}"))
    services.decline(proposal, world.c1, answers=Answers(), reason="Not now", now=now)
    db.session.commit()
    assert client.get(f"/tenders/{p.id}/spinoffs/{proposal.id}").status_code == 200


def test_deciding_twice_is_refused_on_the_page(client, db, world, auth, at):
    p, contract, now = _setup(world, at)
    proposal = propose(world, contract, now)
    auth.sign_in(world.c1)
    url = f"/tenders/{p.id}/spinoffs/{proposal.id}/decide"
    page = client.get(url)
    services.decline(proposal, world.c2, answers=Answers(), reason="Declined by a colleague", now=now)
    db.session.commit()
    assert "It cannot be decided again" in _text(client.get(url))
    from tests.conftest import csrf_token

    response = client.post(url, data={"csrf_token": csrf_token(page.get_data(as_text=True)),
                                      "changes_overall_nature": "no", "unforeseeable": "no",
                                      "additional_from_same_provider": "no", "decision": "accept",
                                      "reason": "Accept", "submit": "Record the decision"})
    assert response.status_code == 200
    assert "already decided" in _text(response)
    db.session.refresh(proposal)
    assert proposal.status == "declined"


def test_other_councils_commissioner_cannot_decide_and_the_refusal_is_audited(client, db, world, auth, at):
    p, contract, now = _setup(world, at)
    proposal = propose(world, contract, now)
    auth.sign_in(world.other_commissioner)
    url = f"/tenders/{p.id}/spinoffs/{proposal.id}/decide"
    assert client.get(url).status_code == 403
    refusal = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "security.refused")
                                 .order_by(AuditEvent.seq.desc())).first()
    assert refusal.actor_user_id == world.other_commissioner.id


def test_new_procurement_from_a_spinoff_says_where_it_started(client, db, world, auth, at):
    p, contract, now = _setup(world, at)
    proposal = propose(world, contract, now, title="Step-down foster care")
    auth.sign_in(world.c1)
    url = f"/tenders/{p.id}/spinoffs/{proposal.id}/decide"
    answers = {"changes_overall_nature": "yes", "unforeseeable": "no", "additional_from_same_provider": "no",
               "decision": "new_procurement", "reason": "A different service", "submit": "Record the decision"}
    html = _text(submit(client, url, answers))
    assert "Enter the date engagement closes" in html
    assert _count(db, Procurement) == 1
    response = submit_and_confirm(client, url, answers | {"closes_on": _date(now.date() + timedelta(days=30))})
    assert response.status_code == 302
    new = db.session.scalars(select(Procurement).where(Procurement.title == "Step-down foster care")).one()
    assert new.stage == "engagement"
    owner_view = _text(client.get(f"/tenders/{new.id}"))
    assert "Started from spin-off proposal" in owner_view and p.reference in owner_view
    auth.sign_out()
    public = _text(client.get(f"/tenders/{new.id}"))
    assert "Started from spin-off proposal" in public
    shown = _text(client.get(f"/tenders/{p.id}/spinoffs/{proposal.id}"))
    assert new.reference in shown and "Turned into a new procurement" in shown


NOT_SUBSTANTIAL = {"changes_overall_nature": "no", "unforeseeable": "no", "additional_from_same_provider": "no",
                   "known_risk_materialised": "no", "corporate_restructuring": "no",
                   "materially_changes_scope": "no", "shifts_economic_balance": "no", "term_change_months": "0",
                   "decision": "accept", "reason": "More sessions of the same service",
                   "submit": "Record the decision"}


def test_not_substantial_route_needs_the_commissioners_reasons_and_records_them(client, db, world, auth, at):
    p, contract, now = _setup(world, at)
    contract.regime = "public_contract"  # not light touch: s.74(2) does not apply
    contract.review_clauses_md = p.review_clauses_md = ""  # and no review clause to rely on
    proposal = propose(world, contract, now, price=33_000_000)  # 30%: no value-based route
    auth.sign_in(world.c1)
    url = f"/tenders/{p.id}/spinoffs/{proposal.id}/decide"
    response = submit(client, url, NOT_SUBSTANTIAL)
    html = _text(response)
    assert response.status_code == 200 and "A new procurement is needed" in html
    assert "has not recorded reasons for this assessment" in html and "More sessions of the same service" in html
    reasons = "The same service for the same children; the provider's margin does not change."
    response = submit_and_confirm(client, url, NOT_SUBSTANTIAL | {"not_substantial_reasons": reasons})
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert proposal.snapshot["route"] == "not_substantial"
    assert proposal.snapshot["figures"]["not_substantial_reasons"] == reasons
    register = _text(client.get(f"/tenders/{p.id}/contract/modifications"))
    assert "Not a substantial modification" in register and "s.74(1)(b) and s.74(3)" in register
    assert "Contract change notice (UK10): required" in register
