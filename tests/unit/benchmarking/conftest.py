import pytest

from tests.unit.benchmarking.runs_builders import council, providers  # noqa: F401  (shared fixtures)
from tests.unit.tenders.builders import make_world


@pytest.fixture
def world(org_factory, user_factory):
    return make_world(org_factory, user_factory)
