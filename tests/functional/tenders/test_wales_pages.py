"""Wales on the pages: the not-for-profit restrictions on a Welsh council's children's care procurement and on a
provider's profile, with their dates, source and the check against commencement; the legal form form."""
from html import unescape

from tests.conftest import submit
from tests.unit.tenders.test_spinoffs import contract_world


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_a_welsh_councils_residential_procurement_shows_the_restrictions(client, db, world, at):
    p, contract, now = contract_world(world)
    at(now)
    assert "not-for-profit restrictions" not in _text(client.get(f"/tenders/{p.id}"))  # an English council
    world.org.gss_code = "W06000001"
    contract.provider.legal_form = "company_limited_by_shares"
    db.session.flush()
    html = _text(client.get(f"/tenders/{p.id}"))
    assert "Children's care in Wales: not-for-profit restrictions" in html
    for when in ("From 1 April 2026:", "From 1 April 2027:", "From 2030:"):
        assert when in html
    assert "Health and Social Care (Wales) Act 2025" in html and "commencement regulations" in html
    assert "Company limited by shares (a form that can distribute profit)" in html


def test_a_providers_profile_shows_its_legal_form_and_the_restrictions(client, db, world, auth):
    org = world.p1.organisation
    html = _text(client.get(f"/organisations/{org.id}"))
    assert "Legal form" in html and "Not recorded" in html
    assert "From 1 April 2026:" in html and "commencement regulations" in html
    assert "Record the legal form" not in html


def test_a_provider_records_its_legal_form_and_a_missing_choice_is_refused(client, db, world, auth):
    org = world.p1.organisation
    auth.sign_in(world.p1)
    response = submit(client, f"/organisations/{org.id}/legal-form", {})
    assert response.status_code == 200 and "Select the organisation's legal form" in _text(response)
    response = submit(client, f"/organisations/{org.id}/legal-form", {"legal_form": "cic"})
    assert response.status_code == 302
    html = _text(client.get(f"/organisations/{org.id}"))
    assert "Community interest company (CIC)" in html and "does not distribute profit" in html
