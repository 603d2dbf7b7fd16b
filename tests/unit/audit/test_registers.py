"""The auditor's registers: each is the trail's own events, built here through the real services."""
from __future__ import annotations

import csv
import io
import json
import types
from datetime import datetime, time, timedelta

from sqlalchemy import select

from core.clock import utcnow
from forum import services as forum_services
from forum.models import Post
from oversight import registers
from tenders.services import clarifications, codesign, evaluation, ledger
from tenders.services import spinoffs as spinoff_services
from tenders.services.spinoffs import Answers
from tests.unit.tenders.builders import T0, awarded, forum_of, in_engagement, in_tender, make_world, standstill_end
from trail.models import AuditEvent

NO_FILTERS = registers.RegisterFilters()


def rows(slug: str, filters: registers.RegisterFilters = NO_FILTERS) -> list[dict]:
    register = registers.get(slug)
    return registers.page(register, filters, 1, 500).rows


def event_of(db, action: str) -> AuditEvent:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.seq.desc()).limit(1)).one()


def talk(world, p, now=T0):
    return ledger.start_conversation(world.p1, organisation=world.org, procurement=p, subject="Question",
                                     body_md="Can homes be shared between two boroughs?", now=now)


def contract_world(world):
    p = awarded(world)
    day = standstill_end(p) + timedelta(days=1)
    now = datetime.combine(day, time(9))
    return p, evaluation.enter_contract(p, world.c1, starts_on=day, now=now), now


def propose(world, contract, now, price, title):
    return spinoff_services.propose_spinoff(contract, world.p1, title=title, description_md="More.",
                                            evidence_md="", price_pence=price, duration_months=12, now=now)


def test_every_register_is_documented_and_its_columns_are_unique():
    assert [r.slug for r in registers.REGISTERS] == list(registers.BY_SLUG)
    for register in registers.REGISTERS:
        assert register.title and register.purpose and register.actions
        names = registers.columns(register)
        assert len(names) == len(set(names))
        assert names[0] == "seq" and names[-1] == "hash"


def test_contacts_register_holds_the_contact_and_its_disclosure_with_each_events_hash(db, org_factory, user_factory):
    world = make_world(org_factory, user_factory)
    p = in_engagement(world)
    contact = ledger.contacts_of(talk(world, p))[0]
    ledger.disclose_contact(contact, world.c1, summary_md="Homes may be shared.",
                            redactions=[ledger.RedactionInput("The borough", "Identifies a child")], now=T0)
    found = rows("contacts")
    assert [row["action"] for row in found] == ["ledger.contact_disclosed", "ledger.contact_opened"]
    disclosed, opened = found
    assert disclosed["hash"] == event_of(db, "ledger.contact_disclosed").hash
    assert disclosed["procurement_reference"] == p.reference
    assert disclosed["provider"] == "Alpha Homes" and disclosed["disclosure_summary"] == "Homes may be shared."
    assert disclosed["redactions"] == [{"what": "The borough", "reason": "Identifies a child"}]
    assert opened["provider_org_id"] == world.p1.organisation_id
    assert opened["subject_id"] == str(contact.id)
    # Ordinary messages are on the trail but not in the register.
    assert "ledger.message_sent" not in {row["action"] for row in found}


def test_not_material_marks_are_in_the_contacts_register_with_the_reason(db, org_factory, user_factory):
    world = make_world(org_factory, user_factory)
    p = in_engagement(world)
    contact = ledger.contacts_of(talk(world, p))[0]
    ledger.mark_not_material(contact, world.c1, reason="Only arranged a call time.", now=T0)
    assert rows("contacts")[0]["not_material_reason"] == "Only arranged a call time."


