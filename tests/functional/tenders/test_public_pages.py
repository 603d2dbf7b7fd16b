"""Public list, filters, feed and the procurement page; drafts stay private."""
from html import unescape

from tests.unit.tenders.builders import draft, in_engagement, in_tender


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_drafts_are_not_listed_and_their_page_is_refused(client, db, world, auth):
    p = draft(world)
    assert p.title not in client.get("/tenders").get_data(as_text=True)
    assert client.get(f"/tenders/{p.id}").status_code == 401
    auth.sign_in(world.p1)
    assert client.get(f"/tenders/{p.id}").status_code == 403


def test_engagement_notice_is_public_with_its_reg_17_content(client, db, world, at):
    p = in_engagement(world)
    html = _text(client.get(f"/tenders/{p.id}"))
    assert p.reference in html and world.org.name in html and "Engagement closes on" in html
    assert "Residential homes for up to 12 children" in html


def test_list_filters_by_stage_category_region_and_value_band(client, db, world, at):
    e = in_engagement(world)
    t = in_tender(world)
    html = client.get("/tenders?stage=tender").get_data(as_text=True)
    assert f"/tenders/{t.id}\"" in html and f"/tenders/{e.id}\"" not in html
    assert f'/tenders/{t.id}"' in client.get("/tenders?category=childrens_homes&region=North+West").get_data(
        as_text=True
    )
    assert f"/tenders/{t.id}\"" not in client.get("/tenders?category=fostering").get_data(as_text=True)
    assert f"/tenders/{t.id}\"" in client.get("/tenders?band=light_touch").get_data(as_text=True)
    assert f"/tenders/{t.id}\"" not in client.get("/tenders?band=below_threshold").get_data(as_text=True)


def test_bad_filter_values_are_ignored_not_an_error(client, db, world):
    assert client.get("/tenders?stage=nonsense&band=x&page=-3").status_code == 200


def test_atom_feed_lists_published_procurements_only(client, db, world, at):
    d = draft(world)
    e = in_engagement(world)
    response = client.get("/tenders.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    body = response.get_data(as_text=True)
    assert e.reference in body and d.reference not in body


def test_live_procurements_appear_on_the_home_page(client, db, world, at):
    e = in_engagement(world)
    assert e.title in client.get("/").get_data(as_text=True)


def test_published_specification_outcomes_and_criteria_are_on_the_public_page(client, db, world, at):
    p = in_tender(world)
    html = _text(client.get(f"/tenders/{p.id}"))
    assert "At least 69% remain in their first placement" in html
    assert "Outcomes and approach" in html and "Light-touch contract" in html


def test_atom_feed_is_well_formed_with_one_entry_per_published_procurement(client, db, world, at):
    import xml.etree.ElementTree as ET
    in_engagement(world)
    in_tender(world)
    root = ET.fromstring(client.get("/tenders.atom").data)
    entries = root.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 2


def test_an_in_house_provider_unit_cannot_see_a_draft(client, db, world, auth):
    p = draft(world)
    auth.sign_in(world.in_house)
    assert client.get(f"/tenders/{p.id}").status_code == 403
    assert client.get(f"/tenders/{p.id}/specification/versions").status_code == 403
