"""The demo has a procurement at every stage, loaded through the services."""
import json

from sqlalchemy import select

from core.demo import load_demo
from tenders.models import STAGES, Procurement


def test_demo_has_procurements_at_every_stage_with_outcomes_from_the_case_studies(db):
    assert load_demo()
    found = list(db.session.scalars(select(Procurement)))
    assert {p.stage for p in found} == set(STAGES) - {"unsuccessful"}
    for p in found:
        assert p.latest_version.outcomes, p.title
    draft = next(p for p in found if p.stage == "planning")
    assert json.loads(draft.latest_version.check_warnings)  # the draft still prescribes inputs
    contract = next(p for p in found if p.stage == "contract")
    assert any("69%" in o.target for o in contract.published_version.outcomes)
