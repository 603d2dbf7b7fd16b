"""After the award, in a real browser: standstill, the contract, and spin-offs decided on the lawful-route check.

An awarded procurement is built through the services (a £500,000 service
with no review clauses, so neither light touch nor Schedule 8 paragraph 1
opens a route). In the browser: the public award notice shows when standstill
ends; the commissioner cannot enter into the contract before then, and can
the day after; the public sees the contract. The winning provider proposes two
spin-offs; the commissioner reads the lawful-route check (figures, the rule
and its source, the notices, the "not legal advice" note), answers its
questions and accepts the one under 10%; the one over 10% is refused on
accept with the check's reason, and is then declined with a published reason.
The public modification register shows the accepted one only. axe-core checks
every page on the way.

Time: the tenders clock (core.clock) is frozen through `tenders_clock`.
"""
from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from types import SimpleNamespace

from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility, confirm_answers, make_organisation, make_person, sign_in
from tests.unit.tenders.builders import AFTER, CLARIFY_BY, DEADLINE, T0

AUTHORITY = "Westmere Children's Commissioning"
WINNER = "Hollybank Homes"
RUNNER_UP = "Juniper Care"
DANA = "dana.contract@westmere.example"
ELI = "eli.contract@westmere.example"
SAM = "sam.contract@hollybank.example"
JO = "jo.contract@juniper.example"
SMALL = "Weekend family time at the home"      # £30,000: 6.25% of £480,000
LARGE = "A third home for sibling groups"     # £96,000: 20% of £480,000


def _awarded(live_server) -> dict:
    """People, and a procurement awarded to Hollybank Homes (£480,000) through the services."""
    authority = make_organisation(live_server, AUTHORITY, "commissioning_unit")
    winner = make_organisation(live_server, WINNER, "provider")
    runner_up = make_organisation(live_server, RUNNER_UP, "provider")
    secrets = {
        DANA: make_person(live_server, email=DANA, full_name="Dana Westmere", role="commissioner",
                          organisation_id=authority),
        ELI: make_person(live_server, email=ELI, full_name="Eli Westmere", role="commissioner",
                         organisation_id=authority),
    }
    make_person(live_server, email=SAM, full_name="Sam Holly", role="provider", organisation_id=winner)
    make_person(live_server, email=JO, full_name="Jo Juniper", role="provider", organisation_id=runner_up)

    def build():
        from accounts.queries import user_by_email
        from tenders.services import evaluation, procurements, responses
        from tenders.services.procurements import Details
        from tests.unit.tenders.builders import clear_conflicts, declare_none, draft, submit

        world = SimpleNamespace(c1=user_by_email(DANA), c2=user_by_email(ELI), p1=user_by_email(SAM),
                                p2=user_by_email(JO))
        drafted = T0 - timedelta(days=30)
        p = draft(world, value_pence=50_000_000, now=drafted)
        procurements.update_details(p, world.c1, Details(
            title="Short breaks for disabled children", category="childrens_homes", region="North West",
            subject_md=p.subject_md, estimated_value_pence=50_000_000, contract_type="block", duration_months=36,
            extension_months=0, review_clauses_md=""), now=drafted)
        procurements.publish_engagement_notice(p, world.c1, closes_on=(T0 - timedelta(days=5)).date(),
                                               now=T0 - timedelta(days=20))
        clear_conflicts(world, p)
        procurements.publish_tender(p, world.c1, clarification_deadline=CLARIFY_BY, response_deadline=DEADLINE,
                                    now=T0)
        declare_none(p, world.c1, world.c2, now=T0)
        submit(world, p, world.p1, 48_000_000)
        submit(world, p, world.p2, 46_000_000)
        responses.open_box(p, world.c1, now=AFTER)
        responses.open_box(p, world.c2, now=AFTER)
        declare_none(p, world.c1, world.c2, now=AFTER)
        evaluation.assign_evaluator(p, world.c1, world.c1, is_moderator=True, now=AFTER)
        evaluation.assign_evaluator(p, world.c1, world.c2, is_moderator=False, now=AFTER)
        marks = {r.id: 5 if r.provider_org_id == winner else 2 for r in responses.responses_for(p)}
        for evaluator in (world.c1, world.c2):
            for r in responses.responses_for(p):
                evaluation.record_scores(p, evaluator, r, {c.id: (marks[r.id], "Clear evidence")
                                                           for c in evaluation.quality_criteria(p)}, now=AFTER)
            evaluation.submit_scores(p, evaluator, now=AFTER)
        for r in responses.responses_for(p):
            for c in evaluation.quality_criteria(p):
                evaluation.record_consensus(p, world.c1, r, c, score=marks[r.id], rationale="Agreed", now=AFTER)
        top = evaluation.ranking(p)[0].response
        award = evaluation.decide_award(p, world.c1, top, reasons_md="Hollybank Homes scored highest on quality.",
                                        standstill_applies=True, now=AFTER)
        return p.id, award.standstill_ends_on

    procurement_id, standstill_ends_on = live_server.do(build)
    return {"secrets": secrets, "url": f"{live_server.url}/tenders/{procurement_id}",
            "standstill_ends_on": standstill_ends_on}


