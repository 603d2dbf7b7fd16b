"""What a commissioner and a provider see in "My work" from the tenders package, and what they do not."""
from datetime import timedelta

from core.worklist import items_for
from tenders.services import clarifications, conflicts, drafts, responses
from tests.unit.tenders.builders import (
    AFTER,
    CLARIFY_BY,
    DEADLINE,
    T0,
    awarded,
    in_engagement,
    in_tender,
    submit,
)


def _titles(user, section=None):
    return [item.title for item in items_for(user) if section is None or item.section == section]


def _section(user, section):
    return [item for item in items_for(user) if item.section == section]


def test_a_question_shows_with_the_time_left_before_the_answer_cutoff(db, world, at):
    p = in_tender(world)
    clarifications.ask_clarification(p, world.p1, question="Is respite included?", now=T0 + timedelta(days=1))
    at(T0 + timedelta(days=2))
    [item] = _section(world.c1, "Questions to answer")
    assert "Is respite included?" in item.title and item.url.endswith("/answer")
    assert "days left before the cut-off" in item.detail
    assert _section(world.other_commissioner, "Questions to answer") == []  # another organisation's tender
    assert _section(world.p1, "Questions to answer") == []


def test_an_answered_question_leaves_the_list(db, world, at):
    p = in_tender(world)
    question = clarifications.ask_clarification(p, world.p1, question="Is respite included?",
                                                now=T0 + timedelta(days=1))
    clarifications.answer_clarification(question, world.c1, answer_md="Yes.", now=T0 + timedelta(days=2))
    at(T0 + timedelta(days=3))
    assert _section(world.c1, "Questions to answer") == []


def test_an_opening_waits_for_the_second_commissioner_not_the_one_who_asked(db, world, at):
    p = in_tender(world)
    submit(world, p, world.p1, 100)
    at(AFTER)
    assert [i.title for i in _section(world.c1, "Openings waiting for a second commissioner")] == [
        f"Ask to open the responses to {p.reference} {p.title}"]
    responses.open_box(p, world.c1, now=AFTER)
    assert _section(world.c1, "Openings waiting for a second commissioner") == []
    [item] = _section(world.c2, "Openings waiting for a second commissioner")
    assert item.title.startswith("Confirm the opening") and item.url == f"/tenders/{p.id}/open"
    assert "Casey One asked" in item.detail
    assert _section(world.other_commissioner, "Openings waiting for a second commissioner") == []


def test_a_conflicted_commissioner_is_not_asked_to_confirm(db, world, at):
    p = in_tender(world)
    submit(world, p, world.p1, 100)
    responses.open_box(p, world.c1, now=AFTER)
    conflicts.declare(p, world.c2, has_interest=True, now=AFTER, organisation_id=world.p1.organisation_id,
                      description="My sister runs Alpha Homes")
    at(AFTER)
    assert _section(world.c2, "Openings waiting for a second commissioner") == []


def test_nothing_to_open_before_the_deadline(db, world, at):
    in_tender(world)
    at(DEADLINE - timedelta(minutes=1))
    assert _section(world.c1, "Openings waiting for a second commissioner") == []


def test_a_declaration_is_due_where_i_acted_at_this_stage_without_declaring(db, world, at):
    p = in_tender(world, declared=False)
    at(T0 + timedelta(days=1))
    [item] = _section(world.c1, "Declarations of interest due")
    assert p.reference in item.title and item.url == f"/tenders/{p.id}/declarations"
    assert _section(world.c2, "Declarations of interest due") == []  # c2 has not acted
    conflicts.declare(p, world.c1, has_interest=False, description="", now=T0 + timedelta(days=1))
    assert _section(world.c1, "Declarations of interest due") == []


def test_notices_due_name_the_tender_notice_during_engagement(db, world, at):
    p = in_engagement(world)
    at(T0)
    assert f"Publish the tender notice for {p.reference} {p.title}" in _titles(world.c1, "Notices due")
    assert _titles(world.other_commissioner, "Notices due") == []