def test_a_procurement_from_draft_to_award_fills_the_conflicts_openings_scores_and_awards_registers(
        db, org_factory, user_factory):
    world = make_world(org_factory, user_factory)
    p = awarded(world)
    conflicts = rows("conflicts")
    assert {row["action"] for row in conflicts} == {"conflicts.declared", "conflicts.assessed"}
    assert any(row["has_interest"] is False and row["stage"] == "evaluation" for row in conflicts)
    openings = rows("openings")
    assert [row["action"] for row in openings] == ["responses.opened", "responses.open_requested"]
    assert openings[0]["confirmed_by"] == world.c2.id and len(openings[0]["responses"]) == 2
    scores = {row["action"] for row in rows("scores")}
    assert scores == {"evaluation.evaluator_assigned", "evaluation.scored", "evaluation.scores_submitted",
                      "evaluation.consensus_recorded"}
    (award,) = rows("awards")
    assert award["provider"] == "Alpha Homes" and award["procurement_id"] == p.id
    assert award["standstill_ends_on"] == evaluation.award_for(p).standstill_ends_on.isoformat()


def test_clarifications_register_shows_pseudonyms_and_late_answers(db, org_factory, user_factory):
    world = make_world(org_factory, user_factory)
    p = in_tender(world)
    asked = clarifications.ask_clarification(p, world.p1, question="May we bid jointly?", now=T0 + timedelta(days=1))
    clarifications.answer_clarification(asked, world.c1, answer_md="Yes.", now=p.response_deadline - timedelta(days=2))
    answered, question = rows("clarifications")
    assert question["pseudonym"] == "Bidder Q-1" and question["question"] == "May we bid jointly?"
    assert answered["answer"] == "Yes." and answered["late"] is True
    assert "Alpha Homes" not in json.dumps(answered)  # the asker only by pseudonym, as published


def test_codesign_contributions_and_mitigation_notes_are_the_prior_involvement_register(
        db, org_factory, user_factory):
    world = make_world(org_factory, user_factory)
    p = in_engagement(world)
    codesign.open_thread(p, world.p1, title="Keeping children close to home", message_md="Could we?",
                         now=T0 - timedelta(days=10))
    codesign.record_mitigation_note(p, world.c1, shared_md="Every thread is public.",
                                    time_limit_md="Thirty days is ample.", now=T0 - timedelta(days=9))
    note, thread = rows("prior-involvement")
    assert thread["action"] == "codesign.thread_opened" and thread["organisation"] == "Alpha Homes"
    assert thread["thread_title"] == "Keeping children close to home"
    assert note["action"] == "codesign.mitigation_note_recorded" and note["shared"] == "Every thread is public."
    assert note["providers"] and note["note_number"] == 1


def test_modifications_register_shows_each_decision_with_its_route_and_cumulative_percent(
        db, org_factory, user_factory):
    world = make_world(org_factory, user_factory)
    p, contract, now = contract_world(world)
    first = propose(world, contract, now, 6_000_000, "Weekend activities")
    spinoff_services.accept(first, world.c1, answers=Answers(), reason="Fits the outcomes", now=now)
    second = propose(world, contract, now, 2_000_000, "Holiday club")
    spinoff_services.decline(second, world.c1, answers=Answers(), reason="Not now", now=now)
    found = rows("modifications")
    assert [row["action"] for row in found] == ["spinoff.declined", "spinoff.proposed", "spinoff.accepted",
                                                "spinoff.proposed", "contract.entered"]
    accepted = found[2]
    assert accepted["cumulative_percent"] == "5.45" and accepted["route"] == "below_threshold"
    assert accepted["value_before_pence"] == 110_000_000 and accepted["value_after_pence"] == 116_000_000
    assert found[0]["decision_reason"] == "Not now"
    assert found[-1]["contract_value_pence"] == 110_000_000


def test_moderation_register_holds_reports_dismissals_and_hidden_posts(db, org_factory, user_factory):
    world = make_world(org_factory, user_factory)
    place = forum_of(world.c1)
    forum_services.join_forum(place, world.p1)
    thread = forum_services.start_thread(place, world.p1, "A thread", "First post.")
    post = db.session.scalars(select(Post).where(Post.thread_id == thread.id)).one()
    report = forum_services.report_post(post, world.c1, "Names a child")
    forum_services.dismiss_report(report, world.c1)
    forum_services.hide_post(post, world.c1, "Names a child")
    hidden, dismissed, reported = rows("moderation")
    assert (hidden["action"], dismissed["action"], reported["action"]) == \
        ("forum.post_hidden", "forum.report_dismissed", "forum.post_reported")
    assert hidden["reason"] == "Names a child" and reported["report_id"] == report.id
    assert hidden["procurement_id"] is None


