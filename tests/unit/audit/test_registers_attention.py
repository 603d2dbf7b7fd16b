"""The attention dashboard: each item appears from the domain's state and goes once that state is put right."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from oversight import attention
from tenders.services import clarifications, conflicts, evaluation, ledger, specification
from tenders.services import spinoffs as spinoff_services
from tenders.services.spinoffs import Answers
from tests.unit.tenders.builders import (
    DEADLINE,
    GOOD_OUTCOMES,
    T0,
    awarded,
    draft,
    in_engagement,
    in_tender,
    make_world,
    standstill_end,
)


def items(kind: str, now: datetime) -> list[attention.Item]:
    return attention.attention(now)[kind]


def test_an_undisclosed_contact_is_listed_until_it_is_resolved(db, app, org_factory, user_factory):
    world = make_world(org_factory, user_factory)
    p = in_engagement(world)
    conversation = ledger.start_conversation(world.p1, organisation=world.org, procurement=p, subject="Q",
                                             body_md="Can homes be shared?", now=T0)
    contact = ledger.contacts_of(conversation)[0]
    (item,) = items("contacts", T0 + timedelta(days=1))
    assert item.procurement.id == p.id and item.since == T0 and "Alpha Homes" in item.what
    assert (item.fix_endpoint, item.fix_args) == ("tenders.ledger_contact", {"contact_id": contact.id})
    assert not item.urgent
    late = T0 + timedelta(days=app.config["CONTACT_RESOLUTION_DAYS"] + 1)
    assert items("contacts", late)[0].urgent and "overdue" in items("contacts", late)[0].what
    ledger.disclose_contact(contact, world.c1, summary_md="Homes may be shared.", redactions=[], now=late)
    assert items("contacts", late) == []


def test_a_missing_declaration_is_listed_since_the_stage_began_until_it_is_made(db, org_factory, user_factory):
    world = make_world(org_factory, user_factory)
    p = in_engagement(world)
    listed = [item for item in items("declarations", T0) if item.procurement.id == p.id]
    assert len(listed) == 1
    assert world.c1.full_name in listed[0].what and listed[0].since == p.engagement_published_at
    assert listed[0].fix_endpoint == "tenders.conflicts_declarations"
    conflicts.declare(p, world.c1, has_interest=False, description="", now=T0)
    assert [item for item in items("declarations", T0) if item.procurement.id == p.id] == []


def test_a_draft_or_a_contract_without_declarations_is_not_listed(db, org_factory, user_factory):
    """Declarations hold something up only before the tender notice and while responses are opened and scored."""
    world = make_world(org_factory, user_factory)
    still_drafting = draft(world)
    assert conflicts.missing_declarations(still_drafting)  # nobody declared: the publish check will say so
    listed = {item.procurement.id for item in items("declarations", T0)}
    assert still_drafting.id not in listed


def test_late_and_overdue_clarification_answers_are_listed_until_the_deadline_is_extended(
        db, org_factory, user_factory):
    world = make_world(org_factory, user_factory)
    p = in_tender(world)
    asked = clarifications.ask_clarification(p, world.p1, question="May we bid jointly?", now=T0 + timedelta(days=1))
    assert items("clarifications", T0 + timedelta(days=2)) == []  # in good time
    past_cutoff = DEADLINE - timedelta(days=3)
    (unanswered,) = items("clarifications", past_cutoff)
    assert unanswered.urgent and "unanswered" in unanswered.what
    assert unanswered.fix_args == {"procurement_id": p.id, "clarification_id": asked.id}
    clarifications.answer_clarification(asked, world.c1, answer_md="Yes.", now=past_cutoff)
    (late,) = items("clarifications", past_cutoff)
    assert late.since == past_cutoff and "Bidder Q-1" in late.what
    assert late.fix_endpoint == "tenders.change_specification"
    specification.save_version(p, world.c1, body_md="Providers will help each child settle and thrive, together.",
                               outcomes=list(GOOD_OUTCOMES), now=past_cutoff)
    specification.publish_spec_change(p, world.c1, new_response_deadline=DEADLINE + timedelta(days=14),
                                      now=past_cutoff)
    assert items("clarifications", past_cutoff) == []


def test_a_modification_taking_the_contract_beyond_ten_percent_is_listed(db, org_factory, user_factory):
    world = make_world(org_factory, user_factory)
    p = awarded(world)
    day = standstill_end(p) + timedelta(days=1)
    now = datetime.combine(day, time(9))
    contract = evaluation.enter_contract(p, world.c1, starts_on=day, now=now)

    def accept(price: int, title: str):
        proposal = spinoff_services.propose_spinoff(contract, world.p1, title=title, description_md="More.",
                                                    evidence_md="", price_pence=price, duration_months=12, now=now)
        return spinoff_services.accept(proposal, world.c1, answers=Answers(), reason="Builds on outcomes", now=now)

    accept(6_000_000, "Weekend activities")  # 5.45%: within the 10%
    assert items("modifications", now) == []
    second = accept(6_000_000, "Holiday club")  # 10.91% cumulative, on the review clause
    (item,) = items("modifications", now)
    assert item.procurement.id == p.id and item.since == second.decided_at
    assert "Holiday club" in item.what and "10.91%" in item.what and second.route_label in item.what
    assert item.fix_endpoint == "tenders.spinoffs_register"


def test_items_are_grouped_in_the_documented_order(db, org_factory, user_factory):
    make_world(org_factory, user_factory)
    assert list(attention.attention(T0)) == list(attention.KINDS)


def test_an_overdue_contract_details_notice_needs_attention_until_published(db, org_factory, user_factory):
    """UK7 is due within 120 days of entering a light touch contract (PA23 s.53): overdue after that, gone once
    published."""
    from datetime import time as day_time

    from tenders.services import notices
    from tests.unit.tenders.test_spinoffs import contract_world

    world = make_world(org_factory, user_factory)
    p, contract, now = contract_world(world)
    assert [i for i in attention.attention(now)["notices"] if i.procurement.id == p.id] == []
    assert contract.regime == "light_touch"
    assert [i for i in attention.attention(now + timedelta(days=119))["notices"] if i.procurement.id == p.id] == []
    late = now + timedelta(days=120)
    [item] = [i for i in attention.attention(late)["notices"] if i.procurement.id == p.id]
    assert item.what.startswith("UK7 Contract details notice not published") and "s.53" in item.what
    assert item.since == datetime.combine(now.date() + timedelta(days=120), day_time())
    notices.publish_contract_details(p, world.c1, now=late)
    assert [i for i in attention.attention(late)["notices"] if i.procurement.id == p.id] == []
