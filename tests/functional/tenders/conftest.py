import pytest

from core import clock
from tests.unit.tenders.builders import T0, make_world


@pytest.fixture
def world(org_factory, user_factory):
    return make_world(org_factory, user_factory)


@pytest.fixture
def at():
    """Set the tenders clock for the request(s) that follow; always unfrozen afterwards."""
    clock.set_now(T0)
    yield clock.set_now
    clock.set_now(None)
