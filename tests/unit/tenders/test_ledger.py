"""The information-parity ledger (equal information): conversations, bilateral contacts, disclosures."""
import dataclasses
import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.errors import NotPermitted, RuleViolation
from core.extensions import db as _db
from core.models import OutboxMessage
from tenders.models.ledger import Message
from tenders.services import clarifications, ledger, procurements
from tenders.services.ledger import RedactionInput
from tests.unit.tenders.builders import (
    CLARIFY_BY,
    DEADLINE,
    T0,
    clear_conflicts,
    draft,
    forum_of,
    in_engagement,
    in_tender,
    submit,
)
from trail.models import AuditEvent


def _events(action):
    return list(_db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)))


def _talk(world, p, *, by=None, text="Can homes be shared between two boroughs?", now=T0):
    by = by or world.p1
    organisation = world.org if by.organisation.is_provider else world.p1.organisation
    return ledger.start_conversation(by, organisation=organisation, procurement=p, subject="Question",
                                     body_md=text, now=now)


# ---------------------------------------------------------------- conversations


def test_a_provider_message_about_a_procurement_in_engagement_opens_a_bilateral_contact(db, world):
    p = in_engagement(world)
    conversation = _talk(world, p)
    contacts = ledger.contacts_of(conversation)
    assert len(contacts) == 1 and contacts[0].provider_org_id == world.p1.organisation_id
    assert contacts[0].opened_at == T0 and not contacts[0].is_resolved
    opened = _events("ledger.contact_opened")
    assert opened and opened[-1].audience == "auditors" and opened[-1].procurement_id == p.id


def test_later_messages_extend_the_unresolved_contact_from_first_to_last(db, world):
    p = in_engagement(world)
    conversation = _talk(world, p)
    ledger.send_message(conversation, world.c1, body_md="Yes, if both agree.", now=T0 + timedelta(hours=3))
    contacts = ledger.contacts_of(conversation)
    assert len(contacts) == 1
    assert contacts[0].opened_at == T0 and contacts[0].last_message_at == T0 + timedelta(hours=3)
    assert [m.contact_id for m in conversation.messages] == [contacts[0].id] * 2


def test_a_message_after_resolution_opens_a_new_contact(db, world):
    p = in_engagement(world)
    conversation = _talk(world, p)
    first = ledger.contacts_of(conversation)[0]
    ledger.mark_not_material(first, world.c1, reason="Only arranged a call time.", now=T0 + timedelta(hours=1))
    ledger.send_message(conversation, world.p1, body_md="Another question.", now=T0 + timedelta(days=1))
    contacts = ledger.contacts_of(conversation)
    assert len(contacts) == 2 and contacts[1].opened_at == T0 + timedelta(days=1) and not contacts[1].is_resolved


def test_a_message_about_a_procurement_in_tender_opens_a_contact_too(db, world):
    p = in_tender(world)
    conversation = _talk(world, p, now=T0 + timedelta(days=1))
    assert len(ledger.contacts_of(conversation)) == 1


def test_messages_about_a_draft_or_about_nothing_open_no_contact(db, world):
    p = draft(world)
    about_draft = ledger.start_conversation(world.c1, organisation=world.p1.organisation, procurement=p,
                                            subject="Early chat", body_md="Would you bid?", now=T0)
    about_nothing = _talk(world, None)
    assert ledger.contacts_of(about_draft) == [] and ledger.contacts_of(about_nothing) == []


def test_the_message_text_is_never_put_in_an_audit_payload(db, world):
    p = in_engagement(world)
    _talk(world, p, text="Our secret price is 42 pounds")
    assert not [e for e in db.session.scalars(select(AuditEvent)) if "secret price" in e.payload]
    sent = _events("ledger.message_sent")[-1]
    assert sent.audience == "auditors" and '"sha256"' in sent.payload


def test_an_empty_message_is_refused_and_nothing_is_saved(db, world):
    p = in_engagement(world)
    conversation = _talk(world, p)
    before = db.session.scalar(select(func.count(Message.id)))
    with pytest.raises(RuleViolation) as exc:
        ledger.send_message(conversation, world.c1, body_md="   ", now=T0)
    assert exc.value.reasons == {"body": "Enter your message"}
    assert db.session.scalar(select(func.count(Message.id))) == before


