"""One vocabulary of service categories and regions across forums, need statements and procurements."""
import pytest

from core.errors import RuleViolation
from core.vocabulary import REGIONS, SERVICE_CATEGORIES
from forum import models as forum_models
from tenders import cpv
from tenders import models as tender_models
from tenders.services import procurements
from tests.unit.tenders.builders import T0


def test_forums_needs_and_procurements_share_one_list_of_categories():
    assert forum_models.CATEGORIES is SERVICE_CATEGORIES is tender_models.CATEGORIES
    assert SERVICE_CATEGORIES["childrens_homes"] == "Children's homes"
    assert "Residential care" not in SERVICE_CATEGORIES.values()
    assert set(cpv.CATEGORY_DEFAULT_CPV) == set(SERVICE_CATEGORIES)


def test_a_procurement_region_is_one_of_the_shared_list(db, world):
    with pytest.raises(RuleViolation) as refused:
        procurements.create_procurement(world.c1, title="X", category="childrens_homes", region="Northshire",
                                        subject_md="x", now=T0)
    assert refused.value.reasons["region"] == "Select a region from the list"
    made = procurements.create_procurement(world.c1, title="X", category="childrens_homes", region=REGIONS[0],
                                           subject_md="x", now=T0)
    assert made.region == REGIONS[0] and made.category_label == "Children's homes"


def test_the_filters_on_forums_needs_and_tenders_offer_the_same_categories(client, db):
    for page in ("/forums", "/needs", "/tenders"):
        html = client.get(page).get_data(as_text=True)
        assert "Children&#39;s homes" in html or "Children's homes" in html, page
        assert ">Residential care<" not in html, page
