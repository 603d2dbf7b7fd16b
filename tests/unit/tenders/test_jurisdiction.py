from dataclasses import dataclass

import pytest

from tenders.jurisdiction import Nation, nation_of


@dataclass
class Org:
    gss_code: str | None
    region: str | None


@pytest.mark.parametrize(("gss", "region", "nation"), [
    ("W06000099", "Wales", Nation.WALES),
    ("W06000001", None, Nation.WALES),
    ("E10000002", "North West", Nation.ENGLAND),
    ("E10000002", "Wales", Nation.ENGLAND),  # the code wins over a mistyped region
    (None, "Wales", Nation.WALES),
    (None, "North West", Nation.ENGLAND),
    (None, None, Nation.ENGLAND),
])
def test_nation_follows_the_gss_code_then_the_region(gss, region, nation):
    assert nation_of(Org(gss, region)) is nation