def test_an_empty_first_message_starts_no_conversation(db, world):
    with pytest.raises(RuleViolation) as exc:
        ledger.start_conversation(world.p1, organisation=world.org, procurement=None, subject="Hello", body_md="",
                                  now=T0)
    assert exc.value.reasons["body"] == "Enter your message"
    assert ledger.conversations_for(world.p1) == []


def test_nobody_can_message_their_own_organisation(db, world):
    with pytest.raises(RuleViolation) as exc:
        ledger.start_conversation(world.c1, organisation=world.org, procurement=None, subject="Me", body_md="Hi",
                                  now=T0)
    assert exc.value.reasons["organisation"] == "You cannot start a conversation with your own organisation"


def test_a_commissioner_writes_only_to_provider_organisations(db, world):
    with pytest.raises(RuleViolation) as exc:
        ledger.start_conversation(world.c1, organisation=world.other_commissioner.organisation, procurement=None,
                                  subject="Hi", body_md="Hi", now=T0)
    assert exc.value.reasons["organisation"] == "Commissioners write to provider organisations"


def test_a_provider_writes_only_to_commissioning_organisations(db, world):
    with pytest.raises(RuleViolation) as exc:
        ledger.start_conversation(world.p1, organisation=world.p2.organisation, procurement=None, subject="Hi",
                                  body_md="Hi", now=T0)
    assert exc.value.reasons["organisation"] == "Providers write to commissioning organisations"


def test_a_provider_cannot_tag_a_draft_procurement(db, world):
    p = draft(world)
    with pytest.raises(RuleViolation) as exc:
        ledger.start_conversation(world.p1, organisation=world.org, procurement=p, subject="Hi", body_md="Hi",
                                  now=T0)
    assert exc.value.reasons["procurement"] == "Choose a published procurement"


def test_a_commissioner_can_only_be_about_their_own_organisations_procurement(db, world):
    p = in_engagement(world)
    with pytest.raises(RuleViolation) as exc:
        ledger.start_conversation(world.other_commissioner, organisation=world.p1.organisation, procurement=p,
                                  subject="Hi", body_md="Hi", now=T0)
    assert exc.value.reasons["procurement"] == "Choose one of your organisation's procurements"


def test_a_provider_conversation_about_a_procurement_must_be_with_its_authority(db, world):
    p = in_engagement(world)
    with pytest.raises(RuleViolation) as exc:
        ledger.start_conversation(world.p1, organisation=world.other_commissioner.organisation, procurement=p,
                                  subject="Hi", body_md="Hi", now=T0)
    assert "is not run by the commissioning organisation you chose" in exc.value.reasons["procurement"]


def test_auditors_and_admins_cannot_start_conversations_and_the_refusal_is_audited(db, world):
    for person in (world.auditor, world.admin):
        with pytest.raises(NotPermitted):
            ledger.start_conversation(person, organisation=world.p1.organisation, procurement=None, subject="Hi",
                                      body_md="Hi", now=T0)
    assert len([e for e in _events("security.refused") if "ledger.conversation.start" in e.summary]) == 2


def test_only_the_two_organisations_and_auditors_read_a_conversation(db, world):
    conversation = _talk(world, in_engagement(world))
    for reader in (world.p1, world.c1, world.c2, world.auditor):
        assert ledger.read_conversation(conversation, reader) is conversation
    for outsider in (world.p2, world.in_house, world.other_commissioner, world.admin, world.unverified):
        with pytest.raises(NotPermitted):
            ledger.read_conversation(conversation, outsider)
    refused = [e for e in _events("security.refused") if "ledger.conversation.read" in e.summary]
    assert len(refused) == 5


def test_another_provider_cannot_write_in_someone_elses_conversation(db, world):
    conversation = _talk(world, in_engagement(world))
    with pytest.raises(NotPermitted):
        ledger.send_message(conversation, world.p2, body_md="Let me in", now=T0)
    with pytest.raises(NotPermitted):
        ledger.send_message(conversation, world.auditor, body_md="Auditors only read", now=T0)
    assert len(conversation.messages) == 1


