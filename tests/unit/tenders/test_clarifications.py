"""Clarifications: private questions, public answers, pseudonyms, deadlines; spec changes in the tender."""
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.errors import NotPermitted, RuleViolation
from core.models import OutboxMessage
from tenders.services import clarifications, specification
from tests.unit.tenders.builders import CLARIFY_BY, DEADLINE, GOOD_OUTCOMES, T0, in_engagement, in_tender, submit
from trail.models import AuditEvent


def test_each_asking_organisation_keeps_one_stable_pseudonym(db, world):
    p = in_tender(world)
    a1 = clarifications.ask_clarification(p, world.p1, question="Is respite included?", now=T0)
    b1 = clarifications.ask_clarification(p, world.p2, question="Can we bid for one home?", now=T0)
    a2 = clarifications.ask_clarification(p, world.p1, question="What is the TUPE position?", now=T0)
    assert a1.pseudonym == a2.pseudonym == "Bidder Q-1"
    assert b1.pseudonym == "Bidder Q-2"


def test_questions_after_the_clarification_deadline_are_refused(db, world):
    p = in_tender(world)
    with pytest.raises(RuleViolation) as exc:
        clarifications.ask_clarification(p, world.p1, question="Late?", now=CLARIFY_BY + timedelta(minutes=1))
    assert "deadline passed" in exc.value.reasons["question"]


def test_questions_are_only_asked_during_the_tender(db, world):
    p = in_engagement(world)
    with pytest.raises(RuleViolation):
        clarifications.ask_clarification(p, world.p1, question="Early?", now=T0)


def test_commissioners_do_not_ask_clarifications(db, world):
    p = in_tender(world)
    with pytest.raises(NotPermitted):
        clarifications.ask_clarification(p, world.c1, question="?", now=T0)


def test_answer_is_published_to_everyone_with_the_asker_anonymised(db, world):
    p = in_tender(world)
    submit(world, p, world.p2, 100_000_000)
    q = clarifications.ask_clarification(p, world.p1, question="Is respite included?", now=T0)
    result = clarifications.answer_clarification(q, world.c1, answer_md="Yes, up to 14 nights a year.",
                                                 now=T0 + timedelta(days=2))
    assert result.warning is None
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "clarification.answered")).one()
    assert event.audience == "public" and event.procurement_id == p.id
    assert "Bidder Q-1" in event.summary and "Alpha Homes" not in event.payload
    recipients = set(db.session.scalars(select(OutboxMessage.recipient).where(
        OutboxMessage.subject.contains("clarification"))))
    assert {world.p1.email, world.p2.email} <= recipients


def test_answering_within_six_days_of_the_deadline_warns(db, world):
    p = in_tender(world)
    q = clarifications.ask_clarification(p, world.p1, question="?", now=T0)
    result = clarifications.answer_clarification(q, world.c1, answer_md="Answer", now=DEADLINE - timedelta(days=5))
    assert result.warning and "6 days" in result.warning
    assert q.answered_late


def test_the_answer_cutoff_is_configurable(app, db, world):
    p = in_tender(world)
    q = clarifications.ask_clarification(p, world.p1, question="?", now=T0)
    app.config["TENDERS_ANSWER_CUTOFF_DAYS"] = 3
    try:
        result = clarifications.answer_clarification(q, world.c1, answer_md="A", now=DEADLINE - timedelta(days=5))
    finally:
        app.config["TENDERS_ANSWER_CUTOFF_DAYS"] = 6
    assert result.warning is None


def test_a_provider_cannot_answer(db, world):
    p = in_tender(world)
    q = clarifications.ask_clarification(p, world.p1, question="?", now=T0)
    with pytest.raises(NotPermitted):
        clarifications.answer_clarification(q, world.p2, answer_md="Nope", now=T0)
    assert q.answered_at is None


def test_changing_the_published_spec_notifies_extends_and_asks_for_reconfirmation(db, world):
    p = in_tender(world)
    receipt = submit(world, p, world.p1, 110_000_000)
    changed = [replace(GOOD_OUTCOMES[0], target="At least 75% remain in their first placement"), GOOD_OUTCOMES[1]]
    specification.save_version(p, world.c1, body_md="Updated", outcomes=changed, now=T0 + timedelta(days=3))
    assert p.published_version.number == 1  # a saved draft is not yet what bidders see
    new_deadline = DEADLINE + timedelta(days=7)
    specification.publish_spec_change(p, world.c1, new_response_deadline=new_deadline, now=T0 + timedelta(days=3))
    assert p.published_version.number == 2
    assert p.response_deadline == new_deadline
    from tenders.models import TenderResponse
    assert db.session.get(TenderResponse, receipt.response_id).needs_reconfirmation
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == world.p1.email,
                                                          OutboxMessage.subject.contains("specification"))).first()


def test_a_shorter_deadline_is_not_an_extension(db, world):
    p = in_tender(world)
    specification.save_version(p, world.c1, body_md="Updated", outcomes=list(GOOD_OUTCOMES), now=T0)
    with pytest.raises(RuleViolation) as exc:
        specification.publish_spec_change(p, world.c1, new_response_deadline=DEADLINE - timedelta(days=1), now=T0)
    assert "new_response_deadline" in exc.value.reasons
    assert p.published_version.number == 1


def test_an_answer_published_meanwhile_by_another_commissioner_is_not_overwritten(db, world):
    """The question is re-read under the procurement's lock, so a second, concurrent answer is refused."""
    from sqlalchemy import update

    from tenders.models import Clarification

    p = in_tender(world)
    question = clarifications.ask_clarification(p, world.p1, question="Is transport included?", now=T0)
    # Another worker answers it: the row changes under this session's (now stale) copy.
    db.session.execute(update(Clarification).where(Clarification.id == question.id)
                       .values(answer_md="Yes.", answer_html="<p>Yes.</p>", answered_at=T0,
                               answered_by_id=world.c2.id).execution_options(synchronize_session=False))
    assert question.answered_at is None  # the stale copy
    with pytest.raises(RuleViolation, match="already been answered"):
        clarifications.answer_clarification(question, world.c1, answer_md="No.", now=T0)
    assert question.answer_md == "Yes."
