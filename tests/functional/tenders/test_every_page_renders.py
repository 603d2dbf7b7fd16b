"""Every tenders page renders for the people who may see it, at every stage (no template errors)."""
from datetime import datetime, timedelta

import pytest

from tenders.services import evaluation, responses
from tests.unit.tenders.builders import AFTER, awarded, draft, evaluated, in_engagement, in_tender, standstill_end

MANAGER_PAGES = ["", "/details", "/specification", "/specification/versions", "/criteria", "/links", "/engagement",
                 "/publish", "/close", "/clarifications", "/specification/change", "/open", "/evaluation", "/award",
                 "/contract"]


@pytest.mark.parametrize("build", [draft, in_engagement, in_tender, evaluated, awarded])
def test_owner_pages_render_at_every_stage(client, db, world, auth, at, build):
    p = build(world)
    at(AFTER)
    auth.sign_in(world.c1)
    for page in MANAGER_PAGES:
        response = client.get(f"/tenders/{p.id}{page}")
        assert response.status_code in (200, 403), (page, response.status_code)
        if page in ("", "/specification/versions") or (page == "/evaluation" and p.tender_published_at):
            assert response.status_code == 200, page


def test_evaluation_pages_render_for_evaluators_and_moderator(client, db, world, auth, at):
    p = evaluated(world)
    at(AFTER)
    auth.sign_in(world.c1)
    r = responses.responses_for(p)[0]
    c = evaluation.quality_criteria(p)[0]
    assert client.get(f"/tenders/{p.id}/evaluation").status_code == 200
    assert client.get(f"/tenders/{p.id}/evaluation/{r.id}/consensus/{c.id}").status_code == 200
    assert client.get(f"/tenders/{p.id}/responses/{r.id}").status_code == 200


def test_contract_page_and_public_contract_summary(client, db, world, auth, at):
    p = awarded(world)
    end = standstill_end(p)
    evaluation.enter_contract(p, world.c1, starts_on=None, now=datetime.combine(end + timedelta(days=1),
                                                                                datetime.min.time()))
    html = client.get(f"/tenders/{p.id}").get_data(as_text=True)
    assert "Contract" in html and "Alpha Homes" in html


def test_the_cli_enters_contracts_whose_standstill_has_ended(runner, db, world, at):
    p = awarded(world)
    at(datetime.combine(standstill_end(p) + timedelta(days=1), datetime.min.time()))
    result = runner.invoke(args=["tenders", "enter-due-contracts"])
    assert "1 contract record(s) created" in result.output
    assert p.stage == "contract"
