"""Private messages that name no procurement, on the pages: the council's to-do list, the contact page's two
resolutions (disclose to named procurements; not about any live procurement), the publish page, and what the
auditors see (contacts register with its CSV and JSON exports, and the attention dashboard)."""
import csv
import io
import re
from datetime import timedelta

from sqlalchemy import select

from tenders.models.ledger import Contact
from tenders.services import ledger
from tests.conftest import submit
from tests.unit.tenders.builders import T0, in_engagement
from trail.models import AuditEvent


def _text(response):
    return response.get_data(as_text=True)


def _untagged(world, *, text="Could we visit one of your homes next month?", now=T0):
    conversation = ledger.start_conversation(world.p1, organisation=world.org, procurement=None,
                                             subject="A visit", body_md=text, now=now)
    [contact] = ledger.contacts_of(conversation)
    assert contact.procurement_id is None
    return conversation, contact


def test_a_provider_message_naming_no_procurement_is_on_the_councils_to_do_list(client, db, world, auth, at):
    p = in_engagement(world)
    auth.sign_in(world.p1)
    response = submit(client, "/messages/new", {"organisation": str(world.org.id), "subject": "A visit",
                                                "body": "Could we visit one of your homes?"})
    assert response.status_code == 302
    page = _text(client.get(response.headers["Location"]))
    assert "It is logged as a bilateral contact." in page and "no procurement named" in page
    auth.sign_out()
    auth.sign_in(world.c2)
    todo = _text(client.get("/messages/contacts"))
    assert "Alpha Homes" in todo and "None picked" in todo and p.reference not in todo
    contact = db.session.scalars(select(Contact)).one()
    assert f'href="/messages/contacts/{contact.id}"' in todo
    auth.sign_out()
    auth.sign_in(world.other_commissioner)
    assert "Alpha Homes" not in _text(client.get("/messages/contacts"))


def test_a_message_quoting_the_reference_is_listed_under_that_procurement(client, db, world, auth, at):
    p = in_engagement(world)
    _untagged_by_reference = ledger.start_conversation(world.p1, organisation=world.org, procurement=None,
                                                       subject="Hello", body_md=f"About {p.reference.lower()}.",
                                                       now=T0)
    auth.sign_in(world.c1)
    todo = _text(client.get("/messages/contacts"))
    assert f"{p.reference}: {p.title}" in todo and "None picked" not in todo
    assert p.reference in _text(client.get(f"/messages/{_untagged_by_reference.id}"))


def test_the_commissioner_marks_it_not_about_any_live_procurement_and_it_leaves_the_list(
        client, db, world, auth, at):
    p = in_engagement(world)
    _, contact = _untagged(world, text="Secret visiting arrangements")
    auth.sign_in(world.c1)
    page = _text(client.get(f"/messages/contacts/{contact.id}"))
    assert "None picked" in page and "Or mark it not about any live procurement" in page
    assert "Or mark it not material" not in page and p.reference in page  # offered in the disclosure's choices
    empty = submit(client, f"/messages/contacts/{contact.id}/not-about-live-procurement", {"notlive-reason": " "},
                   form_url=f"/messages/contacts/{contact.id}")
    assert empty.status_code == 400 and "Give the reason this contact is not about any live procurement" in \
        _text(empty)
    done = submit(client, f"/messages/contacts/{contact.id}/not-about-live-procurement",
                  {"notlive-reason": "A visit to an existing home"}, form_url=f"/messages/contacts/{contact.id}")
    assert done.status_code == 302 and done.headers["Location"].endswith("/messages/contacts")
    assert db.session.get(Contact, contact.id).resolution == "not_about_live_procurement"
    assert "There are no unresolved private contacts." in _text(client.get("/messages/contacts"))
    shown = _text(client.get(f"/messages/contacts/{contact.id}"))
    assert "Not about any live procurement" in shown and "A visit to an existing home" in shown
    auth.sign_out()
    public = _text(client.get(f"/tenders/{p.id}"))
    assert "Secret visiting" not in public and "A visit to an existing home" not in public


