"""Co-design: threads, proposals, decisions, clause provenance, the report, prior involvement and publishing."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.errors import NotPermitted, RuleViolation
from core.models import OutboxMessage
from tenders.models import ProcurementDocument, SpecVersion
from tenders.models.codesign import CodesignMessage, CodesignProposal, CodesignThread, MitigationNote
from tenders.services import codesign, links, procurements, specification
from tenders.services.codesign import NEW_SECTION
from tests.unit.tenders.builders import (
    CLARIFY_BY,
    DEADLINE,
    GOOD_OUTCOMES,
    T0,
    clear_conflicts,
    forum_of,
    in_engagement,
    meeting_in,
)
from trail.models import AuditEvent

E = T0 - timedelta(days=10)  # during engagement (published T0 - 20 days)
BODY = "Homes for children.\n\n## Homes and placements\n\nNear home.\n\n## Education\n\nAt school.\n"


def _sectioned(world):
    p = in_engagement(world)
    specification.save_version(p, world.c1, body_md=BODY, outcomes=list(GOOD_OUTCOMES), now=E - timedelta(days=1))
    return p


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def _events(db, action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _thread(p, user, now=E):
    return codesign.open_thread(p, user, title="Keeping children close to home", message_md="Could we?", now=now)


def _proposal(p, world, *, key="homes-and-placements", text="Within 20 miles of home.", now=E):
    return codesign.propose_change(_thread(p, world.p1, now=now), world.p1, section_key=key, text=text,
                                   rationale_md="Testable.", now=now)


def _publish(p, world):
    """The builders' in_tender step on a procurement built here: rule-4 declarations, then the notice."""
    clear_conflicts(world, p)
    procurements.publish_tender(p, world.c1, clarification_deadline=CLARIFY_BY, response_deadline=DEADLINE, now=T0)


# ---------------------------------------------------------------- threads


def test_any_provider_including_an_in_house_unit_and_the_owner_may_open_threads_and_post(db, world):
    p = _sectioned(world)
    thread = _thread(p, world.in_house)
    codesign.post_message(thread, world.p2, body_md="Agreed, **strongly**.", now=E + timedelta(hours=1))
    codesign.post_message(thread, world.c1, body_md="Thank you.", now=E + timedelta(hours=2))
    assert [(m.author_id, m.organisation_id) for m in thread.messages] == [
        (world.in_house.id, world.in_house.organisation_id), (world.p2.id, world.p2.organisation_id),
        (world.c1.id, world.org.id)]
    assert "<strong>strongly</strong>" in thread.messages[1].body_html
    assert thread.messages[1].posted_at == E + timedelta(hours=1)
    assert {e.audience for e in _events(db, "codesign.message_posted")} == {"public"}
    assert _events(db, "codesign.thread_opened")[0].procurement_id == p.id


def test_an_empty_message_is_refused_and_nothing_is_posted(db, world):
    p = _sectioned(world)
    thread = _thread(p, world.p1)
    with pytest.raises(RuleViolation) as exc:
        codesign.post_message(thread, world.p2, body_md="   \n", now=E)
    assert exc.value.reasons == {"message": "Enter your message"}
    assert _count(db, CodesignMessage) == 1


def test_a_thread_needs_a_title_and_a_first_message(db, world):
    p = _sectioned(world)
    with pytest.raises(RuleViolation) as exc:
        codesign.open_thread(p, world.p1, title=" ", message_md="", now=E)
    assert set(exc.value.reasons) == {"title", "message"}
    assert _count(db, CodesignThread) == 0


def test_another_councils_commissioner_and_auditors_cannot_take_part(db, world):
    p = _sectioned(world)
    for outsider in (world.other_commissioner, world.auditor, world.admin):
        with pytest.raises(NotPermitted):
            codesign.open_thread(p, outsider, title="T", message_md="M", now=E)
    assert _count(db, CodesignThread) == 0
    assert [e.payload.count("codesign.open_thread") for e in _events(db, "security.refused")] == [1, 1, 1]