def test_inboxes_show_only_the_organisations_conversations(db, world):
    conversation = _talk(world, in_engagement(world))
    assert ledger.conversations_for(world.p1) == [conversation]
    assert ledger.conversations_for(world.c2) == [conversation]
    assert ledger.conversations_for(world.p2) == [] and ledger.conversations_for(world.other_commissioner) == []
    assert ledger.conversations_for(world.auditor) == [conversation]
    assert ledger.conversations_for(world.admin) == []


# ---------------------------------------------------------------- tagging a conversation afterwards


def test_tagging_an_untagged_conversation_makes_its_untagged_contact_a_contact_about_the_procurement(db, world):
    p = in_engagement(world)
    conversation = _talk(world, None)
    [untagged] = ledger.contacts_of(conversation)
    assert untagged.procurement_id is None
    contact = ledger.tag_conversation(conversation, world.c2, p, now=T0 + timedelta(hours=1))
    assert contact is untagged and contact.procurement_id == p.id and contact.messages == conversation.messages
    assert ledger.unresolved_untagged_contacts(world.org.id) == [] and ledger.unresolved_contacts(p) == [contact]
    assert conversation.procurement_id == p.id and conversation.tagged_by_id == world.c2.id
    assert _events("ledger.conversation_tagged")[-1].procurement_id == p.id
    ledger.send_message(conversation, world.p1, body_md="More", now=T0 + timedelta(hours=2))
    assert len(ledger.contacts_of(conversation)) == 1


def test_messages_from_before_the_procurement_was_published_stay_out_of_the_contact(db, world):
    p = in_engagement(world)
    conversation = _talk(world, None, now=p.engagement_published_at - timedelta(days=1))
    assert ledger.tag_conversation(conversation, world.c1, p, now=T0) is None
    assert ledger.contacts_of(conversation) == []


def test_only_the_commissioning_side_can_tag_and_only_once(db, world):
    p = in_engagement(world)
    conversation = _talk(world, None)
    with pytest.raises(NotPermitted):
        ledger.tag_conversation(conversation, world.p1, p, now=T0)
    with pytest.raises(NotPermitted):
        ledger.tag_conversation(conversation, world.other_commissioner, p, now=T0)
    with pytest.raises(RuleViolation):
        ledger.tag_conversation(conversation, world.c1, None, now=T0)
    ledger.tag_conversation(conversation, world.c1, p, now=T0)
    with pytest.raises(RuleViolation) as exc:
        ledger.tag_conversation(conversation, world.c1, p, now=T0)
    assert exc.value.reasons["procurement"] == "This conversation already concerns a procurement"


# ---------------------------------------------------------------- resolving


def test_disclosing_publishes_summary_and_redactions_and_emails_every_participant(db, world):
    p = in_tender(world)
    clarifications.ask_clarification(p, world.p2, question="How many beds?", now=T0 + timedelta(days=1))
    submit(world, p, world.in_house, 90_000_000)
    conversation = _talk(world, p, now=T0 + timedelta(days=1))
    contact = ledger.contacts_of(conversation)[0]
    ledger.disclose_contact(contact, world.c1, summary_md="Alpha asked whether homes can be **shared**.",
                            redactions=[RedactionInput("The name of a home", "Commercially sensitive"),
                                        RedactionInput("", "")], now=T0 + timedelta(days=2))
    assert contact.resolution == "disclosed" and "<strong>shared</strong>" in contact.summary_html
    assert [(r.what, r.reason) for r in contact.redactions] == [("The name of a home", "Commercially sensitive")]
    emailed = {m.recipient for m in db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.subject.contains("disclosure of a private contact")))}
    assert emailed == {world.p2.email, world.in_house.email}
    event = _events("ledger.contact_disclosed")[-1]
    assert event.audience == "public" and "Commercially sensitive" in event.payload
    assert ledger.resolved_contacts(p) == [contact]


