"""An auditor, in a real browser, verifies the chain, reads a procurement's record, takes the open data, uses the
registers and the attention dashboard, and reads drafts through a personal API token."""
from __future__ import annotations

import json
import re
import time

import pyotp
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility

AUDITOR = "sam.patel@audit.example"


def _demo(live_server) -> None:
    from demo.load import DEMO_TOTP_SECRETS, load_demo

    live_server.do(load_demo)  # loads once; a second call does nothing
    return DEMO_TOTP_SECRETS[AUDITOR]


def test_auditor_verifies_reads_a_procurement_record_and_exports_ocds(page: Page, live_server):
    from demo.load import DEMO_PASSWORD

    secret = _demo(live_server)
    page.goto(live_server.url + "/sign-in")
    page.get_by_label("Email address").fill(AUDITOR)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # The demo set-up used the code of its own moment; an authenticator shows the next one.
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).at(time.time(), counter_offset=1))
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Audit trail").click()
    page.get_by_role("link", name="Verify the chain").click()
    page.get_by_role("button", name="Verify the whole chain now").click()
    expect(page.locator(".govuk-panel")).to_contain_text("The chain is intact")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Audit trail").click()
    page.get_by_role("link", name="Procurement records").click()
    check_accessibility(page)
    page.locator("table a").first.click()
    expect(page.locator("table")).to_contain_text("procurement.")  # its events, e.g. procurement.created
    expect(page.locator("table .cc-hash").first).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    check_accessibility(page)
    csv_link = page.get_by_role("link", name="Download these events as CSV").get_attribute("href")
    download = page.request.get(live_server.url + csv_link)
    assert download.ok and download.text().splitlines()[0].startswith("seq,")

    releases = page.request.get(live_server.url + "/api/v1/ocds/releases.json")
    package = json.loads(releases.body())
    assert package["releases"] and all(r["ocid"].startswith("ocds-commons-") for r in package["releases"])

    _registers_dashboard_and_a_personal_api_token(page, live_server)


def _registers_dashboard_and_a_personal_api_token(page: Page, live_server) -> None:
    """The same signed-in auditor (a TOTP code works once, so the journey signs in once)."""
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Registers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registers")
    check_accessibility(page)
    page.get_by_role("link", name="Bilateral contacts and their disclosures", exact=True).click()
    expect(page.locator("table")).to_contain_text("ledger.contact_disclosed")  # the demo's disclosed contact
    check_accessibility(page)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Registers").click()
    page.get_by_role("link", name="What needs attention now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs attention")
    expect(page.locator("main")).to_contain_text("Fellside Care Group")  # the demo's unresolved contact
    check_accessibility(page)

    page.goto(live_server.url + "/account/api-tokens")
    check_accessibility(page)
    page.get_by_label("Token name").fill("Quarterly spend report script")
    page.get_by_role("button", name="Create token").click()
    token = re.search(r"ccapi_[A-Za-z0-9_\-]+", page.locator("main").inner_text()).group(0)
    check_accessibility(page)
    drafts = page.request.get(live_server.url + "/api/v1/procurements?stage=planning",
                              headers={"Authorization": f"Bearer {token}"})
    assert drafts.ok and json.loads(drafts.body())["items"], "an auditor's token reads draft procurements"
    anonymous = page.request.get(live_server.url + "/api/v1/procurements?stage=planning")
    assert anonymous.ok and json.loads(anonymous.body())["items"] == []
