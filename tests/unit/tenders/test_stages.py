"""The stage machine and the engagement notice (rule 1)."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.errors import NotPermitted, RuleViolation
from tenders import policy
from tenders.services import procurements
from tests.unit.tenders.builders import CLARIFY_BY, DEADLINE, T0, clear_conflicts, draft, in_engagement, in_tender
from trail.models import AuditEvent


def _events(db, procurement, action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.procurement_id == procurement.id,
                                                            AuditEvent.action == action)))


def test_a_new_procurement_is_a_draft_owned_by_the_commissioners_organisation(db, world):
    p = draft(world)
    assert p.stage == "planning"
    assert p.owner_org_id == world.org.id
    assert p.reference.startswith("CC-2026-")
    assert _events(db, p, "procurement.created")


def test_drafts_are_visible_only_to_owning_commissioners_and_auditors(db, world):
    p = draft(world)
    assert policy.can_view(world.c2, p)
    assert policy.can_view(world.auditor, p)
    assert not policy.can_view(world.p1, p)
    assert not policy.can_view(world.other_commissioner, p)


def test_an_in_house_provider_unit_can_never_manage_a_procurement(db, world):
    p = draft(world)
    assert not policy.can_manage(world.in_house, p)
    with pytest.raises(NotPermitted):
        procurements.publish_engagement_notice(p, world.in_house, closes_on=T0.date(), now=T0 - timedelta(days=9))


def test_provider_cannot_create_a_procurement_and_the_attempt_is_audited(db, world):
    with pytest.raises(NotPermitted):
        procurements.create_procurement(
            world.p1, title="X", category="childrens_homes", region="", subject_md="x", now=T0
        )
    refusal = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "security.refused")
                                 .order_by(AuditEvent.seq.desc())).first()
    assert refusal.actor_user_id == world.p1.id


def test_engagement_notice_carries_the_reg_17_content(db, world):
    p = draft(world)
    procurements.add_engagement_event(p, world.c1, title="Market warming event", starts_at=T0 - timedelta(days=10),
                                      place="Northshire Civic Centre", now=T0 - timedelta(days=25))
    procurements.publish_engagement_notice(p, world.c1, closes_on=(T0 - timedelta(days=5)).date(),
                                           now=T0 - timedelta(days=20))
    notice = procurements.engagement_notice(p)
    assert notice["authority"] == world.org.name
    assert notice["title"] == p.title
    assert notice["unique_identifier"] == p.reference
    assert notice["subject_matter"]
    assert notice["engagement_closes_on"] == (T0 - timedelta(days=5)).date().isoformat()
    assert notice["events"][0]["place"] == "Northshire Civic Centre"
    [event] = _events(db, p, "engagement.notice_published")
    assert event.audience == "public"


def test_engagement_closing_date_in_the_past_is_refused_and_nothing_changes(db, world):
    p = draft(world)
    with pytest.raises(RuleViolation) as exc:
        procurements.publish_engagement_notice(p, world.c1, closes_on=(T0 - timedelta(days=40)).date(),
                                               now=T0 - timedelta(days=30))
    assert "closes_on" in exc.value.reasons
    assert p.stage == "planning"
    assert p.engagement_published_at is None


def test_event_in_the_past_is_refused(db, world):
    p = draft(world)
    with pytest.raises(RuleViolation) as exc:
        procurements.add_engagement_event(p, world.c1, title="Event", starts_at=T0 - timedelta(days=40),
                                          place="Hall", now=T0 - timedelta(days=30))
    assert "starts_at" in exc.value.reasons


def test_publishing_a_tender_without_engagement_notice_needs_a_recorded_reason(db, world):
    p = draft(world)
    with pytest.raises(RuleViolation) as exc:
        procurements.publish_tender(p, world.c1, clarification_deadline=CLARIFY_BY, response_deadline=DEADLINE, now=T0)
    assert "no_engagement_reason" in exc.value.reasons
    assert p.stage == "planning"
    clear_conflicts(world, p)
    procurements.publish_tender(p, world.c1, clarification_deadline=CLARIFY_BY, response_deadline=DEADLINE, now=T0,
                                no_engagement_reason="Re-procurement of an existing framework after a full "
                                                     "engagement exercise last year")
    assert p.stage == "tender"
    assert p.no_engagement_reason.startswith("Re-procurement")


def test_inverted_deadlines_are_refused(db, world):
    p = in_engagement(world)
    with pytest.raises(RuleViolation) as exc:
        procurements.publish_tender(p, world.c1, clarification_deadline=DEADLINE, response_deadline=CLARIFY_BY, now=T0)
    assert "response_deadline" in exc.value.reasons
    assert p.stage == "engagement"


def test_past_deadline_is_refused(db, world):
    p = in_engagement(world)
    with pytest.raises(RuleViolation) as exc:
        procurements.publish_tender(p, world.c1, clarification_deadline=T0 - timedelta(days=1),
                                    response_deadline=DEADLINE, now=T0)
    assert "clarification_deadline" in exc.value.reasons


def test_publishing_the_tender_freezes_the_specification_version(db, world):
    p = in_tender(world)
    assert p.published_version is p.latest_version
    assert p.published_version.published_at == T0


def test_out_of_order_stage_changes_are_refused(db, world):
    p = in_tender(world)
    with pytest.raises(RuleViolation):
        procurements.publish_engagement_notice(p, world.c1, closes_on=(T0 + timedelta(days=3)).date(), now=T0)
    with pytest.raises(RuleViolation):
        procurements.publish_tender(p, world.c1, clarification_deadline=CLARIFY_BY, response_deadline=DEADLINE,
                                    now=T0)
    assert p.stage == "tender"


def test_cancelling_needs_a_public_reason_and_is_final(db, world):
    p = in_engagement(world)
    with pytest.raises(RuleViolation):
        procurements.close_procurement(p, world.c1, outcome="cancelled", reason=" ", now=T0)
    procurements.close_procurement(p, world.c1, outcome="cancelled", reason="Need met through in-house expansion",
                                   now=T0)
    assert p.stage == "cancelled"
    assert _events(db, p, "procurement.cancelled")[0].audience == "public"
    with pytest.raises(RuleViolation):
        procurements.close_procurement(p, world.c1, outcome="unsuccessful", reason="again", now=T0)


def test_unsuccessful_is_only_possible_once_the_tender_is_out(db, world):
    p = in_engagement(world)
    with pytest.raises(RuleViolation):
        procurements.close_procurement(p, world.c1, outcome="unsuccessful", reason="No bids", now=T0)
    assert p.stage == "engagement"


def test_documents_can_be_added_only_before_the_tender(db, world):
    p = in_tender(world)
    with pytest.raises(RuleViolation):
        procurements.add_document(p, world.c1, title="Late annex", filename="a.txt", content_type="text/plain",
                                  data=b"x", now=T0)
    assert p.documents == []