def test_disclosure_also_reaches_providers_in_the_linked_forum(db, world):
    from forum import services as forum_services
    from tenders.services import links

    p = in_engagement(world)
    forum = forum_of(world.c1)
    links.set_links(p, world.c1, forum=forum, needs=[], now=T0)
    forum_services.join_forum(forum, world.p2)
    contact = ledger.contacts_of(_talk(world, p))[0]
    ledger.disclose_contact(contact, world.c1, summary_md="Said X.", redactions=[], now=T0)
    assert [u.id for u in ledger.disclosure_recipients(p)] == [world.p2.id]


def test_a_disclosure_with_an_empty_summary_is_refused_and_nothing_changes(db, world):
    contact = ledger.contacts_of(_talk(world, in_engagement(world)))[0]
    with pytest.raises(RuleViolation) as exc:
        ledger.disclose_contact(contact, world.c1, summary_md="  ", redactions=[], now=T0)
    assert "summary" in exc.value.reasons
    assert not contact.is_resolved and contact.redactions == []


def test_a_redaction_without_a_reason_is_refused_and_nothing_changes(db, world):
    contact = ledger.contacts_of(_talk(world, in_engagement(world)))[0]
    with pytest.raises(RuleViolation) as exc:
        ledger.disclose_contact(contact, world.c1, summary_md="Said X.",
                                redactions=[RedactionInput("A price", "")], now=T0)
    assert exc.value.reasons == {"redactions-1-reason": "Redaction 1: give the reason for redacting it"}
    with pytest.raises(RuleViolation) as exc:
        ledger.disclose_contact(contact, world.c1, summary_md="Said X.",
                                redactions=[RedactionInput("", "Because")], now=T0)
    assert exc.value.reasons == {"redactions-1-what": "Redaction 1: say what was redacted"}
    assert not contact.is_resolved and contact.redactions == []


def test_not_material_needs_a_reason(db, world):
    contact = ledger.contacts_of(_talk(world, in_engagement(world)))[0]
    with pytest.raises(RuleViolation) as exc:
        ledger.mark_not_material(contact, world.c1, reason="", now=T0)
    assert exc.value.reasons == {"reason": "Give the reason this contact is not material"}
    assert not contact.is_resolved


def test_not_material_is_recorded_with_its_reason_for_auditors(db, world):
    p = in_engagement(world)
    contact = ledger.contacts_of(_talk(world, p))[0]
    ledger.mark_not_material(contact, world.c2, reason="Only a meeting time.", now=T0 + timedelta(hours=1))
    assert contact.resolution == "not_material" and contact.reason == "Only a meeting time."
    event = _events("ledger.contact_not_material")[-1]
    assert event.audience == "auditors" and "Only a meeting time." in event.payload


@pytest.mark.parametrize("first", ["disclose", "not_material"])
def test_a_resolved_contact_cannot_be_resolved_again(db, world, first):
    contact = ledger.contacts_of(_talk(world, in_engagement(world)))[0]
    resolve = {"disclose": lambda: ledger.disclose_contact(contact, world.c1, summary_md="S", redactions=[], now=T0),
               "not_material": lambda: ledger.mark_not_material(contact, world.c1, reason="R", now=T0)}
    resolve[first]()
    for again in resolve.values():
        with pytest.raises(RuleViolation) as exc:
            again()
        assert "cannot be resolved again" in exc.value.reasons[""]
    assert contact.resolution == ("disclosed" if first == "disclose" else "not_material")


@pytest.mark.parametrize("who", ["p1", "p2", "other_commissioner", "auditor", "admin"])
def test_only_an_owning_commissioner_resolves_a_contact_and_refusals_are_audited(db, world, who):
    p = in_engagement(world)
    contact = ledger.contacts_of(_talk(world, p))[0]
    person = getattr(world, who)
    with pytest.raises(NotPermitted):
        ledger.disclose_contact(contact, person, summary_md="S", redactions=[], now=T0)
    with pytest.raises(NotPermitted):
        ledger.mark_not_material(contact, person, reason="R", now=T0)
    assert not contact.is_resolved
    refused = [e for e in _events("security.refused") if e.procurement_id == p.id]
    assert {"ledger.contact.disclose", "ledger.contact.not_material"} <= {
        json.loads(e.payload)["attempted"] for e in refused}


