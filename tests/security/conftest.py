"""The eight people every route is tried as, and a small world for route arguments."""
from __future__ import annotations

import pytest

from tests.conftest import Auth

PERSONAS = ("anonymous", "provider_a", "provider_b", "in_house_provider", "owning_commissioner",
            "other_commissioner", "auditor", "admin")


@pytest.fixture
def people(db, user_factory, org_factory):
    owning_council = org_factory("commissioning_unit", name="Owning Council Commissioning", verified=True)
    other_council = org_factory("commissioning_unit", name="Other Council Commissioning", verified=True)
    in_house = org_factory("provider", provider_type="in_house", council="Owning Council", verified=True,
                           name="Owning Council In-House Homes")
    return {
        "anonymous": None,
        "provider_a": user_factory("provider", organisation=org_factory("provider", verified=True, name="Provider A")),
        "provider_b": user_factory("provider", organisation=org_factory("provider", verified=True, name="Provider B")),
        "in_house_provider": user_factory("provider", organisation=in_house),
        "owning_commissioner": user_factory("commissioner", organisation=owning_council),
        "other_commissioner": user_factory("commissioner", organisation=other_council),
        "auditor": user_factory("auditor"),
        "admin": user_factory("admin"),
    }


@pytest.fixture
def sign_in_as(app, people):
    """A fresh client signed in as the persona (anonymous: not signed in)."""

    def make(persona: str):
        client = app.test_client()
        if people[persona] is not None:
            response = Auth(client).sign_in(people[persona])
            assert response.status_code == 302, f"{persona} could not sign in"
        return client

    return make
