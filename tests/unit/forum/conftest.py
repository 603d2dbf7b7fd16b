"""Forum fixtures: forums, members and posts made through the real services."""
from __future__ import annotations

from datetime import timedelta

import pytest

from core.clock import utcnow
from forum import services


@pytest.fixture
def commissioner(user_factory):
    return user_factory("commissioner")


@pytest.fixture
def provider(user_factory):
    return user_factory("provider")


@pytest.fixture
def forum_factory(db, commissioner):
    counter = iter(range(1, 10_000))

    def make(owner=None, *, title=None, region="North West", categories=("fostering",), co_owner_ids=(),
             remit="Residential and fostering placements for children with high level needs."):
        forum = services.create_forum(owner or commissioner, services.ForumDetails(
            title=title or f"Test forum {next(counter)}", remit_md=remit, region=region,
            categories=list(categories), co_owner_ids=list(co_owner_ids)))
        db.session.flush()
        return forum

    return make


@pytest.fixture
def forum(forum_factory):
    return forum_factory()


@pytest.fixture
def member(db, forum, provider):
    services.join_forum(forum, provider)
    return provider


@pytest.fixture
def thread(db, forum, member):
    return services.start_thread(forum, member, "Capacity for sibling groups",
                                 "We can offer **two** placements for sibling groups from spring.")


@pytest.fixture
def meeting_details():
    def make(*, capacity=10, mode="in_person", days=7, **overrides):
        start = utcnow().replace(microsecond=0) + timedelta(days=days)
        values = dict(title="Market engagement session", starts_at=start, ends_at=start + timedelta(hours=2),
                      mode=mode, location="Northmere Town Hall, Committee Room 2" if mode == "in_person" else "",
                      online_link="https://meet.example.org/abc-123" if mode == "online" else "",
                      agenda_md="1. Introductions\n2. The need\n3. Questions", capacity=capacity)
        values.update(overrides)
        return services.MeetingDetails(**values)

    return make


@pytest.fixture
def need_details():
    def make(**overrides):
        values = dict(
            title="Placements for young people with complex trauma", cohort_size=14, age_bands=["11-15", "16-17"],
            items=[("emotional_wellbeing", "high", "daily"), ("safety", "very_high", "continuous")],
            current_provision_md="Mostly out-of-area residential placements.",
            gaps_md="Too few local homes able to manage risk of exploitation.",
            outcomes_md="Stable placements close to school and family.",
            budget_min=2_000_000, budget_max=3_500_000, timescale="New provision from April 2027")
        values.update(overrides)
        return services.NeedDetails(**values)

    return make

