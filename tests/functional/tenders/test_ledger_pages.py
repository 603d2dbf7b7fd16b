"""The parity ledger's pages: messages, the commissioner's to-do list, resolving, and the public record."""
from datetime import timedelta

from sqlalchemy import select

from forum import services as forum_services
from forum.attachments import Upload
from tenders.models.ledger import Contact, Conversation
from tenders.services import ledger, links
from tests.conftest import submit
from tests.unit.forum.files import PDF
from tests.unit.tenders.builders import T0, forum_of, in_engagement, meeting_in
from trail.models import AuditEvent


def _text(response):
    return response.get_data(as_text=True)


def _contact(world, p, *, text="Can homes be shared between boroughs?", by=None, now=T0):
    conversation = ledger.start_conversation(by or world.p1, organisation=world.org, procurement=p,
                                             subject="Sharing homes", body_md=text, now=now)
    return conversation, ledger.contacts_of(conversation)[0]


def test_a_provider_starts_a_conversation_and_the_commissioner_sees_it_as_a_contact_to_resolve(
        client, db, world, auth, at):
    p = in_engagement(world)
    auth.sign_in(world.p1)
    assert 'href="/messages"' in _text(client.get("/tenders"))  # the Messages link in the site navigation
    response = submit(client, "/messages/new", {"organisation": str(world.org.id), "procurement": str(p.id),
                                                "subject": "Sharing homes", "body": "Can *homes* be shared?"})
    assert response.status_code == 302
    conversation = db.session.scalars(select(Conversation)).one()
    page = _text(client.get(response.headers["Location"]))
    assert "<em>homes</em>" in page and "bilateral contact" in page
    auth.sign_out()
    auth.sign_in(world.c2)
    todo = _text(client.get("/messages/contacts"))
    assert "Alpha Homes" in todo and p.reference in todo and "Overdue" not in todo
    at(T0 + timedelta(days=6))
    assert "Overdue" in _text(client.get("/messages/contacts"))
    reply = submit(client, f"/messages/{conversation.id}", {"body": "Yes, within 20 miles."})
    assert reply.status_code == 302 and len(conversation.messages) == 2


def test_an_empty_message_is_refused_and_what_was_typed_is_kept(client, db, world, auth, at):
    auth.sign_in(world.p1)
    response = submit(client, "/messages/new", {"organisation": str(world.org.id), "subject": "Kept subject",
                                                "body": "  "})
    page = _text(response)
    assert response.status_code == 400 and "Enter your message" in page and 'value="Kept subject"' in page
    assert db.session.scalars(select(Conversation)).all() == []


def test_messaging_your_own_organisation_or_the_wrong_kind_is_refused_on_the_page(client, db, world, auth, at):
    auth.sign_in(world.p1)
    page = _text(submit(client, "/messages/new", {"organisation": str(world.p1.organisation_id), "subject": "S",
                                                  "body": "B"}))
    assert "You cannot start a conversation with your own organisation" in page
    page = _text(submit(client, "/messages/new", {"organisation": str(world.p2.organisation_id), "subject": "S",
                                                  "body": "B"}))
    assert "Providers write to commissioning organisations" in page
    assert db.session.scalars(select(Conversation)).all() == []


def test_another_councils_commissioner_cannot_read_the_conversation_and_is_audited(client, db, world, auth, at):
    conversation, contact = _contact(world, in_engagement(world), text="Our secret plan")
    auth.sign_in(world.other_commissioner)
    for url in (f"/messages/{conversation.id}", f"/messages/contacts/{contact.id}"):
        response = client.get(url)
        assert response.status_code == 403 and "Our secret plan" not in _text(response)
    attempted = [
        e.summary for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == "security.refused"))
    ]
    assert any("ledger.conversation.read" in s for s in attempted)
    assert any("ledger.contact.read" in s for s in attempted)


def test_another_provider_cannot_read_or_resolve(client, db, world, auth, at):
    conversation, contact = _contact(world, in_engagement(world), text="Our secret plan")
    auth.sign_in(world.p2)
    assert client.get(f"/messages/{conversation.id}").status_code == 403
    assert submit(client, f"/messages/contacts/{contact.id}/not-material", {"notmaterial-reason": "x"},
                  form_url="/account").status_code == 403
    assert not contact.is_resolved


def test_disclosing_on_the_contact_page_publishes_it_on_the_procurement_page(client, db, world, auth, at):
    p = in_engagement(world)
    _, contact = _contact(world, p, text="Our home at 1 Secret Street could take two children")
    auth.sign_in(world.c1)
    assert "Private contacts to disclose or mark not material" in _text(client.get(f"/tenders/{p.id}"))
    page = _text(client.get(f"/messages/contacts/{contact.id}"))
    assert "1 Secret Street" in page and "Disclose it to every participant" in page
    response = submit(client, f"/messages/contacts/{contact.id}/disclose",
                      {"disclose-summary": "A provider asked about **shared homes**.",
                       "disclose-redactions-0-what": "The home's address",
                       "disclose-redactions-0-reason": "Safeguarding"}, form_url=f"/messages/contacts/{contact.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/tenders/{p.id}#disclosures")
    auth.sign_out()
    public = _text(client.get(f"/tenders/{p.id}"))
    assert "Disclosures of private contacts" in public and "<strong>shared homes</strong>" in public
    assert "Redacted: The home&#39;s address. Reason: Safeguarding" in public and "Secret Street" not in public


