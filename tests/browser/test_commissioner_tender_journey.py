"""A commissioner's full tender in a real browser, from engagement to the award notice.

The procurement is drafted and put into engagement through the services (a
provider took part in co-design there). In the browser: the publish page lists
what blocks the tender; the commissioner declares, records the conflicts
assessment and the mitigation note, and publishes; a provider asks a
clarification and gets it answered, submits a sealed response and keeps the
receipt, then replaces it before the deadline (a new receipt with a new hash;
the first receipt now says superseded, and only one response of its counts at
the opening); after the deadline two commissioners open the box, declare at the
evaluation stage, are assigned, score and submit; the moderator records the
consensus; the commissioner decides the award; the public sees the notice and
the provider its assessment summary. axe-core checks every page on the way.

Time: the tenders clock (core.clock) is frozen through `tenders_clock`; the
live server runs in this process, so it reads the same frozen time.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from types import SimpleNamespace

from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility, confirm_answers, make_organisation, make_person, sign_in
from tests.unit.tenders.builders import AFTER, CLARIFY_BY, DEADLINE, T0

AUTHORITY = "Eastbrook Children's Commissioning"
BIDDER = "Alder House Care"          # bids in the browser
RIVAL = "Birchwood Homes"           # bids through the services, and took part in co-design
CASEY = "casey.tender@eastbrook.example"
CHRIS = "chris.tender@eastbrook.example"
ALEX = "alex.tender@alderhouse.example"


def _prepare(live_server) -> dict:
    """People, and a procurement in engagement in which the rival provider opened a co-design thread."""
    authority = make_organisation(live_server, AUTHORITY, "commissioning_unit")
    bidder = make_organisation(live_server, BIDDER, "provider")
    rival = make_organisation(live_server, RIVAL, "provider")
    secrets = {
        CASEY: make_person(live_server, email=CASEY, full_name="Casey Eastbrook", role="commissioner",
                           organisation_id=authority),
        CHRIS: make_person(live_server, email=CHRIS, full_name="Chris Eastbrook", role="commissioner",
                           organisation_id=authority),
    }
    make_person(live_server, email=ALEX, full_name="Alex Alder", role="provider", organisation_id=bidder)
    make_person(live_server, email="robin.tender@birchwood.example", full_name="Robin Birch", role="provider",
                organisation_id=rival)

    def build():
        from accounts.queries import user_by_email
        from tenders.services import codesign
        from tests.unit.tenders.builders import in_engagement

        procurement = in_engagement(SimpleNamespace(c1=user_by_email(CASEY)))
        codesign.open_thread(procurement, user_by_email("robin.tender@birchwood.example"),
                             title="Support at night", message_md="Waking night staff suit this cohort.",
                             now=T0 - timedelta(days=10))
        return procurement.id

    procurement_id = live_server.do(build)
    return {"secrets": secrets, "url": f"{live_server.url}/tenders/{procurement_id}", "id": procurement_id}


def _rival_bids(live_server, procurement_id: int) -> None:
    def bid():
        from accounts.queries import user_by_email
        from core.extensions import db
        from tenders.models import Procurement
        from tests.unit.tenders.builders import submit

        submit(None, db.session.get(Procurement, procurement_id), user_by_email("robin.tender@birchwood.example"),
               100_000_000, now=T0 + timedelta(days=2))

    live_server.do(bid)


def _checked(page: Page) -> Page:
    check_accessibility(page)
    return page


def _flash(page: Page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner").first).to_contain_text(text)


def _fill_date(page: Page, field: str, moment: datetime) -> None:
    page.locator(f"#{field}-day").fill(str(moment.day))
    page.locator(f"#{field}-month").fill(str(moment.month))
    page.locator(f"#{field}-year").fill(str(moment.year))


def _receipt_row(page: Page, key: str):
    """The value beside `key` in the receipt's summary list."""
    return page.locator(".govuk-summary-list__row", has=page.locator("dt", has_text=key)).locator("dd")


def _manage_box(page: Page):
    return page.locator(".govuk-inset-text", has_text="Manage this procurement")


def _declare_none(page: Page, url: str, stage: str) -> None:
    page.goto(url)
    _manage_box(page).get_by_role("link", name="Declarations of interest and conflicts assessment").click()
    expect(page.locator("main")).to_contain_text(f"You have no declaration at the current stage (“{stage}”)")
    _checked(page)
    page.get_by_label("I have no interest to declare in this procurement").check()
    page.get_by_role("button", name="Make this declaration").click()
    expect(page.locator("main")).to_contain_text(f"You have declared at the current stage (“{stage}”)")


