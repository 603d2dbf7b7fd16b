"""Each role starts from "My work": the second commissioner reaches the opening from a notification; a new
provider sees why it cannot bid, the administrator verifies it from their work list, and it is told (in the
app and by email). axe-core checks every page on the way."""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.conftest import (
    check_accessibility,
    make_organisation,
    make_person,
    sign_in,
)
from tests.unit.tenders.builders import AFTER, T0

AUTHORITY = "Fernbrook Children's Commissioning"
DANA = "dana.work@fernbrook.example"
ELI = "eli.work@fernbrook.example"
BIDDER = "Larch Lane Homes"
FINN = "finn.work@larchlane.example"
NEWCOMER = "Hazel Row Care"
GRACE = "grace.work@hazelrow.example"
ADMIN = "admin.work@operator.example"
AUDITOR = "ivy.work@audit.example"


def _outbox(live_server, email: str) -> list[tuple[str, str]]:
    from core.extensions import db
    from core.models import OutboxMessage

    return live_server.do(lambda: [(m.subject, m.body) for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == email).order_by(OutboxMessage.id))])


def _menu(page: Page):
    return page.get_by_role("navigation", name="Menu")


def test_the_second_commissioner_opens_the_responses_from_a_notification(live_server, new_context,
                                                                          tenders_clock):
    authority = make_organisation(live_server, AUTHORITY, "commissioning_unit")
    bidder = make_organisation(live_server, BIDDER, "provider")
    make_person(live_server, email=DANA, full_name="Dana Fern", role="commissioner", organisation_id=authority)
    eli_secret = make_person(live_server, email=ELI, full_name="Eli Fern", role="commissioner",
                             organisation_id=authority)
    make_person(live_server, email=FINN, full_name="Finn Larch", role="provider", organisation_id=bidder)

    def build():
        from accounts.queries import user_by_email
        from tenders.services import responses
        from tests.unit.tenders.builders import in_tender, submit

        dana, eli = user_by_email(DANA), user_by_email(ELI)
        procurement = in_tender(SimpleNamespace(c1=dana, c2=eli))
        submit(None, procurement, user_by_email(FINN), 90_000_000, now=T0 + timedelta(days=1))
        responses.open_box(procurement, dana, now=AFTER)  # Dana asks; a second commissioner must confirm
        return procurement.id, procurement.reference

    procurement_id, reference = live_server.do(build)
    tenders_clock(AFTER)
    [(subject, body)] = [mail for mail in _outbox(live_server, ELI) if reference in mail[0]]
    assert "asked to open the responses" in subject and f"/tenders/{procurement_id}/open" in body

    eli = new_context().new_page()
    sign_in(eli, live_server, ELI, eli_secret)
    expect(eli.locator("main")).to_contain_text("Openings waiting for a second commissioner (1)")
    check_accessibility(eli)
    _menu(eli).get_by_role("link", name="Notifications (1 unread)").click()
    expect(eli.get_by_role("heading", level=1)).to_have_text("Notifications")
    check_accessibility(eli)
    eli.get_by_role("link", name=f"Dana Fern asked to open the responses to {reference}").click()
    expect(eli).to_have_url(f"{live_server.url}/tenders/{procurement_id}/open")
    expect(eli.locator("main")).to_contain_text("Dana Fern asked to open them")
    expect(_menu(eli).get_by_role("link", name="Notifications", exact=True)).to_be_visible()  # read now
    check_accessibility(eli)
    eli.get_by_role("button", name="Confirm the opening").click()
    expect(eli.locator(".govuk-notification-banner")).to_contain_text("The responses are open")
    _menu(eli).get_by_role("link", name="My work").click()
    expect(eli.locator("main")).not_to_contain_text("Openings waiting for a second commissioner")


def test_a_new_provider_is_told_why_it_cannot_bid_and_hears_when_it_is_verified(live_server, new_context):
    newcomer = make_organisation(live_server, NEWCOMER, "provider", verified=False)
    operator = make_organisation(live_server, "Work-list operations", "operator")
    make_person(live_server, email=GRACE, full_name="Grace Hazel", role="provider", organisation_id=newcomer)
    admin_secret = make_person(live_server, email=ADMIN, full_name="Ada Admin", role="admin",
                               organisation_id=operator)

    grace = new_context().new_page()
    sign_in(grace, live_server, GRACE)
    banner = grace.locator("#verification-banner")
    expect(banner).to_contain_text(f"{NEWCOMER} is waiting to be verified")
    expect(banner).to_contain_text("Ofsted unique reference number")
    expect(banner).to_contain_text("working day")
    check_accessibility(grace)

    admin = new_context().new_page()
    sign_in(admin, live_server, ADMIN, admin_secret)
    expect(admin.locator("main")).to_contain_text("Organisations to verify")
    check_accessibility(admin)
    admin.get_by_role("link", name=f"Check and verify {NEWCOMER}").click()
    admin.get_by_label("Ofsted URN").fill("SC765432")
    admin.get_by_label("How you checked").fill("Checked the Ofsted register")
    admin.get_by_role("button", name="Verify organisation").click()
    _menu(admin).get_by_role("link", name="My work").click()
    expect(admin.locator("main")).not_to_contain_text(f"Check and verify {NEWCOMER}")

    assert any(f"{NEWCOMER} is verified" in subject for subject, _ in _outbox(live_server, GRACE))
    grace.reload()
    expect(grace.locator("#verification-banner")).to_have_count(0)
    _menu(grace).get_by_role("link", name="Notifications (1 unread)").click()
    grace.get_by_role("link", name=f"{NEWCOMER} is verified: you can now respond to open tenders").click()
    expect(grace.get_by_role("heading", level=1)).to_contain_text(NEWCOMER)
    check_accessibility(grace)


def test_an_auditor_starts_from_the_attention_items_and_latest_records(live_server, new_context):
    body = make_organisation(live_server, "Work-list audit body", "auditor_body")
    secret = make_person(live_server, email=AUDITOR, full_name="Ivy Audit", role="auditor", organisation_id=body)
    page = new_context().new_page()
    sign_in(page, live_server, AUDITOR, secret)
    expect(page.locator("main")).to_contain_text("Latest records (")
    check_accessibility(page)
    page.locator('main a[href^="/audit/"]').first.click()  # the latest record, on the trail
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "/audit/" in page.url
    check_accessibility(page)
