import pytest

from core import clock
from tests.unit.tenders.builders import make_world


@pytest.fixture
def world(org_factory, user_factory):
    return make_world(org_factory, user_factory)


@pytest.fixture
def at():
    """Freeze the project clock at a moment; unfrozen after the test."""
    yield clock.set_now
    clock.set_now(None)