def test_a_redaction_without_a_reason_keeps_the_form_and_changes_nothing(client, db, world, auth, at):
    _, contact = _contact(world, in_engagement(world))
    auth.sign_in(world.c1)
    response = submit(client, f"/messages/contacts/{contact.id}/disclose",
                      {"disclose-summary": "Kept summary", "disclose-redactions-0-what": "A price"},
                      form_url=f"/messages/contacts/{contact.id}")
    page = _text(response)
    assert response.status_code == 400 and "Redaction 1: give the reason for redacting it" in page
    assert "Kept summary" in page and 'value="A price"' in page
    assert not contact.is_resolved


def test_a_disclosure_with_an_empty_summary_is_refused_on_the_page(client, db, world, auth, at):
    _, contact = _contact(world, in_engagement(world))
    auth.sign_in(world.c1)
    response = submit(client, f"/messages/contacts/{contact.id}/disclose", {"disclose-summary": ""},
                      form_url=f"/messages/contacts/{contact.id}")
    assert response.status_code == 400 and "Enter a summary of what was said" in _text(response)
    assert not contact.is_resolved


def test_not_material_is_listed_publicly_with_date_and_provider_but_no_content(client, db, world, auth, at):
    p = in_engagement(world)
    _, contact = _contact(world, p, text="Secret content here")
    auth.sign_in(world.c1)
    response = submit(client, f"/messages/contacts/{contact.id}/not-material",
                      {"notmaterial-reason": "Only agreed a call time"}, form_url=f"/messages/contacts/{contact.id}")
    assert response.status_code == 302
    again = submit(client, f"/messages/contacts/{contact.id}/not-material",
                   {"notmaterial-reason": "Twice"}, form_url="/account")
    assert again.status_code == 400 and "cannot be resolved again" in _text(again)
    assert db.session.get(Contact, contact.id).reason == "Only agreed a call time"
    auth.sign_out()
    public = _text(client.get(f"/tenders/{p.id}"))
    assert "Contacts recorded as not material" in public and "2 March 2026: contact with Alpha Homes" in public
    assert "Secret content" not in public and "Only agreed a call time" not in public


def test_the_publish_page_names_the_unresolved_contact(client, db, world, auth, at):
    p = in_engagement(world)
    _contact(world, p, now=T0 - timedelta(days=7))
    auth.sign_in(world.c1)
    page = _text(client.get(f"/tenders/{p.id}/publish"))
    assert "The private contact with Alpha Homes opened on 23 February 2026 is overdue" in page


def test_an_owning_commissioner_marks_an_untagged_conversation_as_concerning_a_procurement(client, db, world, auth,
                                                                                          at):
    p = in_engagement(world)
    conversation = ledger.start_conversation(world.p1, organisation=world.org, procurement=None, subject="Hello",
                                             body_md="A general question", now=T0)
    auth.sign_in(world.c1)
    assert "Does this conversation concern a procurement?" in _text(client.get(f"/messages/{conversation.id}"))
    response = submit(client, f"/messages/{conversation.id}/procurement", {"procurement": str(p.id)},
                      form_url=f"/messages/{conversation.id}")
    assert response.status_code == 302 and conversation.procurement_id == p.id
    assert len(ledger.contacts_of(conversation)) == 1


def test_the_auditor_reads_conversations_but_cannot_write(client, db, world, auth, at):
    conversation, contact = _contact(world, in_engagement(world), text="Auditable words")
    auth.sign_in(world.auditor)
    assert "Sharing homes" in _text(client.get("/messages"))
    page = _text(client.get(f"/messages/{conversation.id}"))
    assert "Auditable words" in page and "Reply" not in page
    assert "Disclose it to every participant" not in _text(client.get(f"/messages/contacts/{contact.id}"))
    assert submit(client, f"/messages/{conversation.id}", {"body": "Hi"}, form_url="/account").status_code == 403
    assert len(conversation.messages) == 1


def test_meeting_minutes_and_documents_are_public_and_linked_from_the_procurement(client, db, world, auth, at):
    p, forum = in_engagement(world), forum_of(world.c1)
    links.link_forum(p, world.c1, forum, now=T0)
    meeting = meeting_in(forum, world.c1, title="Provider engagement session")
    links.add_meeting_event(p, world.c1, meeting, now=T0)
    document = forum_services.add_meeting_document(meeting, world.c1, Upload("slides.pdf", PDF))
    # The meeting has taken place: move it into the past so the minutes can be published (real clock).
    meeting.starts_at, meeting.ends_at = meeting.starts_at - timedelta(days=30), meeting.ends_at - timedelta(days=30)
    forum_services.publish_minutes(meeting, world.c1, "We answered: homes within 20 miles count.")
    public = _text(client.get(f"/tenders/{p.id}"))
    assert "Engagement meetings: minutes and documents" in public
    assert f'href="/meetings/{meeting.id}#minutes"' in public and f'href="/attachments/{document.id}"' in public
    # Anyone, signed in or not, registered for the meeting or not, reads both.
    assert "homes within 20 miles count" in _text(client.get(f"/meetings/{meeting.id}"))
    download = client.get(f"/attachments/{document.id}")
    assert download.status_code == 200 and download.data == PDF
