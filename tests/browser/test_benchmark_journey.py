"""Right of reply in a real browser: a provider reads its result and replies; after 10 working days the public
sees both.

A benchmark run over four providers is recorded through the service today. The provider signs in, finds its
result against anonymised peers from /benchmarks, and saves a note. The public sees no named figures while the
right of reply runs. Time then moves (the platform clock) to the day after the tenth working day: the public sees the
provider's figures with its note beside them, on /benchmarks and on the provider's page. axe-core checks every
page on the way.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from core import clock
from tests.browser.conftest import (
    check_accessibility,
    make_organisation,
    make_person,
    sign_in,
)

PROVIDERS = ("Aspen Reply Homes", "Beech Reply Care", "Cherry Reply Trust", "Dogwood Reply Homes")
COUNCIL = "Reply Borough Commissioning"
EMAIL = "lee.reply@aspen.example"
NOTE = "Our intake changed in July: two more children with very high needs."


def _run(live_server) -> dict:
    ids = [make_organisation(live_server, name, "provider") for name in PROVIDERS]
    council = make_organisation(live_server, COUNCIL, "commissioning_unit")
    make_person(live_server, email=EMAIL, full_name="Lee Aspen", role="provider", organisation_id=ids[0])

    def record():
        from accounts.models import Organisation
        from core.extensions import db
        from tests.unit.benchmarking.runs_builders import make_run

        orgs = [(db.session.get(Organisation, i), "independent") for i in ids]
        run = make_run(orgs, db.session.get(Organisation, council),
                       when=datetime.now(UTC).replace(tzinfo=None))
        return {"run": run.id, "closes_on": run.reply_closes_on, "provider": ids[0]}

    return live_server.do(record)


def test_a_provider_replies_and_after_ten_working_days_the_public_sees_both(live_server, new_context):
    made = _run(live_server)
    provider_page = new_context().new_page()
    sign_in(provider_page, live_server, EMAIL)
    provider_page.goto(live_server.url + "/benchmarks")
    check_accessibility(provider_page)
    provider_page.get_by_role("link", name="Your organisation’s result and your right of reply").click()
    expect(provider_page.get_by_role("heading", name="Your benchmark result")).to_be_visible()
    expect(provider_page.get_by_role("table", name="Your result on each outcome")).to_contain_text("Observed")
    expect(provider_page.locator("body")).not_to_contain_text(PROVIDERS[1])  # peers are anonymised
    expect(provider_page.locator("body")).to_contain_text("Peer ")
    check_accessibility(provider_page)
    provider_page.get_by_label("Your note (published beside your figures)").fill(NOTE)
    provider_page.get_by_role("button", name="Save note").click()
    expect(provider_page.get_by_text("Your note is saved.")).to_be_visible()
    expect(provider_page.get_by_label("Your note (published beside your figures)")).to_have_value(NOTE)
    check_accessibility(provider_page)

    public = new_context().new_page()
    public.goto(live_server.url + "/benchmarks")
    # Nothing about these providers while the reply window runs (other journeys' runs may be on this server).
    expect(public.locator("body")).not_to_contain_text(PROVIDERS[0])
    check_accessibility(public)

    day_after = datetime.combine(made["closes_on"] + timedelta(days=1), datetime.min.time()) + timedelta(hours=10)
    # The platform's own clock, not a patched one: patching time in this process would reach the browser
    # driver's event loop too, and under load a page load could wait on a clock that jumped.
    clock.set_now(day_after)
    try:
        public.goto(live_server.url + "/benchmarks")
        table = public.get_by_role("table").filter(has_text="every provider").first
        expect(table.get_by_role("row").filter(has_text=PROVIDERS[0])).to_contain_text(NOTE)
        expect(public.get_by_role("img", name="Funnel plot").first).to_be_visible()
        check_accessibility(public)
        public.get_by_role("link", name=PROVIDERS[0]).first.click()
        expect(public.get_by_role("heading", name=f"{PROVIDERS[0]}: benchmarks")).to_be_visible()
        expect(public.locator("body")).to_contain_text(NOTE)
        check_accessibility(public)
    finally:
        clock.set_now(None)
