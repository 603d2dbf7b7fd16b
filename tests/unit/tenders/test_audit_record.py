"""Every procurement event lands on the s.98 record: tied to its procurement, in the same transaction."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from core.errors import RuleViolation
from tenders.services import clarifications, evaluation, procurements, responses, specification
from tests.unit.tenders.builders import AFTER, DEADLINE, GOOD_OUTCOMES, T0, awarded, in_tender, standstill_end, submit
from trail.models import AuditEvent
from trail.verification import verify_chain

PREFIXES = ("procurement.", "engagement.", "tender.", "specification.", "clarification.", "response.", "responses.",
            "evaluation.", "award.", "contract.")


def test_every_lifecycle_event_carries_its_procurement_id(db, world):
    p = awarded(world)
    evaluation.enter_contract(p, world.c1, starts_on=None,
                              now=datetime.combine(standstill_end(p) + timedelta(days=1), datetime.min.time()))
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.procurement_id == p.id)))
    actions = {e.action for e in events}
    assert {"procurement.created", "engagement.notice_published", "tender.published", "response.submitted",
            "responses.opened", "evaluation.scored", "evaluation.consensus_recorded", "award.notice_published",
            "contract.entered"} <= actions
    stray = db.session.scalars(select(AuditEvent).where(AuditEvent.procurement_id.is_(None))).all()
    assert not [e.action for e in stray if e.action.startswith(PREFIXES)]
    assert verify_chain().ok


def test_a_refused_change_writes_no_lifecycle_event(db, world):
    p = in_tender(world)
    before = db.session.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq.desc())).first()
    with pytest.raises(RuleViolation):
        procurements.close_procurement(p, world.c1, outcome="cancelled", reason="", now=T0)
    after = db.session.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq.desc())).first()
    assert before == after and p.stage == "tender"


def test_no_responses_leads_to_an_unsuccessful_procurement(db, world):
    p = in_tender(world)
    responses.open_box(p, world.c1, now=AFTER)
    responses.open_box(p, world.c2, now=AFTER)
    assert p.stage == "evaluation" and responses.responses_for(p) == []
    procurements.close_procurement(p, world.c1, outcome="unsuccessful", reason="No responses were received",
                                   now=AFTER)
    assert p.stage == "unsuccessful"


def test_spec_change_without_extension_keeps_the_deadline_and_reconfirmation_clears_the_flag(db, world):
    p = in_tender(world)
    receipt = submit(world, p, world.p1, 100)
    response = responses.current_response(p, world.p1.organisation_id)
    with pytest.raises(RuleViolation):
        responses.reconfirm_response(response, world.p1, now=T0 + timedelta(days=2))
    specification.save_version(p, world.c1, body_md="Clarified", outcomes=list(GOOD_OUTCOMES), now=T0)
    specification.publish_spec_change(p, world.c1, new_response_deadline=None, now=T0 + timedelta(days=2))
    assert p.response_deadline == DEADLINE
    assert response.needs_reconfirmation
    responses.reconfirm_response(response, world.p1, now=T0 + timedelta(days=3))
    assert not response.needs_reconfirmation and response.sha256 == receipt.sha256


def test_spec_change_with_no_new_version_is_refused(db, world):
    p = in_tender(world)
    with pytest.raises(RuleViolation) as exc:
        specification.publish_spec_change(p, world.c1, new_response_deadline=None, now=T0)
    assert "no unpublished change" in exc.value.reasons[""]


def test_clarification_answer_after_the_response_deadline_is_refused(db, world):
    p = in_tender(world)
    q = clarifications.ask_clarification(p, world.p1, question="?", now=T0)
    with pytest.raises(RuleViolation):
        clarifications.answer_clarification(q, world.c1, answer_md="Too late", now=DEADLINE)
    assert q.answered_at is None