def test_threads_cannot_be_opened_while_the_procurement_is_a_private_draft(db, world):
    from tests.unit.tenders.builders import draft

    p = draft(world)
    with pytest.raises(RuleViolation) as exc:
        codesign.open_thread(p, world.c1, title="T", message_md="M", now=E)
    assert "engagement notice" in exc.value.reasons[""]
    with pytest.raises(NotPermitted):
        codesign.open_thread(p, world.p1, title="T", message_md="M", now=E)


# ---------------------------------------------------------------- proposals


def test_a_proposal_records_the_section_its_text_now_and_the_draft_it_was_made_against(db, world):
    p = _sectioned(world)
    proposal = _proposal(p, world)
    assert (proposal.section_key, proposal.section_heading, proposal.base_text) == (
        "homes-and-placements", "Homes and placements", "Near home.")
    assert proposal.base_version.number == 2 and proposal.organisation_id == world.p1.organisation_id
    view = codesign.view_proposal(proposal)
    [section] = view.diff.sections
    assert section.name == "Homes and placements"
    [row] = section.rows
    assert row.kind == "changed" and "".join(piece.text for piece in row.old) == "Near home."
    assert [piece.text for piece in row.new if piece.changed] == ["Within 20 miles of"]
    assert _events(db, "codesign.proposal_made")[0].audience == "public"


def test_a_proposal_for_a_new_section_gives_a_heading_and_text(db, world):
    p = _sectioned(world)
    thread = _thread(p, world.p2)
    proposal = codesign.propose_change(thread, world.p2, section_key=NEW_SECTION, new_heading="Moving on",
                                       text="Adulthood.", rationale_md="Missing.", now=E)
    assert proposal.is_new_section and proposal.section_key == "moving-on" and proposal.base_text == ""


def test_empty_proposed_text_is_refused(db, world):
    p = _sectioned(world)
    thread = _thread(p, world.p1)
    with pytest.raises(RuleViolation) as exc:
        codesign.propose_change(thread, world.p1, section_key="education", text="  ", rationale_md="Why", now=E)
    assert exc.value.reasons == {"text": "Enter the text you propose for the section"}
    assert _count(db, CodesignProposal) == 0


def test_a_proposal_for_an_unknown_section_is_refused(db, world):
    p = _sectioned(world)
    thread = _thread(p, world.p1)
    with pytest.raises(RuleViolation) as exc:
        codesign.propose_change(thread, world.p1, section_key="staffing", text="x", rationale_md="y", now=E)
    assert "not in version 2" in exc.value.reasons["section"]
    with pytest.raises(RuleViolation) as exc:
        codesign.propose_change(thread, world.p1, section_key=NEW_SECTION, new_heading="Education", text="x",
                                rationale_md="y", now=E)
    assert "already exists" in exc.value.reasons["new_heading"]
    assert _count(db, CodesignProposal) == 0


def _meeting_event(world, p):
    forum = forum_of(world.c1)
    links.link_forum(p, world.c1, forum, now=E)
    meeting = meeting_in(forum, world.c1)
    return links.add_meeting_event(p, world.c1, meeting, now=E)


def test_a_commissioner_records_a_meeting_proposal_crediting_the_provider(db, world):
    p = _sectioned(world)
    event = _meeting_event(world, p)
    after = event.when + timedelta(hours=3)
    proposal = codesign.record_meeting_proposal(p, world.c1, event=event, organisation=world.p2.organisation,
                                                section_key="education", text="Attending and progressing.",
                                                rationale_md="Said in the meeting.", now=after)
    assert proposal.thread_id is None and proposal.event_id == event.id
    assert proposal.organisation_id == world.p2.organisation_id and proposal.recorded_by_id == world.c1.id
    assert [e.organisation.name for e in codesign.prior_involvement(p)] == ["Beta Care"]
    assert codesign.prior_involvement(p)[0].meeting_proposals == 1


