"""A world seeded through the real services for the JSON API tests (and the schemathesis run)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest

from accounts import services as account_services
from core.clock import utcnow
from forum import services as forum_services
from tenders.models import Procurement
from tenders.services import clarifications
from tests.unit.benchmarking.runs_builders import make_run
from tests.unit.tenders.builders import (
    T0,
    World,
    awarded,
    draft,
    forum_of,
    in_engagement,
    in_tender,
    make_world,
    need_in,
)

QUESTION = "Can a consortium of two small providers bid together?"


@dataclass
class Seeded:
    world: World
    draft: Procurement
    engaged: Procurement
    tender: Procurement
    awarded: Procurement
    forum: Any
    need: Any
    thread: Any
    tokens: dict[str, str]


def token_for(user, name: str = "Test token", **kwargs) -> str:
    _token, raw = account_services.create_api_token(user, name=name, expires_on=kwargs.get("expires_on"),
                                                    now=kwargs.get("now") or utcnow())
    return raw


def bearer(raw: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"} if raw else {}


@pytest.fixture
def seeded(db, org_factory, user_factory) -> Seeded:
    world = make_world(org_factory, user_factory)
    place = forum_of(world.c1)
    need = need_in(place, world.c1)
    thread = forum_services.start_thread(place, world.c1, "How many homes are there in the north?",
                                         "A question for every provider.")
    tender = in_tender(world)
    asked = clarifications.ask_clarification(tender, world.p1, question=QUESTION, now=T0 + timedelta(days=1))
    clarifications.answer_clarification(asked, world.c1, answer_md="Yes: name a lead provider.",
                                        now=T0 + timedelta(days=2))
    clarifications.ask_clarification(tender, world.p2, question="An unanswered question", now=T0 + timedelta(days=1))
    # A benchmark run whose right of reply ended long ago, so /api/v1/benchmarks has published figures to fuzz.
    benchmarked = [(org_factory("provider", name=name), kind) for name, kind in (
        ("Ash Homes", "independent"), ("Birch Care", "independent"), ("Cedar Homes", "in-house"),
        ("Damson Trust", "independent"))]
    make_run(benchmarked, world.org, when=datetime(2026, 6, 1, 10, 0))
    seeded = Seeded(world=world, draft=draft(world), engaged=in_engagement(world), tender=tender,
                    awarded=awarded(world), forum=place, need=need, thread=thread,
                    tokens={"owner": token_for(world.c1), "other_council": token_for(world.other_commissioner),
                            "auditor": token_for(world.auditor)})
    db.session.commit()
    return seeded
