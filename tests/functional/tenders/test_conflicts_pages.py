"""The declarations page, the assessment page, the manage links and the evaluation pages' requirement."""
from sqlalchemy import select

from tenders.services import conflicts
from tests.conftest import submit
from tests.unit.tenders.builders import AFTER, T0, in_engagement, in_tender, opened
from trail.models import AuditEvent


def test_a_commissioner_declares_an_interest_through_the_page(client, auth, world, db, at):
    p = in_engagement(world)
    auth.sign_in(world.c1)
    url = f"/tenders/{p.id}/declarations"
    response = submit(client, url, {"has_interest": "yes", "description": "My cousin works at Beta Care"})
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "My cousin works at Beta Care" in page and "You have declared at the current stage" in page


def test_an_interest_without_a_description_keeps_what_was_chosen_and_saves_nothing(client, auth, world, db, at):
    p = in_engagement(world)
    auth.sign_in(world.c1)
    response = submit(client, f"/tenders/{p.id}/declarations", {"has_interest": "yes", "description": ""})
    assert response.status_code == 400
    assert "Describe the interest" in response.get_data(as_text=True)
    assert conflicts.declarations_for(p) == []


def test_a_provider_cannot_post_a_declaration_and_the_refusal_is_audited(client, auth, world, db, at):
    p = in_tender(world)
    auth.sign_in(world.p1)
    token_page = client.get("/account").get_data(as_text=True)
    from tests.conftest import csrf_token
    response = client.post(f"/tenders/{p.id}/declarations",
                           data={"csrf_token": csrf_token(token_page), "has_interest": "no"})
    assert response.status_code == 403
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "security.refused",
                                                      AuditEvent.actor_user_id == world.p1.id))


def test_the_assessment_page_records_who_what_and_mitigation(client, auth, world, db, at):
    p = in_engagement(world)
    declaration = conflicts.declare(p, world.c2, has_interest=True, description="Shares in Alpha Homes", now=T0)
    auth.sign_in(world.c1)
    url = f"/tenders/{p.id}/declarations/assessment"
    form = client.get(url).get_data(as_text=True)
    assert "Shares in Alpha Homes" in form
    missing = submit(client, url, {f"who-{declaration.id}": "Chris Two", f"what-{declaration.id}": "Shares",
                                   f"mitigation-{declaration.id}": ""})
    assert missing.status_code == 400 and "is mitigated" in missing.get_data(as_text=True)
    assert conflicts.latest_assessment(p) is None
    done = submit(client, url, {f"who-{declaration.id}": "Chris Two", f"what-{declaration.id}": "Shares",
                                f"mitigation-{declaration.id}": "Chris does not evaluate"})
    assert done.status_code == 302
    page = client.get(f"/tenders/{p.id}/declarations").get_data(as_text=True)
    assert "Chris does not evaluate" in page and "Version 1" in page


def test_the_procurement_page_links_the_declarations_and_warns_without_a_current_one(client, auth, world, db, at):
    p = in_engagement(world)
    auth.sign_in(world.c1)
    page = client.get(f"/tenders/{p.id}").get_data(as_text=True)
    assert f"/tenders/{p.id}/declarations" in page and "You have not declared your interests" in page
    assert "Declarations of interest are missing" in page  # the publish problems name the missing people
    conflicts.declare(p, world.c1, has_interest=False, description="", now=T0)
    page = client.get(f"/tenders/{p.id}").get_data(as_text=True)
    assert "You have not declared your interests" not in page


def test_the_public_sees_no_declarations_link(client, world, db, at):
    p = in_tender(world)
    assert f"/tenders/{p.id}/declarations" not in client.get(f"/tenders/{p.id}").get_data(as_text=True)


def test_the_opening_and_evaluation_pages_show_the_declaration_requirement(client, auth, world, db, at):
    p = in_tender(world, declared=False)
    at(AFTER)
    auth.sign_in(world.c1)
    assert "Declare your interests before you open" in client.get(f"/tenders/{p.id}/open").get_data(as_text=True)
    response = submit(client, f"/tenders/{p.id}/open", {})
    assert "Declare your interests first" in response.get_data(as_text=True)
    assert p.open_requested_by_id is None
    q = opened(world, declared=False)
    assert "Declare your interests before you open, score or moderate" in \
        client.get(f"/tenders/{q.id}/evaluation").get_data(as_text=True)


def test_the_demo_has_a_declared_conflict_with_its_mitigation_assessed(db):
    from demo.load import load_demo
    from tenders.models.conflicts import ConflictsAssessmentEntry

    assert load_demo()
    entry = db.session.scalars(select(ConflictsAssessmentEntry)).first()
    assert entry is not None and entry.declaration.has_interest and "takes no part" in entry.mitigation