def test_filters_narrow_by_procurement_organisation_action_and_day(db, org_factory, user_factory):
    world = make_world(org_factory, user_factory)
    first, second = in_engagement(world), in_engagement(world)
    talk(world, first)
    ledger.start_conversation(world.p2, organisation=world.org, procurement=second, subject="Q", body_md="Hello",
                              now=T0)
    contact = ledger.contacts_of(talk(world, second))[0]
    ledger.mark_not_material(contact, world.c1, reason="Scheduling only.", now=T0)
    everything = rows("contacts")
    assert len(everything) == 4
    by_procurement = rows("contacts", registers.RegisterFilters(procurement_id=first.id))
    assert {row["procurement_id"] for row in by_procurement} == {first.id}
    # An organisation: what its people did (Beta Care opened one contact) ...
    beta = rows("contacts", registers.RegisterFilters(organisation_id=world.p2.organisation_id))
    assert [row["provider_org_id"] for row in beta] == [world.p2.organisation_id]
    # ... and for the owning council, everything on its procurements.
    assert len(rows("contacts", registers.RegisterFilters(organisation_id=world.org.id))) == 4
    resolved = rows("contacts", registers.RegisterFilters(action="ledger.contact_not_material"))
    assert [row["not_material_reason"] for row in resolved] == ["Scheduling only."]
    today = utcnow().date()
    assert len(rows("contacts", registers.RegisterFilters(occurred_from=today, occurred_to=today))) == 4
    assert rows("contacts", registers.RegisterFilters(occurred_to=today - timedelta(days=1))) == []
    assert registers.counts()["contacts"] == 4


def test_a_redacted_payload_leaves_the_fields_empty_and_keeps_the_hash(db, org_factory, user_factory):
    from trail.events import redact_payload

    world = make_world(org_factory, user_factory)
    p = in_engagement(world)
    contact = ledger.contacts_of(talk(world, p))[0]
    ledger.mark_not_material(contact, world.c1, reason="Mentions a child by name.", now=T0)
    event = event_of(db, "ledger.contact_not_material")
    redact_payload(event, "Personal data", world.admin)
    row = rows("contacts", registers.RegisterFilters(action="ledger.contact_not_material"))[0]
    assert row["not_material_reason"] is None and row["redacted_at"] and row["hash"] == event.hash


def test_exports_stream_in_batches_oldest_first_up_to_the_snapshot(db, org_factory, user_factory):
    world = make_world(org_factory, user_factory)
    p = awarded(world)
    register = registers.get("scores")
    every = rows("scores")
    up_to = db.session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1))
    later = awarded(world)  # its score events come after the snapshot and stay out of the export
    assert later.id != p.id
    batches = registers.export_batches(register, NO_FILTERS, up_to, batch_size=3)
    assert isinstance(batches, types.GeneratorType)
    chunks = registers.csv_chunks(register, batches)
    assert isinstance(chunks, types.GeneratorType)
    parsed = list(csv.DictReader(io.StringIO("".join(chunks))))
    assert [int(row["seq"]) for row in parsed] == sorted(row["seq"] for row in every)
    assert list(parsed[0]) == list(registers.columns(register))
    assert parsed[-1]["hash"] == every[0]["hash"]
    as_json = json.loads("".join(registers.json_chunks(
        register, registers.export_batches(register, NO_FILTERS, up_to, batch_size=2))))
    assert as_json == list(reversed(every))


def test_csv_cells_that_a_spreadsheet_would_run_are_defused(db, org_factory, user_factory):
    world = make_world(org_factory, user_factory)
    p = in_engagement(world)
    contact = ledger.contacts_of(talk(world, p))[0]
    ledger.mark_not_material(contact, world.c1, reason="=HYPERLINK(\"http://evil\")", now=T0)
    register = registers.get("contacts")
    up_to = event_of(db, "ledger.contact_not_material").seq
    text = "".join(registers.csv_chunks(register, registers.export_batches(register, NO_FILTERS, up_to,
                                                                           batch_size=10)))
    reasons = [row["not_material_reason"] for row in csv.DictReader(io.StringIO(text)) if row["not_material_reason"]]
    assert reasons == ["'=HYPERLINK(\"http://evil\")"]