def test_only_owning_commissioners_and_auditors_read_a_contact(db, world):
    contact = ledger.contacts_of(_talk(world, in_engagement(world)))[0]
    for reader in (world.c1, world.c2, world.auditor):
        assert ledger.read_contact(contact, reader) is contact
    for outsider in (world.p1, world.p2, world.other_commissioner, world.admin):
        with pytest.raises(NotPermitted):
            ledger.read_contact(contact, outsider)


# ---------------------------------------------------------------- to-do list and publishing the tender


def test_the_to_do_list_is_oldest_first_and_flags_overdue_contacts(db, world, app):
    p = in_engagement(world)
    old = ledger.contacts_of(_talk(world, p, now=T0 - timedelta(days=6)))[0]
    new = ledger.contacts_of(ledger.start_conversation(
        world.p2, organisation=world.org, procurement=p, subject="Q", body_md="Q", now=T0 - timedelta(days=1)))[0]
    resolved = ledger.contacts_of(ledger.start_conversation(
        world.in_house, organisation=world.org, procurement=p, subject="Q", body_md="Q", now=T0 - timedelta(days=9)))[0]
    ledger.mark_not_material(resolved, world.c1, reason="Nothing said", now=T0)
    todo = ledger.contacts_to_resolve(world.org.id, T0)
    assert [(t.contact, t.overdue) for t in todo] == [(old, True), (new, False)]
    assert ledger.contacts_to_resolve(world.other_commissioner.organisation_id, T0) == []
    app.config["CONTACT_RESOLUTION_DAYS"] = 10
    try:
        assert [t.overdue for t in ledger.contacts_to_resolve(world.org.id, T0)] == [False, False]
    finally:
        app.config["CONTACT_RESOLUTION_DAYS"] = 5


def test_each_unresolved_contact_is_a_publish_problem_naming_it(db, world):
    p = in_engagement(world)
    assert ledger.publish_problems(p, T0) == {}
    contact = ledger.contacts_of(_talk(world, p, now=T0 - timedelta(days=8)))[0]
    problems = ledger.publish_problems(p, T0)
    assert problems == {f"ledger_contact_{contact.id}":
                        "The private contact with Alpha Homes opened on 22 February 2026 is overdue and has not "
                        "been disclosed or marked not material"}
    assert "is overdue" not in ledger.publish_problems(p, T0 - timedelta(days=7))[f"ledger_contact_{contact.id}"]


def test_an_unresolved_contact_blocks_publishing_the_tender_until_it_is_resolved(db, world):
    p = in_engagement(world)
    contact = ledger.contacts_of(_talk(world, p, now=T0 - timedelta(days=2)))[0]
    assert f"ledger_contact_{contact.id}" in procurements.tender_problems(p, T0)
    clear_conflicts(world, p)
    with pytest.raises(RuleViolation) as exc:
        procurements.publish_tender(p, world.c1, clarification_deadline=CLARIFY_BY, response_deadline=DEADLINE,
                                    now=T0)
    assert list(exc.value.reasons) == [f"ledger_contact_{contact.id}"]
    assert p.stage == "engagement"
    ledger.mark_not_material(contact, world.c1, reason="Only logistics", now=T0)
    procurements.publish_tender(p, world.c1, clarification_deadline=CLARIFY_BY, response_deadline=DEADLINE, now=T0)
    assert p.stage == "tender"


def test_contacts_on_other_procurements_do_not_block(db, world):
    p = in_engagement(world)
    other = in_engagement(world)
    _talk(world, other)
    assert ledger.publish_problems(p, T0) == {}
    assert len(ledger.publish_problems(other, T0)) == 1


# ---------------------------------------------------------------- untagged contacts: no procurement picked


def _another_councils_live_procurement(world, org_factory, user_factory):
    elsewhere = user_factory("commissioner", organisation=org_factory("commissioning_unit", verified=True))
    return in_engagement(dataclasses.replace(world, c1=elsewhere))


def _untagged(world, *, by=None, text="Could we visit one of your homes next month?", subject="A visit", now=T0):
    by = by or world.p1
    organisation = world.org if by.organisation.is_provider else world.p1.organisation
    return ledger.start_conversation(by, organisation=organisation, procurement=None, subject=subject,
                                     body_md=text, now=now)


