"""What a person sees and clicks: public visit, provider registration, commissioner 2FA, auditor verification."""
from __future__ import annotations

import re
import time

import pyotp
from playwright.sync_api import Page, expect
from sqlalchemy import select

from core.clock import utcnow
from tests.browser.conftest import check_accessibility


def _latest_link(live_server, email: str) -> str:
    from core.extensions import db
    from core.models import OutboxMessage

    def find():
        message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email)
                                     .order_by(OutboxMessage.id.desc())).first()
        return re.search(r"https?://\S+", message.body).group(0)

    return live_server.do(find)


def _make_person(live_server, email: str, role: str, org_kind: str, org_name: str) -> None:
    from accounts import services
    from accounts.models import Organisation

    def make():
        from core.extensions import db

        org = db.session.scalar(select(Organisation).where(Organisation.name == org_name)) or \
            services.create_organisation(services.NewOrganisation(name=org_name, kind=org_kind))
        user = services.register(full_name="Rowan Example", email=email, password="maple-orbit-lantern-47",
                                 organisation=org)
        user.email_confirmed_at = utcnow()
        user.role = role

    live_server.do(make)


def test_public_visitor_reads_the_home_page_and_organisations(page: Page, live_server):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Commission children")
    check_accessibility(page)
    page.get_by_role("link", name="Organisations").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registered organisations")
    check_accessibility(page)


def test_provider_registers_confirms_email_and_signs_in(page: Page, live_server):
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Register your organisation").click()
    check_accessibility(page)
    page.get_by_label("Full name").fill("Jordan Provider")
    page.get_by_label("Email address").fill("jordan@brightstart.example")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Confirm password").fill("short")
    page.get_by_label("Your organisation").select_option("new")
    page.get_by_label("Organisation name").fill("Brightstart Care")
    page.get_by_label("Provider organisation").check()
    page.get_by_label("Independent (private) provider").check()
    page.get_by_role("button", name="Register").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("at least 12 characters")
    expect(page.get_by_label("Email address")).to_have_value("jordan@brightstart.example")
    check_accessibility(page)
    page.get_by_label("Password", exact=True).fill("maple-orbit-lantern-47")
    page.get_by_label("Confirm password").fill("maple-orbit-lantern-47")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    page.goto(_latest_link(live_server, "jordan@brightstart.example"))
    page.get_by_role("button", name="Confirm my email address").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("your email address is confirmed")
    page.get_by_label("Email address").fill("jordan@brightstart.example")
    page.get_by_label("Password", exact=True).fill("maple-orbit-lantern-47")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your account").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Brightstart Care")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Provider")
    check_accessibility(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Sign in")).to_be_visible()


def test_commissioner_sets_up_two_factor_before_anything_else(page: Page, live_server):
    _make_person(live_server, "casey@northmere.example", "commissioner", "commissioning_unit", "Northmere Browser Unit")
    page.goto(live_server.url + "/sign-in")
    page.get_by_label("Email address").fill("casey@northmere.example")
    page.get_by_label("Password", exact=True).fill("maple-orbit-lantern-47")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    check_accessibility(page)
    page.goto(live_server.url + "/organisations")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    secret = page.locator("code.cc-hash").inner_text()
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Two-factor sign-in is set up")


def test_auditor_signs_in_with_a_code_and_verifies_the_chain(page: Page, live_server):
    _make_person(live_server, "sam@audit-browser.example", "auditor", "auditor_body", "Browser Audit Partnership")
    secret = pyotp.random_base32()

    def enable():
        from accounts import services
        from accounts.queries import user_by_email

        user = user_by_email("sam@audit-browser.example")
        services.enable_totp(user, secret, pyotp.TOTP(secret).now())

    live_server.do(enable)
    page.goto(live_server.url + "/sign-in")
    page.get_by_label("Email address").fill("sam@audit-browser.example")
    page.get_by_label("Password", exact=True).fill("maple-orbit-lantern-47")
    page.get_by_role("button", name="Sign in").click()
    # The set-up just used the current code; an authenticator shows the next one 30 seconds later.
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).at(time.time(), counter_offset=1))
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    expect(page.locator("table")).to_contain_text("account.created")
    check_accessibility(page)
    page.get_by_role("link", name="Verify the chain").click()
    page.get_by_role("button", name="Verify the whole chain now").click()
    expect(page.locator(".govuk-panel")).to_contain_text("The chain is intact")
    check_accessibility(page)
