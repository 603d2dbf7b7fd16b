import pytest

from core import clock
from tests.unit.outcomes.builders import LATER, contracted
from tests.unit.tenders.builders import make_world


@pytest.fixture
def world(org_factory, user_factory):
    return make_world(org_factory, user_factory)


@pytest.fixture
def contract(db, world):
    """A contract with outcomes whose 2026-Q2 and 2026-Q3 have ended, the clock set after them."""
    made = contracted(world)
    clock.set_now(LATER)
    yield made
    clock.set_now(None)