def _score(page: Page, url: str, marks: dict[str, int], *, unseen: str = "") -> None:
    """Score each response (by provider name) on both quality criteria, then submit. Until then the
    other evaluator (`unseen`) has no score on this page."""
    page.goto(url + "/evaluation")
    for provider, mark in marks.items():
        page.get_by_role("link", name=f"Score the response from {provider}").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Score the response from {provider}")
        _checked(page)
        for criterion in ("Outcomes and approach", "Partnership working"):
            page.get_by_label(re.compile(f"{criterion} \\(weight \\d+\\): score from 0 to 5")).fill(str(mark))
            page.get_by_label(f"Why you gave this score for {criterion}").fill(f"Evidence for {criterion.lower()}")
        page.get_by_role("button", name="Save my scores").click()
        _flash(page, "Your scores for this response are saved")
    if unseen:
        expect(page.get_by_role("table").first).to_contain_text("Your scores so far")
        expect(page.get_by_role("table").first).not_to_contain_text(unseen)
    page.get_by_role("button", name="Check and submit my scores").click()
    confirm_answers(page, "Submit my scores")
    _flash(page, "Your scores are submitted")
    _checked(page)


def test_commissioner_runs_a_tender_from_engagement_to_award(live_server, new_context, tenders_clock):
    ready = _prepare(live_server)
    url, secrets = ready["url"], ready["secrets"]
    casey, chris, alex, public = (new_context().new_page() for _ in range(4))
    tenders_clock(T0)
    sign_in(casey, live_server, CASEY, secrets[CASEY])
    sign_in(chris, live_server, CHRIS, secrets[CHRIS])
    sign_in(alex, live_server, ALEX)

    # The publish page lists what blocks the tender.
    casey.goto(url)
    _checked(casey)
    _manage_box(casey).get_by_role("link", name="Publish the tender notice").click()
    blocking = casey.locator("main ul.govuk-list--bullet")
    expect(blocking).to_contain_text("Declarations of interest are missing at the “Preliminary market engagement” "
                                     "stage from Casey Eastbrook")
    expect(blocking).to_contain_text("Record the conflicts assessment on the declarations page")
    expect(blocking).to_contain_text(f"Record a mitigation note for the providers with prior involvement ({RIVAL})")
    _checked(casey)

    # Declaration, conflicts assessment and mitigation note.
    _declare_none(casey, url, "Preliminary market engagement")
    casey.get_by_role("link", name="Record a new version of the assessment").click()
    _checked(casey)
    casey.get_by_label("Statement that no conflicts of interest were identified (and how you checked)").fill(
        "Casey Eastbrook declared no interest; the team checked the register of interests.")
    casey.get_by_role("button", name="Record this version of the assessment").click()
    expect(casey.locator("main")).to_contain_text("Version 1, recorded by Casey Eastbrook")
    _checked(casey)
    casey.goto(url)
    _manage_box(casey).get_by_role("link", name="Prior-involvement mitigation note").click()
    casey.get_by_label("What was shared with all providers").fill("The co-design thread is public to everyone.")
    casey.get_by_label("Why the time limit for responses is adequate").fill("Twenty days is ample for this service.")
    casey.get_by_role("button", name="Record the mitigation note").click()
    _flash(casey, "Mitigation note 1 recorded")

    # Nothing blocks now: publish, with the deadlines.
    casey.goto(url + "/publish")
    expect(casey.locator("main")).not_to_contain_text("Not ready yet")
    _fill_date(casey, "clarification_day", CLARIFY_BY)
    casey.get_by_label("Time clarifications close").fill(CLARIFY_BY.strftime("%H:%M"))
    _fill_date(casey, "response_day", DEADLINE)
    casey.get_by_label("Time responses are due").fill(DEADLINE.strftime("%H:%M"))
    casey.get_by_role("button", name="Publish tender notice").click()
    confirm_answers(casey, "Publish tender notice")
    _flash(casey, "The tender notice is published")
    expect(casey.locator("dl").first).to_contain_text("Tender open")
    _checked(casey)

    # A provider asks a clarification; the commissioner answers it for everyone.
    alex.goto(url)
    _checked(alex)
    alex.get_by_role("link", name="Ask a clarification question").click()
    alex.get_by_label("Your question").fill("Can homes be shared with another authority's placements?")
    alex.get_by_role("button", name="Send question").click()
    _flash(alex, "Question sent")
    _checked(alex)
    casey.goto(url + "/clarifications")
    casey.get_by_role("link", name=re.compile("^Answer ")).click()
    _checked(casey)
    casey.get_by_label("Answer (published to everyone)").fill("Yes, if each child's placement plan allows it.")
    casey.get_by_role("button", name="Publish answer").click()
    _flash(casey, "Answer published")
    alex.goto(url)
    expect(alex.locator("#clarifications ~ div").first).to_contain_text(
        "Yes, if each child's placement plan allows it.")

    # The provider submits a sealed response and keeps the receipt.
    tenders_clock(T0 + timedelta(days=1))
    alex.get_by_role("link", name="Submit a response").click()
    _checked(alex)
    alex.get_by_label("Method statement").fill("Two four-bed homes, each with a registered manager on site.")
    alex.get_by_label(re.compile("^Outcome 1 ")).fill("We commit to 70% staying in their first placement.")
    alex.get_by_label(re.compile("^Outcome 2 ")).fill("We commit to attendance above 90% by the second term.")
    for criterion in ("Outcomes and approach", "Partnership working"):
        alex.get_by_label(re.compile(f"^{criterion} \\(weight")).fill(f"On {criterion.lower()}: key workers who stay.")
    alex.get_by_label("Price, including VAT (£)").fill("1,100,000")
    alex.get_by_role("button", name="Seal and submit response").click()
    expect(alex.get_by_role("heading", level=1)).to_have_text("Receipt for your sealed response")
    expect(alex.locator("dl code")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    expect(_receipt_row(alex, "Received (UK time)")).to_have_text("3 March 2026, 9am (exactly 2026-03-03 09:00:00 UTC)")
    expect(_receipt_row(alex, "Status")).to_have_text("Submitted")
    _checked(alex)
    first_receipt, first_hash = alex.url, alex.locator("dl code").inner_text()
    _rival_bids(live_server, ready["id"])

    # Before the deadline the provider replaces it: a new receipt with a new hash; the first says superseded.
    tenders_clock(T0 + timedelta(days=4, hours=6, minutes=30))
    alex.get_by_role("link", name="Back to the procurement").click()
    own = alex.locator("#your-response")
    expect(own).to_contain_text("Sealed response submitted 3 March 2026, 9am")
    own.get_by_role("link", name="Replace my response").click()
    expect(alex.locator("main")).to_contain_text("Submitting again replaces your response of 3 March 2026, 9am.")
    _checked(alex)
    alex.get_by_label("Method statement").fill("Two four-bed homes, a registered manager on site, and a "
                                               "clinical psychologist shared between them.")
    alex.get_by_label(re.compile("^Outcome 1 ")).fill("We commit to 72% staying in their first placement.")
    alex.get_by_label(re.compile("^Outcome 2 ")).fill("We commit to attendance above 90% by the second term.")
    for criterion in ("Outcomes and approach", "Partnership working"):
        alex.get_by_label(re.compile(f"^{criterion} \\(weight")).fill(f"On {criterion.lower()}: key workers who stay.")
    alex.get_by_label("Price, including VAT (£)").fill("1,080,000")
    alex.get_by_role("button", name="Seal and submit response").click()
    expect(alex.get_by_role("heading", level=1)).to_have_text("Receipt for your sealed response")
    expect(alex.locator("dl code")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    second_hash = alex.locator("dl code").inner_text()
    assert second_hash != first_hash
    assert alex.url != first_receipt
    expect(_receipt_row(alex, "Received (UK time)")).to_have_text(
        "6 March 2026, 3:30pm (exactly 2026-03-06 15:30:00 UTC)"
    )
    expect(_receipt_row(alex, "Status")).to_have_text("Submitted")
    _checked(alex)
    alex.goto(first_receipt)
    expect(alex.locator("dl code")).to_have_text(first_hash)
    expect(_receipt_row(alex, "Status")).to_have_text("Superseded")
    _checked(alex)
    alex.goto(url)
    expect(alex.locator("#your-response")).to_contain_text("Sealed response submitted 6 March 2026, 3:30pm")

    # Casey declares at the tender stage; before the deadline the box stays shut.
    _declare_none(casey, url, "Tender open")
    casey.goto(url + "/open")
    expect(casey.locator(".govuk-inset-text")).to_contain_text("The responses stay sealed until the deadline")
    expect(casey.get_by_role("button", name="Ask to open the responses")).to_have_count(0)
    _checked(casey)

    # After the deadline, two commissioners (each declared at the tender stage) open the box.
    tenders_clock(AFTER)
    casey.goto(url + "/open")
    # Nothing says whether anyone responded, or how many, until the opening.
    expect(casey.locator("main")).not_to_contain_text("sealed responses.")
    _checked(casey)
    casey.get_by_role("button", name="Ask to open the responses").click()
    _flash(casey, "A different commissioner must now confirm")
    _declare_none(chris, url, "Tender open")
    chris.goto(url + "/open")
    expect(chris.locator("main")).to_contain_text("Casey Eastbrook asked to open them")
    chris.get_by_role("button", name="Confirm the opening").click()
    _flash(chris, "The responses are open")
    _checked(chris)

    # Each declares at the evaluation stage; Casey assigns herself as moderator and Chris as evaluator.
    _declare_none(casey, url, "Evaluation")
    _declare_none(chris, url, "Evaluation")
    casey.goto(url + "/evaluation")
    _checked(casey)
    casey.get_by_label("Commissioner").select_option(label="Casey Eastbrook")
    casey.get_by_label("Moderator (records the consensus scores)").check()
    casey.get_by_role("button", name="Assign evaluator").click()
    _flash(casey, "Casey Eastbrook is an evaluator")
    casey.get_by_label("Commissioner").select_option(label="Chris Eastbrook")
    casey.get_by_role("button", name="Assign evaluator").click()
    _flash(casey, "Chris Eastbrook is an evaluator")
    expect(casey.locator("main ul.govuk-list").first).to_contain_text("Casey Eastbrook (moderator)")

    # Both score independently and submit; the rival is the stronger on quality.
    _score(casey, url, {BIDDER: 3, RIVAL: 4})
    _score(chris, url, {BIDDER: 3, RIVAL: 5}, unseen="Casey Eastbrook")
    expect(chris.get_by_role("table").first).to_contain_text("All evaluators’ scores")
    expect(chris.get_by_role("table").first).to_contain_text("Casey Eastbrook")

    # The moderator records the consensus for every response and quality criterion.
    casey.goto(url + "/evaluation")
    consensus = {BIDDER: 3, RIVAL: 5}
    for provider, mark in consensus.items():
        for criterion in ("Outcomes and approach", "Partnership working"):
            casey.get_by_role("link", name=f"Record consensus for {provider}, {criterion}").click()
            _checked(casey)
            casey.get_by_label("Consensus score").fill(str(mark))
            casey.get_by_label("Rationale").fill(f"Agreed: the evidence on {criterion.lower()} merits {mark}.")
            casey.get_by_role("button", name="Record consensus").click()
            _flash(casey, "Consensus score recorded")
    ranking = casey.get_by_role("table").last
    expect(ranking.get_by_role("row").nth(1)).to_contain_text(RIVAL)
    expect(ranking).not_to_contain_text("incomplete")
    _checked(casey)

    # The award decision.
    casey.get_by_role("link", name="Go to the award decision").click()
    _checked(casey)
    casey.get_by_label(re.compile(f"{RIVAL}: .* \\(rank 1\\)")).check()
    casey.get_by_label("Reasons for the decision (published)").fill(
        "Birchwood Homes scored highest on outcomes and partnership and offered the lower price.")
    casey.get_by_role("button", name="Publish the contract award notice").click()
    confirm_answers(casey, "Publish the contract award notice")
    _flash(casey, "The contract award notice (UK6) is published")

    # The public sees the award notice.
    public.set_default_timeout(15000)
    public.goto(url)
    notice = public.locator("#award ~ p").first
    expect(notice).to_contain_text(f"The contract is to be awarded to {RIVAL}")
    expect(public.locator("main")).to_contain_text("scored highest on outcomes and partnership")
    expect(public.locator("main")).to_contain_text("Standstill period: 8 working days")
    expect(public.locator("main")).not_to_contain_text("Your organisation's assessment summary")
    _checked(public)

    # The unsuccessful provider sees its own scores beside the winner's, with the reasons.
    alex.goto(url)
    alex.get_by_role("link", name="Your organisation's assessment summary").click()
    expect(alex.get_by_role("heading", level=1)).to_have_text("Assessment summary")
    rows = alex.get_by_role("table")
    expect(rows.get_by_role("row", name=re.compile("^Outcomes and approach"))).to_contain_text(
        "Agreed: the evidence on outcomes and approach merits 3.")
    expect(rows.get_by_role("row", name=re.compile("^Outcomes and approach"))).to_contain_text(
        "Agreed: the evidence on outcomes and approach merits 5.")
    expect(rows.get_by_role("row", name=re.compile("^Total"))).to_contain_text("(rank 2)")
    expect(alex.locator("main")).to_contain_text("offered the lower price")
    _checked(alex)