def test_a_meeting_proposal_needs_a_meeting_that_happened_and_a_provider(db, world):
    p = _sectioned(world)
    event = _meeting_event(world, p)
    with pytest.raises(RuleViolation) as exc:
        codesign.record_meeting_proposal(p, world.c1, event=event, organisation=world.org, section_key="education",
                                         text="x", rationale_md="y", now=event.when - timedelta(days=1))
    assert set(exc.value.reasons) == {"event", "organisation"}
    with pytest.raises(NotPermitted):
        codesign.record_meeting_proposal(p, world.p1, event=event, organisation=world.p1.organisation,
                                         section_key="education", text="x", rationale_md="y", now=event.when)
    assert _count(db, CodesignProposal) == 0


# ---------------------------------------------------------------- decisions


def test_accepting_saves_a_new_version_with_that_section_replaced_and_the_outcomes_copied(db, world):
    p = _sectioned(world)
    proposal = _proposal(p, world)
    codesign.decide_proposal(proposal, world.c1, decision="accepted", reason_md="Clear.",
                             now=E + timedelta(days=1))
    latest = p.latest_version
    assert latest.number == 3 and proposal.result_version_id == latest.id
    assert latest.body_md == BODY.replace("Near home.", "Within 20 miles of home.")
    assert [o.description for o in latest.outcomes] == [o.description for o in GOOD_OUTCOMES]
    assert p.versions[1].body_md == BODY  # the old version is unchanged
    assert latest.note.startswith("Accepted: Proposal")
    assert _events(db, "specification.saved")[-1].subject_id == str(latest.id)
    decided = _events(db, "codesign.proposal_decided")[0]
    assert decided.audience == "public" and "Clear." in decided.payload
    email = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == world.p1.email,
                                                           OutboxMessage.subject.contains("proposal"))).one()
    assert "accepted" in email.subject and "Clear." in email.body


def test_adapting_saves_the_commissioners_text(db, world):
    p = _sectioned(world)
    proposal = _proposal(p, world)
    codesign.decide_proposal(proposal, world.c1, decision="adapted", adapted_text="Within 15 miles.",
                             reason_md="Shorter distance.", now=E + timedelta(days=1))
    assert "## Homes and placements\n\nWithin 15 miles.\n" in p.latest_version.body_md
    assert codesign.view_proposal(proposal).adapted_diff


def test_declining_keeps_the_draft_and_publishes_the_reason(db, world):
    p = _sectioned(world)
    proposal = _proposal(p, world)
    codesign.decide_proposal(proposal, world.c1, decision="declined", reason_md="Outcomes, not inputs.",
                             now=E + timedelta(days=1))
    assert p.latest_version.number == 2 and proposal.result_version_id is None
    assert proposal.decision_reason_html.startswith("<p>Outcomes")


def test_a_decision_without_a_reason_is_refused_and_changes_nothing(db, world):
    p = _sectioned(world)
    proposal = _proposal(p, world)
    with pytest.raises(RuleViolation) as exc:
        codesign.decide_proposal(proposal, world.c1, decision="accepted", reason_md=" ", now=E)
    assert "reason" in exc.value.reasons
    with pytest.raises(RuleViolation) as exc:
        codesign.decide_proposal(proposal, world.c1, decision="adapted", reason_md="Why", adapted_text="", now=E)
    assert "adapted_text" in exc.value.reasons
    assert proposal.decision is None and p.latest_version.number == 2


def test_a_decided_proposal_cannot_be_decided_again(db, world):
    p = _sectioned(world)
    proposal = _proposal(p, world)
    codesign.decide_proposal(proposal, world.c1, decision="declined", reason_md="No.", now=E)
    with pytest.raises(RuleViolation) as exc:
        codesign.decide_proposal(proposal, world.c2, decision="accepted", reason_md="Yes after all.", now=E)
    assert "cannot be changed" in exc.value.reasons[""]
    assert proposal.decision == "declined" and p.latest_version.number == 2