def test_the_award_notice_is_due_once_every_evaluator_has_submitted(db, world, at):
    from tests.unit.tenders.builders import evaluated, opened

    first = opened(world)
    at(AFTER)
    assert not any("award" in title for title in _titles(world.c1, "Notices due"))
    p = evaluated(world)
    [item] = [i for i in _section(world.c1, "Notices due") if i.url == f"/tenders/{p.id}/award"]
    assert "contract award notice (UK6)" in item.title and first.id != p.id


def test_a_standstill_ending_soon_asks_for_the_contract(db, world, at):
    p = awarded(world)
    at(AFTER + timedelta(days=1))
    [item] = _section(world.c1, "Standstills ending")
    assert item.url == f"/tenders/{p.id}/contract" and "standstill ends" in item.detail


def test_a_provider_sees_open_tenders_its_response_and_then_its_assessment_summary(db, world, at):
    p = in_tender(world)
    at(T0 + timedelta(days=1))
    [item] = _section(world.p1, "Open tenders")
    assert item.title == f"{p.reference} {p.title}" and "days left" in item.detail
    submit(world, p, world.p1, 100)
    assert _section(world.p1, "Open tenders") == []
    [mine] = _section(world.p1, "My responses")
    assert "/receipt" in mine.url
    assert _section(world.p2, "My responses") == []  # another bidder's response never shows
    assert _section(world.c1, "My responses") == []


def test_a_saved_draft_waits_in_my_responses_until_it_is_submitted(db, world, at):
    p = in_tender(world)
    drafts.save_draft(p, world.p1, method_statement="Half written", commitments={}, price="",
                      now=T0 + timedelta(days=1))
    at(T0 + timedelta(days=2))
    [draft] = _section(world.p1, "My responses")
    assert draft.title.startswith(f"Finish and submit your draft response to {p.reference}")
    assert draft.url == f"/tenders/{p.id}/respond" and "not submitted" in draft.detail
    assert _section(world.p2, "My responses") == []  # another organisation's draft never shows
    submit(world, p, world.p1, 100)
    assert [item.title.startswith("Your submitted response") for item in _section(world.p1, "My responses")] == [True]


def test_clarification_answers_reach_the_organisations_taking_part(db, world, at):
    p = in_tender(world)
    question = clarifications.ask_clarification(p, world.p1, question="Is respite included?",
                                                now=T0 + timedelta(days=1))
    clarifications.answer_clarification(question, world.c1, answer_md="Yes.", now=T0 + timedelta(days=2))
    at(CLARIFY_BY)
    [item] = _section(world.p1, "Clarification answers")
    assert item.title == f"1 new answer on {p.reference}"
    assert _section(world.p2, "Clarification answers") == []


def test_bidders_are_sent_to_their_assessment_summary_after_the_award(db, world, at):
    p = awarded(world)
    at(AFTER + timedelta(days=1))
    for bidder in (world.p1, world.p2):
        [item] = _section(bidder, "Assessment summaries")
        assert item.url == f"/tenders/{p.id}/assessment"
    assert _section(world.unverified, "Assessment summaries") == []


def _statements(db, user) -> int:
    from sqlalchemy import event

    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        items_for(user)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_the_work_list_runs_the_same_number_of_queries_however_many_questions_and_responses(db, world, at):
    p = in_tender(world)
    clarifications.ask_clarification(p, world.p1, question="First question?", now=T0 + timedelta(days=1))
    submit(world, p, world.p1, 100)
    at(T0 + timedelta(days=2))
    db.session.expire_all()
    few = (_statements(db, world.c1), _statements(db, world.p1))
    for n in range(6):
        clarifications.ask_clarification(p, world.p2, question=f"Question {n}?", now=T0 + timedelta(days=1))
    submit(world, p, world.p2, 200)
    db.session.expire_all()
    assert (_statements(db, world.c1), _statements(db, world.p1)) == few
