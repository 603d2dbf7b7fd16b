"""Declarations that don't get in the way: a refusal links to where to fix it; every publish blocker is a link."""
from __future__ import annotations

from html import unescape

from tenders.services import responses
from tests.unit.tenders.builders import draft, opened


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_a_refusal_for_a_missing_declaration_links_to_the_declarations_page(client, db, world, auth, at):
    p = opened(world, declared=False)
    db.session.commit()
    from tests.unit.tenders.builders import AFTER

    at(AFTER)
    response = responses.responses_for(p)[0]
    auth.sign_in(world.c2)
    refused = client.get(f"/tenders/{p.id}/responses/{response.id}")
    html = _text(refused)
    assert refused.status_code == 403
    assert "Declare your interests first" in html
    assert f'<a class="govuk-link" href="/tenders/{p.id}/declarations">Declare your interests in {p.reference}</a>' \
        in html
    assert "Go to my work" in html and "Go to the home page" not in html


def test_every_item_before_the_tender_can_be_published_is_a_link(client, db, world, auth, at):
    p = draft(world)
    db.session.commit()
    auth.sign_in(world.c1)
    html = _text(client.get(f"/tenders/{p.id}"))
    listing = html.split("Before the tender can be published", 1)[1].split("</ul>", 1)[0]
    items = listing.count("<li>")
    assert items >= 2 and listing.count('<a class="govuk-link" href="/tenders/') == items
    assert f'href="/tenders/{p.id}/declarations/assessment">Record the conflicts assessment</a>' in listing
    publish = _text(client.get(f"/tenders/{p.id}/publish"))
    assert f'href="/tenders/{p.id}/declarations/assessment"' in publish
