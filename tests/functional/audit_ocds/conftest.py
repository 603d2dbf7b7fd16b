import pytest

from tests.unit.audit_ocds.builders import make_people


@pytest.fixture
def people(org_factory, user_factory):
    return make_people(org_factory, user_factory)