def test_a_message_naming_no_procurement_is_an_untagged_contact_while_the_council_has_a_live_one(db, world):
    p = in_engagement(world)
    conversation = _untagged(world)
    [contact] = ledger.contacts_of(conversation)
    assert contact.procurement_id is None and not contact.is_resolved and contact.council_id == world.org.id
    assert conversation.procurement_id is None
    opened = _events("ledger.contact_opened")[-1]
    assert opened.procurement_id is None and opened.audience == "auditors"
    assert json.loads(opened.payload)["live_procurements"] == [p.reference]
    ledger.send_message(conversation, world.c1, body_md="Yes, any Tuesday.", now=T0 + timedelta(hours=1))
    assert ledger.contacts_of(conversation) == [contact] and len(contact.messages) == 2


def test_a_commissioner_writing_first_opens_an_untagged_contact_too(db, world):
    in_tender(world)
    conversation = _untagged(world, by=world.c2, now=T0 + timedelta(days=1))
    assert [c.procurement_id for c in ledger.contacts_of(conversation)] == [None]


def test_no_contact_while_the_council_has_nothing_live_and_another_councils_live_procurement_does_not_count(
        db, world, org_factory, user_factory):
    draft(world)
    other = _another_councils_live_procurement(world, org_factory, user_factory)
    conversation = _untagged(world, text=f"We are bidding for {other.reference} elsewhere.")
    assert ledger.contacts_of(conversation) == [] and conversation.procurement_id is None


def test_a_message_before_the_procurement_was_published_is_no_contact(db, world):
    p = in_engagement(world)
    conversation = _untagged(world, now=p.engagement_published_at - timedelta(minutes=1))
    assert ledger.contacts_of(conversation) == []


@pytest.mark.parametrize("how", ["reference", "lower-case reference", "title", "subject"])
def test_a_message_naming_a_live_procurement_is_tagged_to_it_automatically(db, world, how):
    p = in_engagement(world)
    text, subject = {
        "reference": (f"About {p.reference}: can homes be shared?", "Question"),
        "lower-case reference": (f"About {p.reference.lower()}: can homes be shared?", "Question"),
        "title": (f"About the {p.title.upper()} engagement: can homes be shared?", "Question"),
        "subject": ("Can homes be shared?", f"Re {p.reference}"),
    }[how]
    conversation = _untagged(world, text=text, subject=subject)
    [contact] = ledger.contacts_of(conversation)
    assert contact.procurement_id == p.id and conversation.procurement_id == p.id
    assert conversation.tagged_by_id is None and conversation.tagged_at == T0
    tagged = _events("ledger.conversation_tagged")[-1]
    assert tagged.procurement_id == p.id and json.loads(tagged.payload)["automatic"] is True
    ledger.send_message(conversation, world.c1, body_md="Yes.", now=T0 + timedelta(hours=1))
    assert ledger.contacts_of(conversation) == [contact] and ledger.unresolved_contacts(p) == [contact]


def test_naming_the_councils_draft_or_nothing_live_leaves_the_contact_untagged(db, world):
    in_engagement(world)
    planned = draft(world)
    conversation = _untagged(world, text=f"Will {planned.reference} be tendered this year?")
    assert [c.procurement_id for c in ledger.contacts_of(conversation)] == [None]


def test_a_message_naming_two_live_procurements_is_untagged_and_must_be_disclosed_to_both(db, world):
    first, second = in_engagement(world), in_tender(world)
    conversation = _untagged(world, text=f"Do {first.reference} and {second.reference} overlap?",
                             now=T0 + timedelta(days=1))
    [contact] = ledger.contacts_of(conversation)
    assert contact.procurement_id is None and conversation.procurement_id is None
    assert ledger.named_procurements(contact, T0 + timedelta(days=1)) == sorted([first, second],
                                                                               key=lambda p: p.reference)
    with pytest.raises(RuleViolation) as exc:
        ledger.disclose_contact(contact, world.c1, summary_md="They do not overlap.", redactions=[],
                                procurements=[first], now=T0 + timedelta(days=2))
    assert exc.value.reasons == {"procurements": f"The messages name {second.reference}: disclose the contact "
                                                 f"there too"}
    assert not contact.is_resolved


