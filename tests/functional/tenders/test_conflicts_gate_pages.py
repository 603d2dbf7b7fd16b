"""The conflicts gate on the pages: the refusal says why and what to do next, and is on the audit trail."""
from __future__ import annotations

import json
from html import unescape

from sqlalchemy import select

from tenders.models.conflicts import ConflictDeclaration
from tenders.services import conflicts, responses
from tests.conftest import submit as post
from tests.unit.tenders.builders import AFTER, NONE_IDENTIFIED, in_tender, opened, submit
from trail.models import AuditEvent


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _gate_refusals(db, attempted: str) -> list[dict]:
    payloads = [json.loads(e.payload) for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "security.refused"))]
    return [p for p in payloads if p.get("attempted") == attempted and "bar" in p]


def test_a_commissioner_with_an_interest_in_the_bidder_is_refused_its_response_with_the_way_forward(
        client, db, world, auth, at):
    p = opened(world)
    conflicts.declare(p, world.c2, has_interest=True, description="My partner manages one of Alpha Homes' homes",
                      organisation_id=world.p1.organisation_id, now=AFTER)
    db.session.commit()
    at(AFTER)
    own = next(r for r in responses.responses_for(p) if r.provider_org_id == world.p1.organisation_id)
    other = next(r for r in responses.responses_for(p) if r.provider_org_id == world.p2.organisation_id)
    auth.sign_in(world.c2)
    refused = client.get(f"/tenders/{p.id}/responses/{own.id}")
    html = _text(refused)
    assert refused.status_code == 403
    assert "you have declared an interest in Alpha Homes, which sent this response" in html
    assert "Ask a commissioner of your organisation who has no conflict" in html
    assert f"/tenders/{p.id}/declarations" in html
    assert "How Alpha Homes will do it" not in html
    assert [r["bar"] for r in _gate_refusals(db, "response.read")] == ["interest"]
    # Another bidder's response is no conflict for them.
    assert client.get(f"/tenders/{p.id}/responses/{other.id}").status_code == 200


def test_an_excluded_commissioner_cannot_open_and_the_page_says_why(client, db, world, auth, at):
    p = in_tender(world)
    submit(world, p, world.p1, 100_000_000)
    conflicts.record_assessment(p, world.c1, entries=[], none_identified=NONE_IDENTIFIED, now=AFTER,
                                excluded_user_ids=[world.c2.id])
    db.session.commit()
    at(AFTER)
    auth.sign_in(world.c2)
    page = post(client, f"/tenders/{p.id}/open", {})
    html = _text(page)
    assert "excludes you from opening, reading, scoring, moderating and awarding" in html
    assert "a commissioner can record a new version of it on the declarations page" in html
    db.session.refresh(p)
    assert p.open_requested_by_id is None and not p.is_opened
    assert [r["bar"] for r in _gate_refusals(db, "responses.open")] == ["excluded"]


def test_the_forms_record_the_provider_an_interest_involves_and_who_the_assessment_excludes(
        client, db, world, auth, at):
    p = in_tender(world)
    db.session.commit()
    at(AFTER)
    auth.sign_in(world.c2)
    page = post(client, f"/tenders/{p.id}/declarations",
                {"has_interest": "yes", "description": "My brother is a director of Beta Care",
                 "organisation": str(world.p2.organisation_id)})
    assert page.status_code == 302
    declaration = db.session.scalars(select(ConflictDeclaration).where(ConflictDeclaration.user_id == world.c2.id)
                                     .order_by(ConflictDeclaration.id.desc())).first()
    assert declaration.organisation_id == world.p2.organisation_id
    auth.sign_out()
    auth.sign_in(world.c1)
    form_page = client.get(f"/tenders/{p.id}/declarations/assessment")
    assert "Who the mitigation excludes" in _text(form_page)
    data = {f"{name}-{declaration.id}": value for name, value in
            (("who", "Chris Two"), ("what", "Brother at Beta Care"), ("mitigation", "No part in the evaluation"))}
    data["excluded_people"] = [str(world.c2.id)]
    done = post(
        client, f"/tenders/{p.id}/declarations/assessment", data, form_url=f"/tenders/{p.id}/declarations/assessment"
    )
    assert done.status_code == 302
    assert conflicts.latest_assessment(p).excluded_user_ids == {world.c2.id}
    assert "Excluded from opening, reading, scoring, moderating and the award: Chris Two" in _text(
        client.get(f"/tenders/{p.id}/declarations"))
