"""Publishing the contract notices (UK7, UK9, contract termination) through the services, and the notice table
of a real procurement; a Welsh owner's spin-off check carries no s.77 publication duty."""
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from core.errors import NotPermitted, RuleViolation
from tenders.services import evaluation, procurements, spinoffs
from tenders.services import notices as services
from tenders.services.spinoffs import Answers
from tests.unit.tenders.builders import awarded, standstill_end
from trail.models import AuditEvent


def contract_world(world):
    p = awarded(world)
    day = standstill_end(p) + timedelta(days=1)
    now = datetime.combine(day, time(9))
    contract = evaluation.enter_contract(p, world.c1, starts_on=day, now=now)
    return p, contract, now


def state(p, today, code):
    return next(n for n in services.notices_for(p, today) if n.code == code)


def last_event(db, action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.seq.desc())).first()


def test_contract_details_notice_is_due_then_published_with_a_public_event(db, world):
    p, contract, now = contract_world(world)
    assert state(p, now.date(), "contract_award").form == "UK6"
    due = state(p, now.date(), "contract_details")
    assert due.state == "due" and due.form == "UK7"
    services.publish_contract_details(p, world.c1, now=now + timedelta(days=3))
    assert state(p, now.date() + timedelta(days=200), "contract_details").state == "published"
    event = last_event(db, "notice.contract_details_published")
    assert event.audience == "public" and event.summary.startswith("Contract details notice (UK7) published")


def test_contract_details_notice_is_published_once(db, world):
    p, contract, now = contract_world(world)
    services.publish_contract_details(p, world.c1, now=now)
    with pytest.raises(RuleViolation):
        services.publish_contract_details(p, world.c1, now=now)


def test_only_the_owning_commissioners_publish_and_a_refusal_is_audited(db, world):
    p, contract, now = contract_world(world)
    for outsider in (world.other_commissioner, world.p1, world.auditor):
        with pytest.raises(NotPermitted):
            services.publish_contract_details(p, outsider, now=now)
    assert contract.details_notice_published_at is None
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "security.refused")).first() is not None


def test_performance_notice_needs_an_assessment_and_a_past_period_end(db, world):
    p, contract, now = contract_world(world)
    with pytest.raises(RuleViolation) as refused:
        services.publish_performance_notice(p, world.c1, assessment_md=" ", period_ends_on=now.date() + timedelta(1),
                                            now=now)
    assert set(refused.value.reasons) == {"assessment", "period_ends_on"}
    later = now + timedelta(days=100)
    notice = services.publish_performance_notice(p, world.c1, assessment_md="KPI 1: 92% attended school. **Good**.",
                                                 period_ends_on=later.date(), now=later)
    assert "<strong>Good</strong>" in notice.assessment_html
    assert state(p, later.date(), "contract_performance").state == "published"
    assert last_event(db, "notice.contract_performance_published").audience == "public"


def test_early_termination_notice_ends_the_contract_and_stops_spinoffs(db, world):
    p, contract, now = contract_world(world)
    ended = now.date() + timedelta(days=40)
    later = now + timedelta(days=45)
    assert all(n.code != "contract_termination" for n in services.notices_for(p, later.date()))  # still running
    services.publish_termination_notice(p, world.c1, terminated_on=ended, reason="The provider's home closed.",
                                        now=later)
    assert contract.terminated_on == ended and contract.ended_on == ended
    assert state(p, later.date(), "contract_termination").state == "published"
    event = last_event(db, "notice.contract_termination_published")
    assert event.audience == "public" and "terminated early" in event.summary
    with pytest.raises(RuleViolation):
        spinoffs.propose_spinoff(contract, world.p1, title="More", description_md="More", evidence_md="",
                                 price_pence=1000, duration_months=1, now=later)


@pytest.mark.parametrize("offset,field", [(1, "terminated_on")])
def test_termination_day_cannot_be_in_the_future(db, world, offset, field):
    p, contract, now = contract_world(world)
    with pytest.raises(RuleViolation) as refused:
        services.publish_termination_notice(p, world.c1, terminated_on=now.date() + timedelta(days=offset),
                                            reason="Ended", now=now)
    assert field in refused.value.reasons
    assert contract.termination_notice_published_at is None


def test_cancelling_after_the_tender_publishes_the_procurement_termination_notice(db, world):
    p = awarded(world)
    later = p.tender_published_at + timedelta(days=60)
    procurements.close_procurement(p, world.c1, outcome="cancelled", reason="Need met by an existing contract",
                                   now=later)
    assert state(p, later.date(), "procurement_termination").state == "published"
    assert last_event(db, "procurement.cancelled").summary.startswith("Procurement termination notice: ")


def test_a_welsh_councils_modification_check_has_no_publication_duty(db, world):
    p, contract, now = contract_world(world)
    proposal = spinoffs.propose_spinoff(contract, world.p1, title="Weekend activities", description_md="More",
                                        evidence_md="", price_pence=5_000_000, duration_months=12, now=now)
    contract.original_value_pence = contract.value_pence = 600_000_000  # over £5m after any change
    world.org.gss_code = "E10000001"
    england = spinoffs.check_for(proposal, Answers(), now.date())
    world.org.gss_code = "W06000001"
    wales = spinoffs.check_for(proposal, Answers(), now.date())
    publish = {r.figures["nation"]: next(n for n in r.notices if n.code == "modified_contract_publication")
               for r in (england, wales)}
    assert publish["england"].status == "required"
    assert publish["wales"].status == "not required" and "devolved Welsh authority" in publish["wales"].why