def test_a_proposal_for_a_section_that_no_longer_exists_cannot_be_accepted(db, world):
    p = _sectioned(world)
    proposal = _proposal(p, world)
    specification.save_version(p, world.c1, body_md="Homes for children.\n\n## Education\n\nAt school.\n",
                               outcomes=list(GOOD_OUTCOMES), now=E + timedelta(hours=1))
    view = codesign.view_proposal(proposal)
    assert view.section_missing
    with pytest.raises(RuleViolation) as exc:
        codesign.decide_proposal(proposal, world.c1, decision="accepted", reason_md="Yes", now=E)
    assert "no longer exists" in exc.value.reasons[""]
    assert proposal.decision is None and p.latest_version.number == 3
    codesign.decide_proposal(proposal, world.c1, decision="declined", reason_md="Section removed.", now=E)


def test_a_provider_cannot_decide_and_the_refusal_is_audited(db, world):
    p = _sectioned(world)
    proposal = _proposal(p, world)
    before = _count(db, AuditEvent)
    with pytest.raises(NotPermitted):
        codesign.decide_proposal(proposal, world.p1, decision="accepted", reason_md="Mine is good.", now=E)
    refusal = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
    assert _count(db, AuditEvent) == before + 1 and refusal.procurement_id == p.id
    assert refusal.action == "security.refused" and "codesign.decide" in refusal.summary
    assert proposal.decision is None


# ---------------------------------------------------------------- provenance


def test_every_section_records_where_its_text_came_from_and_unchanged_text_keeps_it(db, world):
    p = _sectioned(world)
    first = _proposal(p, world)
    codesign.decide_proposal(first, world.c1, decision="accepted", reason_md="Clear.", now=E + timedelta(days=1))
    rows = {r.section_key: r for r in codesign.provenance_for(p.latest_version)}
    assert rows["homes-and-placements"].origin == "proposal" and rows["homes-and-placements"].proposal_id == first.id
    assert rows["education"].origin == "drafted" and rows["education"].drafted_by_id == world.c1.id
    assert rows["education"].since_version == 2
    text = codesign.provenance_text(rows["homes-and-placements"])
    assert "Proposed by Alpha Homes in the co-design thread" in text and "accepted by Casey One" in text
    # A direct edit of another section: the credited section keeps its provenance, the edited one is drafted.
    body = p.latest_version.body_md.replace("At school.", "Attending and progressing.")
    specification.save_version(p, world.c2, body_md=body, outcomes=list(GOOD_OUTCOMES), now=E + timedelta(days=2))
    rows = {r.section_key: r for r in codesign.provenance_for(p.latest_version)}
    assert rows["homes-and-placements"].proposal_id == first.id and rows["homes-and-placements"].since_version == 3
    assert rows["education"].drafted_by_id == world.c2.id and rows["education"].since_version == 4
    assert codesign.provenance_text(rows["education"]).startswith("Drafted by Chris Two")


# ---------------------------------------------------------------- prior involvement, mitigation, report, publishing


def test_prior_involvement_lists_every_provider_that_contributed_but_no_commissioner(db, world):
    p = _sectioned(world)
    thread = _thread(p, world.p1)
    codesign.post_message(thread, world.in_house, body_md="Yes.", now=E + timedelta(hours=1))
    codesign.post_message(thread, world.c1, body_md="Noted.", now=E + timedelta(hours=2))
    codesign.propose_change(thread, world.p2, section_key="education", text="x", rationale_md="y",
                            now=E + timedelta(hours=3))
    listed = {e.organisation.name: e for e in codesign.prior_involvement(p)}
    assert set(listed) == {"Alpha Homes", "Beta Care", "Northshire In-House Homes"}
    assert listed["Alpha Homes"].threads == 1 and listed["Beta Care"].proposals == 1
    assert listed["Northshire In-House Homes"].messages == 1


