"""Private messages in a real browser: the inbox, a conversation and the contacts to resolve, axe on each page.

A provider writes to a commissioning organisation about nothing in
particular while it has a procurement open for tender: the message is still a
bilateral contact, naming no procurement. The commissioner finds it in the
inbox, replies, and then marks the conversation as concerning that
procurement, which makes the contact one about it: it appears on the contacts
page to resolve (rule 2). The provider sees the reply.

Time: the tenders clock (core.clock) is frozen through `tenders_clock`.
"""
from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility, make_organisation, make_person, sign_in
from tests.unit.tenders.builders import T0

AUTHORITY = "Rivermouth Children's Commissioning"
PROVIDER = "Kestrel Lodge"
RUTH = "ruth.messages@rivermouth.example"
RAY = "ray.messages@rivermouth.example"
KIM = "kim.messages@kestrel.example"
SUBJECT = "Visiting your team about step-down care"


def _prepare(live_server) -> dict:
    authority = make_organisation(live_server, AUTHORITY, "commissioning_unit")
    provider = make_organisation(live_server, PROVIDER, "provider")
    secret = make_person(live_server, email=RUTH, full_name="Ruth Rivermouth", role="commissioner",
                         organisation_id=authority)
    make_person(live_server, email=RAY, full_name="Ray Rivermouth", role="commissioner", organisation_id=authority)
    make_person(live_server, email=KIM, full_name="Kim Kestrel", role="provider", organisation_id=provider)

    def build():
        from accounts.queries import user_by_email
        from tests.unit.tenders.builders import in_tender

        procurement = in_tender(SimpleNamespace(c1=user_by_email(RUTH), c2=user_by_email(RAY)))
        return procurement.reference, procurement.title

    reference, title = live_server.do(build)
    return {"secret": secret, "reference": reference, "title": title}


def _checked(page: Page) -> Page:
    check_accessibility(page)
    return page


def _flash(page: Page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner").first).to_contain_text(text)


def test_inbox_conversation_reply_and_a_contact_to_resolve(live_server, new_context, tenders_clock):
    ready = _prepare(live_server)
    ruth, kim = (new_context().new_page() for _ in range(2))
    tenders_clock(T0 + timedelta(days=3))
    sign_in(ruth, live_server, RUTH, ready["secret"])
    sign_in(kim, live_server, KIM)

    # The provider writes, not about a particular procurement: the authority has a tender open, so it is a contact.
    kim.get_by_role("navigation", name="Menu").get_by_role("link", name="Messages").click()
    expect(kim.get_by_role("heading", level=1)).to_have_text("Messages")
    kim.get_by_role("link", name="Start a conversation").click()
    kim.get_by_label("Organisation to write to").select_option(label=AUTHORITY)
    kim.get_by_label("Subject").fill(SUBJECT)
    kim.get_by_label("Message").fill("Could we show your team round our step-down home next month?")
    kim.get_by_role("button", name="Send message").click()
    _flash(kim, "Message sent.")
    _flash(kim, "It is logged as a bilateral contact.")
    expect(kim.get_by_role("heading", level=1)).to_have_text(SUBJECT)

    # The commissioner finds it in the inbox and reads it.
    tenders_clock(T0 + timedelta(days=3, hours=2))
    ruth.get_by_role("navigation", name="Menu").get_by_role("link", name="Messages").click()
    expect(ruth.get_by_role("heading", level=1)).to_have_text("Messages")
    row = ruth.get_by_role("row", name=re.compile(SUBJECT))
    expect(row).to_contain_text(f"{AUTHORITY} and {PROVIDER}")
    expect(row).to_contain_text("None")
    _checked(ruth)
    row.get_by_role("link", name=SUBJECT).click()
    expect(ruth.get_by_role("heading", level=1)).to_have_text(SUBJECT)
    expect(ruth.locator("main")).to_contain_text("Kim Kestrel (Kestrel Lodge)")
    expect(ruth.locator("main")).to_contain_text("Could we show your team round our step-down home next month?")
    expect(ruth.locator("main")).to_contain_text("Not about a particular procurement")
    _checked(ruth)

    # The commissioner replies.
    ruth.get_by_label("Your message").fill("Yes please. We also want to ask about the **night staffing** plan.")
    ruth.get_by_role("button", name="Send message").click()
    _flash(ruth, "Message sent.")
    expect(ruth.locator("main strong", has_text="night staffing")).to_be_visible()
    _checked(ruth)

    # The reply touches on the open tender: marked as concerning it, the contact becomes one about it.
    ruth.get_by_label("Procurement this conversation concerns").select_option(
        label=f"{ready['reference']}: {ready['title']}")
    ruth.get_by_role("button", name="Mark as concerning this procurement").click()
    _flash(ruth, f"The conversation is marked as concerning {ready['reference']}")
    _flash(ruth, "bilateral contact about it, to resolve")
    expect(ruth.get_by_role("heading", name="Bilateral contacts")).to_be_visible()
    expect(ruth.locator("main")).to_contain_text(f"{AUTHORITY} has a procurement in engagement or tender")
    expect(ruth.locator("main")).to_contain_text(f"about {ready['reference']}, opened")
    _checked(ruth)
    ruth.get_by_role("link", name="Back to messages").click()
    ruth.get_by_role("link", name="Private contacts to resolve").click()
    expect(ruth.get_by_role("heading", level=1)).to_have_text("Private contacts to resolve")
    contact = ruth.get_by_role("row", name=re.compile(PROVIDER))
    expect(contact).to_contain_text(ready["reference"])
    expect(contact).to_contain_text("To resolve")
    _checked(ruth)

    # The provider sees the reply in the same conversation.
    kim.goto(live_server.url + "/messages")
    kim.get_by_role("link", name=SUBJECT).click()
    expect(kim.locator("main")).to_contain_text("Ruth Rivermouth (Rivermouth Children's Commissioning)")
    expect(kim.locator("main strong", has_text="night staffing")).to_be_visible()
    expect(kim.locator("main")).to_contain_text(ready["reference"])
    _checked(kim)