def test_in_a_conversation_tagged_to_a_draft_messages_are_untagged_contacts_while_another_is_live(db, world):
    planned = draft(world)
    conversation = ledger.start_conversation(world.c1, organisation=world.p1.organisation, procurement=planned,
                                             subject="Early chat", body_md="Would you bid?", now=T0)
    assert ledger.contacts_of(conversation) == []
    in_engagement(world)
    ledger.send_message(conversation, world.p1, body_md="Maybe.", now=T0 + timedelta(hours=1))
    assert [c.procurement_id for c in ledger.contacts_of(conversation)] == [None]


def test_an_untagged_contact_is_disclosed_on_each_procurement_named_and_nowhere_else(db, world):
    first, second, third = in_engagement(world), in_engagement(world), in_engagement(world)
    contact = ledger.contacts_of(_untagged(world))[0]
    ledger.disclose_contact(contact, world.c1, summary_md="A provider asked about visits.", redactions=[],
                            procurements=[second, first, first], now=T0 + timedelta(hours=1))
    assert contact.resolution == "disclosed" and contact.disclosed_to == sorted([first, second],
                                                                                 key=lambda p: p.reference)
    assert ledger.resolved_contacts(first) == [contact] and ledger.resolved_contacts(second) == [contact]
    assert ledger.resolved_contacts(third) == []
    events = _events("ledger.contact_disclosed")
    assert sorted(e.procurement_id for e in events) == sorted([first.id, second.id])
    assert all(e.audience == "public" for e in events)
    assert json.loads(events[-1].payload)["disclosed_to"] == [p.reference for p in contact.disclosed_to]
    assert ledger.contacts_to_resolve(world.org.id, T0) == []


def test_an_untagged_disclosure_names_only_the_councils_published_procurements(db, world, org_factory, user_factory):
    in_engagement(world)
    planned = draft(world)
    foreign = _another_councils_live_procurement(world, org_factory, user_factory)
    contact = ledger.contacts_of(_untagged(world))[0]
    for chosen, message in (([], "Choose the procurements this contact is disclosed to"),
                            ([planned], "Choose only your organisation's published procurements"),
                            ([foreign], "Choose only your organisation's published procurements")):
        with pytest.raises(RuleViolation) as exc:
            ledger.disclose_contact(contact, world.c1, summary_md="S", redactions=[], procurements=chosen, now=T0)
        assert exc.value.reasons["procurements"] == message
    assert not contact.is_resolved and contact.disclosed_to == []


def test_a_tagged_contact_is_disclosed_only_on_its_own_procurement(db, world):
    p, other = in_engagement(world), in_engagement(world)
    contact = ledger.contacts_of(_talk(world, p))[0]
    with pytest.raises(RuleViolation) as exc:
        ledger.disclose_contact(contact, world.c1, summary_md="S", redactions=[], procurements=[other], now=T0)
    assert exc.value.reasons["procurements"] == f"This contact is about {p.reference}: it is disclosed there"


def test_marking_an_untagged_contact_not_about_any_live_procurement_is_recorded_for_auditors(db, world):
    p = in_engagement(world)
    contact = ledger.contacts_of(_untagged(world))[0]
    ledger.mark_not_about_live_procurement(contact, world.c2, reason="A visit to an existing home, nothing more.",
                                           now=T0 + timedelta(hours=2))
    assert contact.resolution == "not_about_live_procurement" and contact.resolved_by_id == world.c2.id
    assert contact.reason == "A visit to an existing home, nothing more."
    assert contact.resolution_label == "Not about any live procurement"
    event = _events("ledger.contact_not_about_live_procurement")[-1]
    payload = json.loads(event.payload)
    assert event.audience == "auditors" and event.procurement_id is None and event.actor_user_id == world.c2.id
    assert payload["reason"] == contact.reason and payload["live_procurements"] == [p.reference]
    assert payload["commissioner_org_id"] == world.org.id and payload["message_ids"] == [contact.messages[0].id]
    assert ledger.contacts_to_resolve(world.org.id, T0) == [] and ledger.publish_problems(p, T0) == {}
    assert ledger.resolved_contacts(p) == []  # nothing is published


