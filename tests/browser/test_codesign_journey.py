"""Co-design in a real browser (rule 3) and a private contact disclosed (rule 2).

A commissioner drafts a procurement and publishes its engagement notice; a
provider opens a co-design thread and proposes changes to two sections; the
commissioner accepts one and declines the other, each with a reason; the
provider sees the decisions; the provenance page credits the provider; the
commissioner records the mitigation note and attaches the engagement report.
Then a private message from the provider becomes a contact on the
commissioner's to-do list, is disclosed with a redaction, and shows on the
public page. axe-core checks every page on the way.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility, confirm_answers, make_organisation, make_person, sign_in

AUTHORITY = "Westmoor Children's Commissioning"
PROVIDER = "Kestrel Bay Homes"
COMMISSIONER = "casey.codesign@westmoor.example"
PROVIDER_EMAIL = "jordan.codesign@kestrelbay.example"

SPEC = """Children placed with us need a stable home close to their school and friends.

## Support for each child

Providers will help each child settle and thrive, from the child's own starting point.

## Working with families

Providers will keep children in touch with the people who matter to them.
"""


def _people(live_server) -> str | None:
    """The commissioner (with two-factor sign-in: returns the secret) and the provider."""
    authority = make_organisation(live_server, AUTHORITY, "commissioning_unit")
    provider = make_organisation(live_server, PROVIDER, "provider")
    secret = make_person(live_server, email=COMMISSIONER, full_name="Casey Westmoor", role="commissioner",
                         organisation_id=authority)
    make_person(live_server, email=PROVIDER_EMAIL, full_name="Jordan Kestrel", role="provider",
                organisation_id=provider)
    return secret


def _checked(page: Page) -> Page:
    check_accessibility(page)
    return page


def _draft_and_engage(c: Page) -> str:
    """Commissioner: new procurement, details, a sectioned specification with an outcome, engagement notice."""
    c.get_by_role("navigation", name="Menu").get_by_role("link", name="Tenders").click()
    c.get_by_role("link", name="Start a procurement").click()
    _checked(c)
    c.get_by_label("Title").fill("Homes for young people leaving hospital")
    c.get_by_label("Category").select_option(index=1)
    c.get_by_label("Region").select_option("South West")
    c.get_by_label("Subject-matter").fill("Small residential homes for up to 6 young people aged 13 to 17.")
    c.get_by_role("button", name="Create draft").click()
    expect(c.locator(".govuk-notification-banner")).to_contain_text("Draft")
    procurement_url = c.url
    _checked(c)

    c.get_by_role("link", name="Edit details, value and review clauses").click()
    _checked(c)
    c.get_by_label("Estimated value, including VAT (£)").fill("1,200,000")
    c.get_by_label("Contract type").select_option(index=1)
    c.get_by_label("Initial duration (months)").fill("36")
    c.get_by_label("Extension options (months, 0 if none)").fill("12")
    c.get_by_label("Review clauses").fill("Annual price review capped at CPI.")
    c.get_by_role("button", name="Save details").click()
    expect(c.locator(".govuk-notification-banner")).to_contain_text("Details saved")

    c.get_by_role("link", name="Write a new version of the specification").click()
    _checked(c)
    c.get_by_label("Specification", exact=True).fill(SPEC)
    c.locator("#outcomes-0-domain").select_option("stability")
    c.locator("#outcomes-0-description").fill("Children stay in one home for as long as they need it")
    c.locator("#outcomes-0-indicator").fill("Unplanned endings of placements in the year")
    c.locator("#outcomes-0-baseline_method").fill("Number of moves in the 12 months before placement")
    c.locator("#outcomes-0-target").fill("At least 69% remain in their first placement")
    c.locator("#outcomes-0-timescale").fill("12 months")
    c.locator("#outcomes-0-evidence_source").fill("Placement records and reviews")
    c.locator("#outcomes-0-payment_share").fill("20")
    c.get_by_role("button", name="Save as a new version").click()
    expect(c.locator(".govuk-notification-banner")).to_contain_text("Version 1 saved")
    _checked(c)

    c.goto(procurement_url)
    c.get_by_role("link", name="Publish the preliminary market engagement notice").click()
    _checked(c)
    closes = date.today() + timedelta(days=30)
    c.locator("#closes_on-day").fill(str(closes.day))
    c.locator("#closes_on-month").fill(str(closes.month))
    c.locator("#closes_on-year").fill(str(closes.year))
    c.get_by_role("button", name="Publish engagement notice").click()
    confirm_answers(c, "Publish engagement notice")
    expect(c.locator(".govuk-notification-banner")).to_contain_text("engagement notice is published")
    expect(c.locator("dl").first).to_contain_text("Preliminary market engagement")
    _checked(c)
    return procurement_url


def _propose(p: Page, section: str, text: str, why: str) -> None:
    p.get_by_role("link", name="Propose a change to the draft").click()
    p.get_by_label(section, exact=True).check()
    p.get_by_label("Proposed text for the section").fill(text)
    p.get_by_label("Why you propose it").fill(why)
    _checked(p)
    p.get_by_role("button", name="Make the proposal").click()
    expect(p.locator(".govuk-notification-banner")).to_contain_text("made")


def _decide(c: Page, section: str, choice: str, reason: str) -> None:
    c.get_by_role("link", name=re.compile(f"Proposal \\d+ on “{section}”")).click()
    _checked(c)
    c.get_by_role("radio", name=re.compile(f"{choice}:")).check()
    c.get_by_label("Reason for the decision").fill(reason)
    c.get_by_role("button", name="Record the decision").click()
    expect(c.locator(".govuk-notification-banner")).to_contain_text("The reason is published")
    _checked(c)


def test_codesign_decisions_provenance_and_a_disclosed_contact(live_server, new_context):
    secret = _people(live_server)
    c = new_context().new_page()
    p = new_context().new_page()
    public = new_context().new_page()
    sign_in(c, live_server, COMMISSIONER, secret)
    sign_in(p, live_server, PROVIDER_EMAIL)

    procurement_url = _draft_and_engage(c)

    # The provider opens a thread and proposes changes to two sections, seeing each difference.
    p.goto(procurement_url)
    _checked(p)
    p.get_by_role("link", name="Open a co-design thread").click()
    _checked(p)
    p.get_by_label("Thread title").fill("Keeping children close to school")
    p.get_by_label("First message").fill("We run two homes nearby and have ideas on support and family time.")
    p.get_by_role("button", name="Open the thread").click()
    expect(p.get_by_role("heading", level=1)).to_have_text("Keeping children close to school")
    thread_url = p.url
    _checked(p)
    _propose(p, "Support for each child",
             "Providers will help each child settle and thrive, with a key worker who stays with them.",
             "Children tell us one trusted adult makes the difference.")
    diff = p.locator(".cc-diff2").first
    expect(diff.locator("ins", has_text="a key worker who stays with them")).to_have_count(1)
    expect(diff.locator("del", has_text="from the child's own starting point")).to_have_count(1)
    _checked(p)
    _propose(p, "Working with families", "Providers will arrange weekly family visits at the home.",
             "Families asked for a fixed rhythm.")
    expect(p.locator(".cc-diff2").nth(1).locator("ins", has_text="weekly family visits")).to_have_count(1)

    # The commissioner accepts one proposal and declines the other, each with a reason.
    c.goto(thread_url)
    _checked(c)
    _decide(c, "Support for each child", "Accept", "A consistent key worker is what children asked for.")
    c.goto(thread_url)
    _decide(c, "Working with families", "Decline", "Contact is set by each child's care plan, not by the home.")

    # The provider sees both decisions and their reasons.
    p.goto(thread_url)
    expect(p.locator(".govuk-tag", has_text="Accepted")).to_be_visible()
    expect(p.locator(".govuk-tag", has_text="Declined")).to_be_visible()
    expect(p.get_by_text("A consistent key worker is what children asked for.")).to_be_visible()
    expect(p.get_by_text("Contact is set by each child's care plan, not by the home.")).to_be_visible()
    _checked(p)

    # Provenance: the accepted section is credited to the provider, the declined one stays the commissioner's.
    p.get_by_role("link", name="provenance").click()
    expect(p.get_by_role("heading", level=1)).to_have_text("Where the text of version 2 came from")
    support = p.get_by_role("row", name=re.compile("Support for each child"))
    expect(support).to_contain_text(f"Proposed by {PROVIDER} in the co-design thread “Keeping children close to "
                                    "school”")
    expect(support).to_contain_text("accepted by Casey Westmoor")
    expect(p.get_by_role("row", name=re.compile("Working with families"))).to_contain_text("Drafted by Casey Westmoor")
    _checked(p)

    # The commissioner sees what still blocks the tender, records the mitigation note, attaches the report.
    c.goto(procurement_url)
    manage = c.locator(".govuk-inset-text", has_text="Manage this procurement")
    expect(manage).to_contain_text(f"Record a mitigation note for the providers with prior involvement ({PROVIDER})")
    expect(manage).to_contain_text("Attach the engagement report for specification version 2")
    c.get_by_role("link", name="Prior-involvement mitigation note").click()
    _checked(c)
    c.get_by_label("What was shared with all providers").fill(
        "Every thread, proposal and decision is public; the draft was published to all providers.")
    c.get_by_label("Why the time limit for responses is adequate").fill(
        "Thirty days for responses gives every provider time to use what was shared.")
    c.get_by_role("button", name="Record the mitigation note").click()
    expect(c.locator(".govuk-notification-banner")).to_contain_text("Mitigation note 1 recorded")
    _checked(c)
    c.get_by_role("button", name="Attach the report to the tender documents").click()
    expect(c.locator(".govuk-notification-banner")).to_contain_text("added to the tender documents")
    expect(c.locator("main")).to_contain_text("This report is attached to the tender documents as")
    _checked(c)
    c.goto(procurement_url)
    expect(c.locator(".govuk-inset-text", has_text="Manage this procurement")).not_to_contain_text(
        "Record a mitigation note for the providers")
    expect(c.locator("#prior-involvement ~ ul").first).to_contain_text(PROVIDER)

    # A private message from the provider about the procurement.
    p.get_by_role("navigation", name="Menu").get_by_role("link", name="Messages").click()
    _checked(p)
    p.get_by_role("link", name="Start a conversation").click()
    _checked(p)
    p.get_by_label("Organisation to write to").select_option(label=AUTHORITY)
    about = p.get_by_label("About a procurement (optional)")
    about.select_option(about.locator("option", has_text="Homes for young people leaving hospital")
                        .get_attribute("value"))
    p.get_by_label("Subject").fill("Budget for the key worker")
    p.get_by_label("Message").fill("Could the budget stretch to a key worker? Our rate is £1,450 a week.")
    p.get_by_role("button", name="Send message").click()
    expect(p.locator(".govuk-notification-banner")).to_contain_text("logged as a bilateral contact")
    _checked(p)

    # The commissioner's to-do list shows the unresolved contact; the tender is blocked until it is resolved.
    c.goto(procurement_url)
    expect(c.locator(".govuk-inset-text", has_text="Manage this procurement")).to_contain_text(
        f"The private contact with {PROVIDER}")
    c.get_by_role("navigation", name="Menu").get_by_role("link", name="Messages").click()
    c.get_by_role("link", name="Private contacts to resolve").click()
    expect(c.get_by_role("heading", level=1)).to_have_text("Private contacts to resolve")
    row = c.get_by_role("row", name=re.compile(PROVIDER))
    expect(row).to_contain_text("To resolve")
    _checked(c)
    row.get_by_role("link", name=re.compile("Resolve")).click()
    expect(c.get_by_role("heading", level=1)).to_have_text(f"Private contact with {PROVIDER}")
    _checked(c)
    c.get_by_label("Summary of what was said (published to every participant)").fill(
        "The provider asked whether the budget allows a key worker for each child. It does: the "
        "specification now asks for one.")
    first = c.get_by_role("group", name="Redaction 1 (optional)")
    first.get_by_label("What was redacted").fill("The provider's weekly rate")
    first.get_by_label("Why").fill("Commercially confidential pricing")
    c.get_by_role("button", name="Disclose to every participant").click()
    expect(c.locator(".govuk-notification-banner")).to_be_visible()
    _checked(c)

    # The public procurement page shows the disclosure, the redaction and its reason, not the rate.
    public.set_default_timeout(15000)
    public.goto(procurement_url)
    disclosures = public.locator("#disclosures ~ div").first
    expect(public.get_by_role("heading", name="Disclosures of private contacts")).to_be_visible()
    expect(disclosures).to_contain_text(f"Contact with {PROVIDER}")
    expect(disclosures).to_contain_text("allows a key worker for each child")
    expect(disclosures).to_contain_text(
        "Redacted: The provider's weekly rate. Reason: Commercially confidential pricing")
    expect(public.locator("main")).not_to_contain_text("£1,450")
    expect(public.locator("#prior-involvement ~ ul").first).to_contain_text(PROVIDER)
    _checked(public)