def _checked(page: Page) -> Page:
    check_accessibility(page)
    return page


def _flash(page: Page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner").first).to_contain_text(text)


def _row(page: Page, key: str):
    """The value beside `key` in a summary list on the page."""
    key_cell = page.locator("dt", has_text=re.compile(f"^{re.escape(key)}$"))
    return page.locator(".govuk-summary-list__row", has=key_cell).locator("dd").first


def _answer(page: Page, question: str, answer: str) -> None:
    page.get_by_role("group", name=re.compile(re.escape(question))).get_by_label(answer, exact=True).check()


def _propose(page: Page, url: str, title: str, price: str, months: str) -> None:
    page.goto(url)
    page.locator("#contract ~ ul").get_by_role("link", name="Propose a spin-off on this contract").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose a spin-off on this contract")
    _checked(page)
    page.get_by_label("Title").fill(title)
    page.get_by_label("What the spin-off service is").fill(f"{title}, for the children already placed with us.")
    page.get_by_label("Outcomes evidence it builds on").fill("Nine in ten children stayed in their first home.")
    page.get_by_label("Price, including VAT (£)").fill(price)
    page.get_by_label("Duration (months)").fill(months)
    page.get_by_role("button", name="Propose the spin-off").click()
    _flash(page, "Your spin-off proposal is with the commissioners")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Spin-off proposal: {title}")
    expect(_row(page, "Status")).to_have_text("Proposed: awaiting the commissioner's decision")
    _checked(page)


def _open_decision(page: Page, url: str, title: str) -> None:
    page.goto(url)
    page.locator(".govuk-inset-text", has_text="Manage this procurement").get_by_role(
        "link", name=re.compile("^Spin-off proposals on the contract")).click()
    page.locator("#spinoffs ~ table").get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Spin-off proposal: {title}")
    _checked(page)
    page.get_by_role("link", name="Decide this proposal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Decide the spin-off “{title}”")


NATURE = "Would the spin-off change the overall nature of the contract?"
UNFORESEEABLE = "Does it arise from circumstances that could not reasonably have been foreseen"
SAME_PROVIDER = "Can the additional services only practically come from this provider?"
NOT_ADVICE = "Decision support, not legal advice"


def test_standstill_contract_and_spinoffs_decided_on_the_lawful_route_check(live_server, new_context, tenders_clock):
    ready = _awarded(live_server)
    url, secrets, ends = ready["url"], ready["secrets"], ready["standstill_ends_on"]
    ends_text = f"{ends.day} {ends:%B %Y}"
    dana, sam, public = (new_context().new_page() for _ in range(3))
    public.set_default_timeout(15000)
    tenders_clock(AFTER + timedelta(days=1))
    sign_in(dana, live_server, DANA, secrets[DANA])
    sign_in(sam, live_server, SAM)

    # The public award notice says when standstill ends; there is no contract yet.
    public.goto(url)
    expect(public.locator("#award ~ p").first).to_contain_text(f"The contract is to be awarded to {WINNER}")
    expect(public.locator("main")).to_contain_text(
        f"Standstill period: 8 working days, ending at midnight (UK time) at the end of {ends_text}; the contract "
        f"may be entered into from {(ends + timedelta(days=1)).day} {ends + timedelta(days=1):%B %Y}.")
    expect(public.locator("#contract")).to_have_count(0)
    _checked(public)

    # During standstill the commissioner cannot enter into the contract.
    dana.goto(url)
    dana.locator(".govuk-inset-text", has_text="Manage this procurement").get_by_role(
        "link", name="Enter into the contract").click()
    expect(dana.get_by_role("heading", level=1)).to_have_text("Enter into the contract")
    expect(dana.locator("main")).to_contain_text(f"Standstill ends at midnight (UK time) at the end of {ends_text}.")
    _checked(dana)
    today = (AFTER + timedelta(days=1)).date()
    for part, value in (("day", today.day), ("month", today.month), ("year", today.year)):
        dana.locator(f"#starts_on-{part}").fill(str(value))
    dana.get_by_role("button", name="Enter into the contract").click()
    expect(dana.locator(".govuk-error-summary")).to_contain_text(
        f"The standstill period runs until the end of {ends:%-d %B %Y}: the contract cannot be entered into yet")
    _checked(dana)

    # The day after standstill ends, it can.
    after_standstill = datetime.combine(ends + timedelta(days=1), time(9, 0))
    tenders_clock(after_standstill)
    starts = after_standstill.date() + timedelta(days=7)
    dana.goto(url + "/contract")
    for part, value in (("day", starts.day), ("month", starts.month), ("year", starts.year)):
        dana.locator(f"#starts_on-{part}").fill(str(value))
    dana.get_by_role("button", name="Enter into the contract").click()
    _flash(dana, "The contract record is created")
    ends_on = starts.replace(year=starts.year + 3) - timedelta(days=1)
    term = f"{starts.day} {starts:%B %Y} to {ends_on.day} {ends_on:%B %Y}"

    # The public page shows the contract.
    public.goto(url)
    expect(public.get_by_role("heading", name="Contract", exact=True)).to_be_visible()
    expect(_row(public, "Provider")).to_have_text(WINNER)
    expect(_row(public, "Value (incl. VAT)")).to_have_text("£480,000.00")
    expect(_row(public, "Term")).to_have_text(term)
    expect(public.locator("main")).to_contain_text("No spin-off proposals have been decided on this contract.")
    expect(public.locator("main")).not_to_contain_text("Propose a spin-off")
    _checked(public)

    # The provider proposes two spin-offs on its running contract.
    _propose(sam, url, SMALL, "30,000", "12")
    expect(sam.locator("main")).to_contain_text("Route: Below-threshold modification")
    _propose(sam, url, LARGE, "96,000", "24")
    expect(sam.locator("main")).to_contain_text("Route: A new procurement is needed")

    # The commissioner opens the small one and reads the check: figures, rule, source, notices, the note.
    _open_decision(dana, url, SMALL)
    check = dana.locator("main")
    expect(_row(dana, "Original contract value (incl. VAT)")).to_have_text("£480,000.00")
    expect(_row(dana, "This spin-off")).to_have_text("£30,000.00 (6.25% of the original value)")
    expect(_row(dana, "10% of the original value")).to_have_text("£48,000.00")
    # The contract's legal start (February 2026) is after the 1 January 2026 thresholds came in.
    expect(_row(dana, "Threshold used")).to_have_text("£207,720.00")
    expect(check).to_contain_text("Route: Below-threshold modification")
    expect(check).to_contain_text("Source: Procurement Act 2023 s.74(1)(c) and s.74(4). "
                                  "Framework: Procurement Act 2023.")
    expect(check).to_contain_text(
        "6.25% of the original value £480,000.00 (the limit for services is not more than 10%, "
        "so exactly 10% is within)"
    )
    expect(check).to_contain_text("Contract change notice (UK10): not required.")
    expect(check).to_contain_text(NOT_ADVICE)
    _checked(dana)

    # Its answers change the check: "changes the overall nature" closes every route; "No" reopens it.
    _answer(dana, NATURE, "Yes")
    dana.get_by_role("button", name="Update the check").click()
    expect(check).to_contain_text("Route: A new procurement is needed")
    expect(check).to_contain_text("The spin-off changes the overall nature of the contract")
    expect(_row(dana, "Changes the overall nature (answer)")).to_have_text("Yes")
    _checked(dana)
    _answer(dana, NATURE, "No")
    _answer(dana, UNFORESEEABLE, "No")
    _answer(dana, SAME_PROVIDER, "No")
    dana.get_by_role("button", name="Update the check").click()
    expect(check).to_contain_text("Route: Below-threshold modification")
    dana.get_by_label("Accept it as a modification of the contract").check()
    dana.get_by_label("Reason (published)").fill("It builds on the home's results and stays well under 10%.")
    dana.get_by_role("button", name="Record the decision").click()
    confirm_answers(dana, "Record the decision")
    _flash(dana, "The spin-off is accepted: the contract's value and its modification register are updated.")
    expect(_row(dana, "Status")).to_have_text("Accepted as a contract modification")
    expect(dana.locator("main")).to_contain_text("Reason: It builds on the home's results and stays well under 10%.")
    expect(dana.locator("main")).to_contain_text("The lawful-route check, as shown at the decision")
    _checked(dana)

    # The large one: accept is refused with the check's reason, and what was typed is kept.
    _open_decision(dana, url, LARGE)
    expect(_row(dana, "Modifications already accepted")).to_have_text("£30,000.00")
    expect(_row(dana, "All modifications with this one")).to_have_text("£126,000.00 (26.25% of the original value)")
    expect(check).to_contain_text("Route: A new procurement is needed")
    expect(check).to_contain_text("None: no modification can be made, so no modification notice follows.")
    expect(check).to_contain_text(NOT_ADVICE)
    _checked(dana)
    dana.get_by_label("Accept it as a modification of the contract").check()
    dana.get_by_label("Reason (published)").fill("A third home would help sibling groups stay together.")
    dana.get_by_role("button", name="Record the decision").click()
    expect(dana.locator(".govuk-error-summary")).to_contain_text(
        "The lawful-route check says a new procurement is needed")
    expect(dana.locator(".govuk-error-summary")).to_contain_text("cannot be accepted as a modification")
    expect(dana.get_by_label("Reason (published)")).to_have_value(
        "A third home would help sibling groups stay together.")
    _checked(dana)
    dana.get_by_label("Decline it").check()
    dana.get_by_label("Reason (published)").fill("At 20% of the contract it needs its own procurement.")
    dana.get_by_role("button", name="Record the decision").click()
    confirm_answers(dana, "Record the decision")
    _flash(dana, "The spin-off is declined. The reason is published.")
    expect(_row(dana, "Status")).to_have_text("Declined")
    _checked(dana)

    # The provider reads the published reason on its declined proposal.
    sam.goto(url)
    sam.locator("#spinoffs ~ table").get_by_role("link", name=LARGE).click()
    expect(sam.locator("main")).to_contain_text("Reason: At 20% of the contract it needs its own procurement.")
    _checked(sam)

    # The public sees the new value, both decisions, and the register with the accepted one only.
    public.goto(url)
    expect(_row(public, "Value (incl. VAT)")).to_have_text("£510,000.00")
    proposals = public.locator("#spinoffs ~ table")
    expect(proposals.get_by_role("row", name=re.compile(SMALL))).to_contain_text("Accepted as a contract modification")
    expect(proposals.get_by_role("row", name=re.compile(LARGE))).to_contain_text("Declined")
    _checked(public)
    public.get_by_role("link", name="Contract modification register").click()
    expect(public.get_by_role("heading", level=1)).to_have_text("Contract modification register")
    expect(public.locator("main")).to_contain_text("Original value £480,000.00; value now £510,000.00. "
                                                   "Rules: Procurement Act 2023.")
    register = public.get_by_role("table").first  # the register; the chart's figures follow it
    expect(register.get_by_role("row")).to_have_count(2)
    accepted = register.get_by_role("row", name=re.compile(SMALL))
    for text in ("£480,000.00", "£510,000.00", "6.25%", "Below-threshold modification "
                 "(Procurement Act 2023 s.74(1)(c) and s.74(4))", "Contract change notice (UK10): not required",
                 "It builds on the home's results and stays well under 10%."):
        expect(accepted).to_contain_text(text)
    expect(register).not_to_contain_text(LARGE)
    expect(public.locator("main")).to_contain_text("not legal advice")
    _checked(public)
