"""Every tenders.codesign_* route, tried as eight people, on a procurement in engagement with a thread and a proposal.

Reading is public like the procurement; taking part is for providers (in-house units too) and the owning
commissioners; deciding, meeting proposals, the mitigation note and attaching the report are the owners'.
"""
from datetime import timedelta

import pytest

from tenders.services import codesign
from tests.functional.tenders.test_route_matrix import EVERYONE, OWNER, PROVIDERS, route_problems
from tests.unit.tenders.builders import T0, in_engagement

GET_EXPECTATIONS = {
    "tenders.codesign_threads": EVERYONE,
    "tenders.codesign_thread": EVERYONE,
    "tenders.codesign_proposal": EVERYONE,
    "tenders.codesign_provenance": EVERYONE,
    "tenders.codesign_report": EVERYONE,
    "tenders.codesign_report_pdf": EVERYONE,
    "tenders.codesign_new_thread": PROVIDERS | OWNER,
    "tenders.codesign_new_proposal": PROVIDERS | OWNER,
    "tenders.codesign_meeting_proposal": OWNER,
    "tenders.codesign_mitigation": OWNER,
}
POST_ONLY_EXPECTATIONS = {
    "tenders.codesign_attach_report": OWNER,
}


@pytest.fixture
def codesign_live(world, db, at):
    p = in_engagement(world)
    now = T0 - timedelta(days=10)
    thread = codesign.open_thread(p, world.p1, title="Close to home", message_md="Could we?", now=now)
    proposal = codesign.propose_change(thread, world.p1, section_key=codesign.INTRODUCTION, text="Near home.",
                                       rationale_md="Testable.", now=now)
    people = {"anonymous": None, "provider_a": world.p1, "provider_b": world.p2, "in_house_provider": world.in_house,
              "owning_commissioner": world.c1, "other_commissioner": world.other_commissioner,
              "auditor": world.auditor, "admin": world.admin}
    values = {"procurement_id": p.id, "thread_id": thread.id, "proposal_id": proposal.id,
              "number": p.latest_version.number}
    return people, values


@pytest.mark.parametrize("persona", sorted(EVERYONE))
def test_codesign_routes_answer_each_person_as_expected(app, client, auth, codesign_live, persona):
    people, values = codesign_live
    problems = route_problems(app, client, auth, people, values, persona, GET_EXPECTATIONS, POST_ONLY_EXPECTATIONS,
                              topic="codesign")
    assert not problems, f"as {persona}:\n" + "\n".join(problems)