def test_a_provider_cannot_mark_it_and_the_refusal_is_audited(client, db, world, auth, at):
    in_engagement(world)
    _, contact = _untagged(world)
    auth.sign_in(world.p1)
    assert client.get(f"/messages/contacts/{contact.id}").status_code == 403
    refused = submit(client, f"/messages/contacts/{contact.id}/not-about-live-procurement",
                     {"notlive-reason": "Nothing to see"}, form_url="/account")
    assert refused.status_code == 403 and not db.session.get(Contact, contact.id).is_resolved
    summaries = [e.summary for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "security.refused"))]
    assert any("ledger.contact.not_about_live_procurement" in s for s in summaries)


def test_disclosing_an_untagged_contact_asks_which_procurements_and_publishes_on_each(client, db, world, auth, at):
    first, second, third = in_engagement(world), in_engagement(world), in_engagement(world)
    # Naming two live procurements leaves the contact untagged: the commissioner says where it goes.
    _, contact = _untagged(world, text=f"Do {first.reference} and {second.reference} allow shared homes?")
    auth.sign_in(world.c1)
    page = _text(client.get(f"/messages/contacts/{contact.id}"))
    assert "Procurements this contact is disclosed to" in page
    assert _checked(page, first.id) and _checked(page, second.id) and not _checked(page, third.id)
    missing = submit(client, f"/messages/contacts/{contact.id}/disclose",
                     {"disclose-summary": "Shared homes are allowed.", "disclose-procurements": [str(second.id)]},
                     form_url=f"/messages/contacts/{contact.id}")
    assert missing.status_code == 400 and f"The messages name {first.reference}" in _text(missing)
    assert "Shared homes are allowed." in _text(missing)  # what was typed is kept
    done = submit(client, f"/messages/contacts/{contact.id}/disclose",
                  {"disclose-summary": "Shared homes are allowed.",
                   "disclose-procurements": [str(first.id), str(second.id)]},
                  form_url=f"/messages/contacts/{contact.id}")
    assert done.status_code == 302
    auth.sign_out()
    for p in (first, second):
        assert "Shared homes are allowed." in _text(client.get(f"/tenders/{p.id}"))
    assert "Shared homes are allowed." not in _text(client.get(f"/tenders/{third.id}"))


def _checked(page: str, procurement_id: int) -> bool:
    """The checkbox for the procurement is ticked (attribute order is the widget's business)."""
    return any("checked" in tag for tag in re.findall(r"<input[^>]*>", page) if f'value="{procurement_id}"' in tag)


def test_the_publish_page_names_the_untagged_contact_on_every_live_procurement(client, db, world, auth, at):
    first, second = in_engagement(world), in_engagement(world)
    _untagged(world, now=T0 - timedelta(days=1))
    auth.sign_in(world.c1)
    for p in (first, second):
        page = _text(client.get(f"/tenders/{p.id}/publish"))
        assert "The private contact with Alpha Homes opened on 1 March 2026 names no procurement" in page


def test_auditors_see_it_on_the_dashboard_and_the_decision_in_the_register_and_its_exports(
        client, db, world, auth, at):
    p = in_engagement(world)
    _, contact = _untagged(world)
    db.session.commit()
    auth.sign_in(world.auditor)
    dashboard = _text(client.get("/audit/attention"))
    assert "Undisclosed bilateral contacts (1)" in dashboard and "None named" in dashboard
    assert f'href="/messages/contacts/{contact.id}"' in dashboard and "Alpha Homes" in dashboard
    assert "blocks every tender notice of Northshire Children&#39;s Commissioning" in dashboard
    ledger.mark_not_about_live_procurement(contact, world.c1, reason="A visit to an existing home",
                                           now=T0 + timedelta(hours=1))
    db.session.commit()
    assert "Undisclosed bilateral contacts (0)" in _text(client.get("/audit/attention"))
    action = "ledger.contact_not_about_live_procurement"
    register = _text(client.get(f"/audit/registers/contacts?action={action}"))
    assert "A visit to an existing home" in register and p.reference in register
    rows = list(csv.DictReader(io.StringIO(_text(client.get(f"/audit/registers/contacts.csv?action={action}")))))
    assert [(r["action"], r["not_material_reason"], r["live_procurements"]) for r in rows] == [
        (action, "A visit to an existing home", f'["{p.reference}"]')]
    items = client.get(f"/audit/registers/contacts.json?action={action}").get_json()
    assert [(i["not_material_reason"], i["live_procurements"], i["commissioner_org_id"]) for i in items] == [
        ("A visit to an existing home", [p.reference], world.org.id)]