def test_not_about_any_live_procurement_needs_a_reason_and_an_untagged_contact(db, world):
    p = in_engagement(world)
    untagged = ledger.contacts_of(_untagged(world))[0]
    with pytest.raises(RuleViolation) as exc:
        ledger.mark_not_about_live_procurement(untagged, world.c1, reason="  ", now=T0)
    assert exc.value.reasons == {"reason": "Give the reason this contact is not about any live procurement"}
    tagged = ledger.contacts_of(_talk(world, p))[0]
    with pytest.raises(RuleViolation) as exc:
        ledger.mark_not_about_live_procurement(tagged, world.c1, reason="R", now=T0)
    assert exc.value.reasons == {"reason": f"This contact is about {p.reference}: disclose it, or mark it not "
                                           f"material"}
    with pytest.raises(RuleViolation) as exc:
        ledger.mark_not_material(untagged, world.c1, reason="R", now=T0)
    assert "names no procurement" in exc.value.reasons["reason"]
    assert not untagged.is_resolved and not tagged.is_resolved
    assert _events("ledger.contact_not_about_live_procurement") == []


@pytest.mark.parametrize("who", ["p1", "p2", "in_house", "other_commissioner", "auditor", "admin"])
def test_only_the_councils_commissioners_resolve_an_untagged_contact_and_refusals_are_audited(db, world, who):
    in_engagement(world)
    contact = ledger.contacts_of(_untagged(world))[0]
    person = getattr(world, who)
    with pytest.raises(NotPermitted):
        ledger.mark_not_about_live_procurement(contact, person, reason="R", now=T0)
    with pytest.raises(NotPermitted):
        ledger.disclose_contact(contact, person, summary_md="S", redactions=[], procurements=[], now=T0)
    assert not contact.is_resolved
    attempted = {json.loads(e.payload)["attempted"] for e in _events("security.refused")}
    assert {"ledger.contact.not_about_live_procurement", "ledger.contact.disclose"} <= attempted


def test_an_untagged_contact_is_on_the_councils_to_do_list_with_the_procurements_it_names(db, world):
    first, second = in_engagement(world), in_engagement(world)
    tagged = ledger.contacts_of(_talk(world, first, now=T0 - timedelta(days=2)))[0]
    untagged = ledger.contacts_of(_untagged(world, by=world.p2, now=T0 - timedelta(days=1),
                                            text=f"Is {first.reference} like {second.reference}?"))[0]
    todo = ledger.contacts_to_resolve(world.org.id, T0)
    assert [(t.contact, t.named) for t in todo] == [(tagged, []), (untagged, sorted(
        [first, second], key=lambda p: p.reference))]
    assert ledger.contacts_to_resolve(world.other_commissioner.organisation_id, T0) == []


def test_an_untagged_contact_blocks_every_tender_notice_of_the_council_until_resolved(
        db, world, org_factory, user_factory):
    first, second = in_engagement(world), in_engagement(world)
    other_council = _another_councils_live_procurement(world, org_factory, user_factory)
    contact = ledger.contacts_of(_untagged(world, now=T0 - timedelta(days=1)))[0]
    key = f"ledger_contact_{contact.id}"
    for p in (first, second):
        assert ledger.publish_problems(p, T0) == {key: "The private contact with Alpha Homes opened on 1 March 2026 "
                                                       "names no procurement and has not been disclosed or marked "
                                                       "not about any live procurement"}
    assert "is overdue" in ledger.publish_problems(first, T0 + timedelta(days=6))[key]
    assert ledger.publish_problems(other_council, T0) == {}
    clear_conflicts(world, first)
    with pytest.raises(RuleViolation) as exc:
        procurements.publish_tender(first, world.c1, clarification_deadline=CLARIFY_BY, response_deadline=DEADLINE,
                                    now=T0)
    assert list(exc.value.reasons) == [key] and first.stage == "engagement"
    ledger.mark_not_about_live_procurement(contact, world.c1, reason="A visit only", now=T0)
    procurements.publish_tender(first, world.c1, clarification_deadline=CLARIFY_BY, response_deadline=DEADLINE,
                                now=T0)
    assert first.stage == "tender"