def test_a_mitigation_note_needs_both_fields_and_only_the_owner_writes_it(db, world):
    p = _sectioned(world)
    with pytest.raises(RuleViolation) as exc:
        codesign.record_mitigation_note(p, world.c1, shared_md="All threads are public.", time_limit_md=" ", now=E)
    assert set(exc.value.reasons) == {"time_limit"}
    with pytest.raises(RuleViolation) as exc:
        codesign.record_mitigation_note(p, world.c1, shared_md="", time_limit_md="30 days.", now=E)
    assert set(exc.value.reasons) == {"shared"}
    with pytest.raises(NotPermitted):
        codesign.record_mitigation_note(p, world.p1, shared_md="a", time_limit_md="b", now=E)
    assert _count(db, MitigationNote) == 0


def test_mitigation_notes_are_numbered_and_a_new_one_supersedes(db, world):
    p = _sectioned(world)
    _thread(p, world.p1)
    one = codesign.record_mitigation_note(p, world.c1, shared_md="a", time_limit_md="b", now=E + timedelta(hours=1))
    two = codesign.record_mitigation_note(p, world.c2, shared_md="c", time_limit_md="d", now=E + timedelta(hours=2))
    assert (one.number, two.number) == (1, 2) and codesign.latest_note(p) is two
    assert codesign.note_providers(two) == ["Alpha Homes"] and one.shared_md == "a"
    assert _events(db, "codesign.mitigation_note_recorded")[1].audience == "public"


def test_publish_problems_name_providers_needing_mitigation_and_undecided_proposals(db, world):
    p = _sectioned(world)
    assert codesign.publish_problems(p, T0) == {}
    proposal = _proposal(p, world)
    problems = codesign.publish_problems(p, T0)
    assert "Alpha Homes" in problems["prior_involvement"]
    assert "Proposal" in problems["undecided_proposals"] and "Homes and placements" in problems["undecided_proposals"]
    assert "engagement_report" not in problems
    codesign.record_mitigation_note(p, world.c1, shared_md="a", time_limit_md="b", now=E + timedelta(hours=1))
    codesign.decide_proposal(proposal, world.c1, decision="accepted", reason_md="Yes.", now=E + timedelta(hours=2))
    problems = codesign.publish_problems(p, T0)
    assert set(problems) == {"engagement_report"} and "version 3" in problems["engagement_report"]
    codesign.attach_report(p, world.c1, now=E + timedelta(hours=3))
    assert codesign.publish_problems(p, T0) == {}
    # A later contribution needs a newer note, and makes the attached report out of date.
    codesign.post_message(proposal.thread, world.p2, body_md="One more idea.", now=E + timedelta(hours=4))
    problems = codesign.publish_problems(p, T0)
    assert "Beta Care" in problems["prior_involvement"] and "older than" in problems["prior_involvement"]
    assert "out of date" in problems["engagement_report"]


def test_publishing_the_tender_is_blocked_until_the_codesign_problems_are_solved(db, world):
    p = _sectioned(world)
    _proposal(p, world)
    with pytest.raises(RuleViolation) as exc:
        _publish(p, world)
    assert {"undecided_proposals", "prior_involvement"} <= set(exc.value.reasons)
    assert p.stage == "engagement"


def test_the_report_is_deterministic_and_attached_as_a_hashed_tender_document(db, world):
    p = _sectioned(world)
    proposal = _proposal(p, world)
    codesign.decide_proposal(proposal, world.c1, decision="declined", reason_md="Outcomes, not inputs.", now=E)
    report = codesign.engagement_report(p)
    assert report.text == codesign.engagement_report(p).text
    for expected in ("Keeping children close to home", "Declined by Casey One", "Outcomes, not inputs.",
                     "## Prior involvement", "- Alpha Homes: 1 thread opened, 1 proposal",
                     "## Provenance of specification version 2", "Homes and placements: Drafted by Casey One"):
        assert expected in report.text
    document = codesign.attach_report(p, world.c1, now=E)
    assert document.filename == f"engagement-report-{p.reference}-v2.md" and document.sha256 == report.sha256
    assert _events(db, "procurement.document_added")[-1].audience == "public"
    with pytest.raises(RuleViolation):
        codesign.attach_report(p, world.c1, now=E)
    assert db.session.scalar(select(func.count()).select_from(ProcurementDocument)) == 1
    with pytest.raises(NotPermitted):
        codesign.attach_report(p, world.p1, now=E)


