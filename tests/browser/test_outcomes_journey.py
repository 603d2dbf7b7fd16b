"""After the contract, in a real browser: a return, a query, the answer, verification, and payment approved.

A contract is entered into through the services (won by Rowan Homes). In the
browser: the provider submits its quarter's return for the stability outcome;
a commissioner queries it; the provider answers with a new return; the
commissioner verifies it and calculates the quarter's payment statement; the
same commissioner is not offered the approval (they verified a return it pays on), so a
second commissioner approves it; the public sees the verified actual against
the target and the approved payment on the contract's outcomes page. axe-core
checks every page on the way.

Time: the tenders clock (tenders.clock) is frozen through `tenders_clock`.
"""
from __future__ import annotations

import re
from types import SimpleNamespace

from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    check_accessibility,
    make_organisation,
    make_person,
    sign_in,
)
from tests.unit.outcomes.builders import LATER

AUTHORITY = "Ashmere Children's Commissioning"
WINNER = "Rowan Homes"
RUNNER_UP = "Sorrel Care"
ANA = "ana.outcomes@ashmere.example"
BEN = "ben.outcomes@ashmere.example"
RUTH = "ruth.outcomes@rowan.example"
SOL = "sol.outcomes@sorrel.example"


def _contracted(live_server) -> dict:
    authority = make_organisation(live_server, AUTHORITY, "commissioning_unit")
    winner = make_organisation(live_server, WINNER, "provider")
    runner_up = make_organisation(live_server, RUNNER_UP, "provider")
    secrets = {
        ANA: make_person(live_server, email=ANA, full_name="Ana Ashmere", role="commissioner",
                         organisation_id=authority),
        BEN: make_person(live_server, email=BEN, full_name="Ben Ashmere", role="commissioner",
                         organisation_id=authority),
    }
    make_person(live_server, email=RUTH, full_name="Ruth Rowan", role="provider", organisation_id=winner)
    make_person(live_server, email=SOL, full_name="Sol Sorrel", role="provider", organisation_id=runner_up)

    def build():
        from accounts.queries import user_by_email
        from tests.unit.outcomes.builders import contracted

        world = SimpleNamespace(c1=user_by_email(ANA), c2=user_by_email(BEN), p1=user_by_email(RUTH),
                                p2=user_by_email(SOL))
        return contracted(world).procurement_id

    procurement_id = live_server.do(build)
    return {"secrets": secrets, "url": f"{live_server.url}/tenders/{procurement_id}"}


def _checked(page: Page) -> Page:
    check_accessibility(page)
    return page


def _flash(page: Page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner").first).to_contain_text(text)


def _fill_return(page: Page, cohort: str, achieved: str, strata: str) -> None:
    page.get_by_label("Cohort: how many children").fill(cohort)
    page.get_by_label("How many achieved the outcome").fill(achieved)
    page.get_by_label("Cohort by need intensity and age band at intake").fill(strata)


def test_return_query_answer_verify_and_approve(live_server, new_context, tenders_clock):
    world = _contracted(live_server)
    tenders_clock(LATER)
    outcomes_url = world["url"] + "/contract/outcomes"

    provider = new_context().new_page()
    sign_in(provider, live_server, RUTH)
    provider.goto(world["url"])
    provider.get_by_role("link", name="Targets against actuals, payment statements and performance ratings").click()
    expect(provider.get_by_role("heading", level=1)).to_have_text("Contract outcomes")
    _checked(provider)
    provider.get_by_role("link", name="Submit a return for outcome 1").click()
    _checked(provider)
    provider.get_by_label("Period").select_option("2026-Q2")
    _fill_return(provider, "20", "13", "high, 11-15, 10, 7\nmedium, 16-17, 10, 6")
    provider.get_by_label("Narrative").fill("Thirteen of twenty stayed in their first home this quarter.")
    provider.get_by_role("button", name="Submit the return").click()
    _flash(provider, "Your return is submitted")
    expect(provider.get_by_role("heading", level=1)).to_have_text("2026-Q2 return for outcome 1")
    _checked(provider)
    first_return = provider.url

    ana = new_context().new_page()
    sign_in(ana, live_server, ANA, world["secrets"][ANA])
    ana.goto(first_return)
    _checked(ana)
    ana.get_by_label("What the provider should check").fill("Two children placed in June are missing.")
    ana.get_by_role("button", name="Query the return").click()
    _flash(ana, "The return is queried")
    expect(ana.locator("main .govuk-tag:not(.cc-stage-tag)").first).to_have_text("Queried")
    _checked(ana)

    provider.goto(first_return)
    provider.get_by_role("link", name="Answer the query with a new return").click()
    _checked(provider)
    _fill_return(provider, "20", "15", "high, 11-15, 10, 8\nmedium, 16-17, 10, 7")
    provider.get_by_role("button", name="Submit the return").click()
    _flash(provider, "Your return is submitted")
    expect(provider.get_by_text(re.compile(r"^Supersedes"))).to_be_visible()
    answer = provider.url

    ana.goto(answer)
    ana.get_by_role("button", name="Verify the return").click()
    _flash(ana, "The return is verified")
    ana.goto(outcomes_url)
    _checked(ana)
    ana.get_by_label("Period").select_option("2026-Q2")
    ana.get_by_role("button", name="Calculate the payment statement").click()
    _flash(ana, "The 2026-Q2 statement is calculated")
    expect(ana.get_by_role("button", name="Approve the 2026-Q2 statement")).to_have_count(0)
    expect(ana.get_by_text("A second commissioner, who verified none of its returns, approves it.")).to_be_visible()
    _checked(ana)

    ben = new_context().new_page()
    sign_in(ben, live_server, BEN, world["secrets"][BEN])
    ben.goto(outcomes_url)
    ben.get_by_role("button", name="Approve the 2026-Q2 statement").click()
    _flash(ben, "The 2026-Q2 statement is approved")
    _checked(ben)

    public = new_context().new_page()
    public.goto(outcomes_url)
    expect(public.get_by_role("heading", level=1)).to_have_text("Contract outcomes")
    payments = public.locator("table", has=public.locator("caption", has_text="Payment statements by period"))
    expect(payments).to_contain_text("Approved")
    results = public.locator("table", has=public.locator("caption", has_text="cohort and achieved by period"))
    expect(results.first).to_contain_text("75%")
    _checked(public)
