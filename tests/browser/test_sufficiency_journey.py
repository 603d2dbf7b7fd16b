"""Sufficiency in a real browser: a provider declares capacity; a commissioner uploads a forecast, runs the
analysis and publishes a market position statement; the public sees the map and its table. axe each step."""
from __future__ import annotations

from datetime import date

from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    check_accessibility,
    make_organisation,
    make_person,
    sign_in,
)

AREA = "E06000014"  # York: no other browser journey uses it


def _council(live_server) -> tuple[str, str]:
    org_id = make_organisation(live_server, "York Children's Commissioning (browser)", "commissioning_unit")

    def set_area():
        from accounts.models import Organisation
        from core.extensions import db

        db.session.get(Organisation, org_id).gss_code = AREA

    live_server.do(set_area)
    email = "commissioner@york-browser.example"
    return email, make_person(live_server, email=email, full_name="Yara Commissioner", role="commissioner",
                              organisation_id=org_id)


def test_capacity_forecast_run_statement_and_the_public_map(page: Page, live_server, tmp_path):
    provider_org = make_organisation(live_server, "Minster Homes (browser)", "provider")
    make_person(live_server, email="manager@minster-browser.example", full_name="Mo Manager", role="provider",
                organisation_id=provider_org)
    commissioner, secret = _council(live_server)

    sign_in(page, live_server, "manager@minster-browser.example")
    page.goto(live_server.url + "/sufficiency")
    page.get_by_role("link", name="Declare a setting's capacity").click()
    check_accessibility(page)
    page.get_by_label("Setting name").fill("Minster View")
    page.get_by_label("Council area").select_option(AREA)
    page.get_by_label("Kind of setting").select_option("childrens_home")
    page.get_by_label("Behaviour that challenges").check()
    page.get_by_label("High", exact=True).check()
    page.get_by_label("Registered places").fill("6")
    page.get_by_label("Youngest age taken").fill("10")
    page.get_by_label("Oldest age taken").fill("17")
    page.get_by_label("Current vacancies (optional)").fill("2")
    today = date.today()
    page.locator("#vacancies_confirmed_on-day").fill(str(today.day))
    page.locator("#vacancies_confirmed_on-month").fill(str(today.month))
    page.locator("#vacancies_confirmed_on-year").fill(str(today.year))
    page.get_by_role("button", name="Save capacity").click()
    expect(page.locator("#vacancies")).to_contain_text("2, confirmed")
    expect(page.get_by_role("heading", level=1)).to_have_text("Minster View")
    check_accessibility(page)

    page.context.clear_cookies()
    sign_in(page, live_server, commissioner, secret)
    page.goto(live_server.url + "/sufficiency/forecasts")
    forecast = tmp_path / "forecast.csv"
    forecast.write_text(f"area,category,intensity,horizon,count\n{AREA},behaviour,very_high,now,12\n"
                        f"{AREA},behaviour,high,now,13\n")
    page.get_by_label("Forecast title").fill("York forecast")
    page.get_by_label("CSV file").set_input_files(str(forecast))
    page.get_by_role("button", name="Upload forecast").click()
    expect(page.locator("main")).to_contain_text("York forecast (version 1, 2 lines, 25 children)")
    check_accessibility(page)
    page.goto(live_server.url + "/sufficiency/runs/new")
    page.get_by_label("Name of the run").fill("York review")
    page.get_by_role("button", name="Run the gap analysis").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("York review")
    check_accessibility(page)
    page.goto(live_server.url + "/sufficiency/statements/new")
    page.get_by_label("Title").fill("York market position statement")
    page.get_by_label("Narrative (markdown)").fill("We need **homes** for children with very high needs.")
    expect(page.get_by_label("Figures from the gap-analysis run")).to_contain_text("York review")
    page.get_by_role("button", name="Publish statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("York market position statement")
    check_accessibility(page)

    page.context.clear_cookies()
    page.goto(live_server.url + "/sufficiency?council=" + AREA)
    expect(page.locator(".app-area-grid")).to_contain_text("York")
    expect(page.get_by_role("table", name="Councils by gap: the figures")).to_contain_text("York")
    expect(page.locator("#sources ~ figure img")).to_be_visible()
    check_accessibility(page)