# ---------------------------------------------------------------- phase lock


def _tender_with_codesign(db, world):
    """A co-designed draft whose rule-3 record is complete, then the tender published (the builders' step)."""
    p = _sectioned(world)
    proposal = _proposal(p, world)
    codesign.decide_proposal(proposal, world.c1, decision="declined", reason_md="No.", now=E + timedelta(hours=1))
    codesign.record_mitigation_note(p, world.c1, shared_md="a", time_limit_md="b", now=E + timedelta(hours=2))
    codesign.attach_report(p, world.c1, now=E + timedelta(hours=3))
    _publish(p, world)
    return p, proposal


def test_once_the_tender_is_published_threads_are_read_only(db, world):
    p, proposal = _tender_with_codesign(db, world)
    thread = proposal.thread
    closed = "Co-design closed on 2 March 2026 when the tender was published; ask questions through clarification"
    attempts = [
        lambda: codesign.post_message(thread, world.p1, body_md="Late idea", now=T0),
        lambda: codesign.open_thread(p, world.p2, title="T", message_md="M", now=T0),
        lambda: codesign.propose_change(thread, world.p1, section_key="education", text="x", rationale_md="y",
                                        now=T0),
        lambda: codesign.decide_proposal(proposal, world.c1, decision="accepted", reason_md="y", now=T0),
        lambda: codesign.record_mitigation_note(p, world.c1, shared_md="a", time_limit_md="b", now=T0),
    ]
    for attempt in attempts:
        with pytest.raises(RuleViolation) as exc:
            attempt()
        assert exc.value.reasons[""] in (closed,) or "before the tender is published" in exc.value.reasons[""]
    assert len(thread.messages) == 1 and proposal.decision == "declined"


def test_the_demo_co_designs_a_procurement_in_engagement(db, world):
    from demo.tenders_codesign import load_codesign_demo

    p = in_engagement(world)
    made = load_codesign_demo(p, world.c1, [world.p1, world.p2, world.in_house], now=T0 - timedelta(days=6))
    assert [pr.decision for pr in made["proposals"]] == ["accepted", "adapted", "declined"]
    assert all(pr.decision_reason_md for pr in made["proposals"])
    assert len(made["threads"]) == 2 and made["note"].number == 1
    origins = {r.heading: r.origin for r in codesign.provenance_for(p.latest_version)}
    assert origins["Homes and placements"] == origins["Moving on to adulthood"] == "proposal"
    assert origins["Education"] == "drafted"
    assert codesign.publish_problems(p, T0) == {}
    assert made["report"].sha256 == codesign.engagement_report(p).sha256
    versions = select(func.count()).select_from(SpecVersion).where(SpecVersion.procurement_id == p.id)
    assert db.session.scalar(versions) == 4


def test_likely_child_identifiers_are_refused_until_the_author_confirms(db, world):
    from core.safeguarding import ChildDataWarning

    p = _sectioned(world)
    thread = _thread(p, world.p1)
    text = "The young person at M1 1AE needs a home nearby."
    with pytest.raises(ChildDataWarning) as exc:
        codesign.post_message(thread, world.p2, body_md=text, now=E)
    assert "postcode" in exc.value.reasons["message"] and _count(db, CodesignMessage) == 1
    with pytest.raises(ChildDataWarning):
        codesign.propose_change(thread, world.p2, section_key="education", text=text, rationale_md="y", now=E)
    codesign.post_message(thread, world.p2, body_md=text, now=E, confirmed_no_child_data=True)
    confirmation = _events(db, "codesign.child_data_confirmed")[0]
    assert confirmation.audience == "auditors" and "M1 1AE" not in confirmation.payload
