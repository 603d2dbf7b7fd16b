"""A procurement in engagement that answers need statements publishes them as Metrics `planning.forecasts`.

Validated against the OCDS 1.1.5 release schema with the Metrics extension
(v1.1, tests/data/ocds-extensions/metrics, with its licence) merged in, as
OCDS extensions are: a JSON merge patch of the release schema.
"""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from jsonschema import Draft4Validator

from forum import services as forum_services
from oversight import ocds_services
from tenders.services import links
from tests.unit.audit_ocds import builders as b
from tests.unit.tenders.builders import forum_of

DATA = Path(__file__).resolve().parents[2] / "data"


def _merge(base: dict, patch: dict) -> dict:
    merged = dict(base)
    for key, value in patch.items():
        merged[key] = _merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) \
            else value
    return merged


def _validator() -> Draft4Validator:
    release = json.loads((DATA / "ocds-1.1.5" / "release-schema.json").read_text(encoding="utf-8"))
    metrics = json.loads((DATA / "ocds-extensions" / "metrics" / "release-schema.json").read_text(encoding="utf-8"))
    return Draft4Validator(_merge(release, metrics))


def test_linked_needs_become_forecasts_with_small_counts_hidden(people, db):
    p = b.draft_by(people.c1)
    place = forum_of(people.c1)
    need = forum_services.publish_need(place, people.c1, forum_services.NeedDetails(
        title="Homes for young people at risk", cohort_size=9, age_bands=["11-15"],
        items=[("safety", "very_high", "continuous"), ("family", "high", "weekly")], current_provision_md="Some.",
        gaps_md="Too few.", outcomes_md="Safer.", budget_min=None, budget_max=None, timescale="From April 2027",
        area_code="E10000017", horizon="12_months", children=[7, 2]))
    links.link_forum(p, people.c1, place, now=b.ENGAGED - timedelta(days=3))
    links.link_need_statement(p, people.c1, need, now=b.ENGAGED - timedelta(days=2))
    b.procurements.add_engagement_event(p, people.c1, title="Market engagement event",
                                        starts_at=b.ENGAGED + timedelta(days=5), place="Hall",
                                        now=b.ENGAGED - timedelta(days=1))
    b.procurements.publish_engagement_notice(p, people.c1, closes_on=(b.T0 - timedelta(days=5)).date(),
                                             now=b.ENGAGED)
    [engagement] = ocds_services.procurement_releases(p.id)
    forecasts = engagement["planning"]["forecasts"]
    assert [f["id"] for f in forecasts] == [f"need-{need.id}"]
    measures = [(o["dimensions"]["needCategory"], o["measure"]) for o in forecasts[0]["observations"]]
    assert measures == [("safety", 7), ("family", "fewer than 5")]
    assert forecasts[0]["observations"][0]["dimensions"]["areaCode"] == "E10000017"
    errors = [e.message for e in _validator().iter_errors(engagement)]
    assert not errors, errors
