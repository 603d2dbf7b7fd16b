"""The benchmark pages and API: nothing named before the right of reply ends, then figures, replies and tables."""
from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest

from benchmarking import services
from core import clock
from tests.conftest import submit
from tests.unit.benchmarking.runs_builders import make_run

DURING = datetime(2026, 12, 22, 10, 0)
AFTER = datetime(2027, 1, 7, 10, 0)


@pytest.fixture
def run(db, providers, council):
    return make_run(providers, council)


@pytest.fixture
def at():
    def move(moment):
        clock.set_now(moment)
    yield move
    clock.set_now(None)


def test_nothing_is_named_during_the_right_of_reply(client, run, at):
    at(DURING)
    page = client.get("/benchmarks").get_data(as_text=True)
    assert "Ash Homes" not in page
    assert "No benchmarks have been published yet" in page
    assert "right of reply until 6 January 2027" in page
    assert client.get("/api/v1/benchmarks").get_json()["run"] is None


def test_a_provider_sees_its_own_result_against_anonymised_peers_and_replies(client, auth, run, at, providers,
                                                                            user_factory):
    at(DURING)
    auth.sign_in(user_factory("provider", organisation=providers[0][0]))
    page = client.get("/benchmarks/reply").get_data(as_text=True)
    assert "Your result" in page and "Peer " in page
    assert "Birch Care" not in page and "Damson Trust" not in page
    response = submit(client, "/benchmarks/reply", {"note": "Our intake changed in July."})
    assert response.status_code == 302
    assert "Our intake changed in July." in client.get("/benchmarks/reply").get_data(as_text=True)


def test_a_bad_reply_keeps_what_was_typed(client, auth, run, at, providers, user_factory):
    at(DURING)
    auth.sign_in(user_factory("provider", organisation=providers[0][0]))
    response = submit(client, "/benchmarks/reply", {"note": "Child DOB 03/04/2012 left us."})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Child DOB 03/04/2012 left us." in page and "There is a problem" in page


def test_after_the_window_the_public_sees_figures_replies_charts_and_tables(client, run, at, providers):
    at(AFTER)
    page = client.get("/benchmarks").get_data(as_text=True)
    for name in ("Ash Homes", "Birch Care", "Cedar Council Homes"):
        assert name in page
    assert page.count('class="app-chart__image"') == 3  # funnel, caterpillar and trend for the one indicator
    assert "Funnel plot" in page and "Trend" in page and "In-house providers" in page
    assert "Cost per successful outcome" in page
    # Alphabetical, never by result.
    assert page.index("Ash Homes") < page.index("Birch Care") < page.index("Cedar Council Homes")


def test_the_reply_is_published_beside_the_figure(client, run, at, providers, user_factory):
    at(DURING)
    services.save_reply(run, user_factory("provider", organisation=providers[1][0]), "Two homes opened in May.")
    at(AFTER)
    data = client.get("/api/v1/benchmarks").get_json()
    birch = next(r for r in data["indicators"][0]["rows"] if r["label"] == "Birch Care")
    assert birch["reply"] == "Two homes opened in May."
    assert "Two homes opened in May." in client.get(f"/benchmarks/providers/{providers[1][0].id}").get_data(
        as_text=True)


def test_a_reply_a_spreadsheet_would_run_as_a_formula_is_defused_in_the_csv(client, run, at, providers, user_factory):
    at(DURING)
    services.save_reply(run, user_factory("provider", organisation=providers[1][0]), "=HYPERLINK(\"x\")")
    at(AFTER)
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/benchmarks.csv").get_data(as_text=True))))
    assert next(r for r in rows if r["row"] == "Birch Care")["reply"] == "'=HYPERLINK(\"x\")"


def test_small_counts_are_suppressed_in_the_page_the_json_and_the_csv(client, run, at):
    at(AFTER)
    data = client.get("/api/v1/benchmarks").get_json()
    labels = {r["label"]: r for r in data["indicators"][0]["rows"]}
    damson = labels["Damson Trust"]  # 12 children, 3 achieved in the period
    assert damson["achieved"] == {"value": None, "label": "fewer than 5"}
    assert damson["observed_over_expected"] is None and damson["standing"] is None
    text = client.get("/api/v1/benchmarks.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert next(r for r in rows if r["row"] == "Damson Trust")["achieved"] == "fewer than 5"
    assert "fewer than 5" in client.get("/benchmarks").get_data(as_text=True)


def test_filters_pick_providers_and_ignore_unknown_values(client, run, at):
    at(AFTER)
    ignored = client.get("/benchmarks?region=Nowhere")  # not in the list: shown as "all regions"
    assert ignored.status_code == 200 and "Ash Homes" in ignored.get_data(as_text=True)
    elsewhere = client.get("/api/v1/benchmarks?region=Nowhere").get_json()["indicators"][0]["rows"]
    assert [r["provider_org_id"] for r in elsewhere if r["provider_org_id"]] == []
    page = client.get("/benchmarks?region=West+Midlands&period=2026-Q2&category=nonsense")
    assert page.status_code == 200 and "Showing 2026-Q2" in page.get_data(as_text=True)
    assert client.get("/api/v1/benchmarks?period=2026-Q2").get_json()["period"] == "2026-Q2"
    assert client.get("/api/v1/benchmarks?category=nonsense").status_code == 400


def test_the_council_page_lists_its_providers_against_expected(client, run, at, council):
    at(AFTER)
    assert f"/benchmarks/councils/{council.id}" in client.get("/benchmarks").get_data(as_text=True)
    page = client.get(f"/benchmarks/councils/{council.id}").get_data(as_text=True)
    assert "Ash Homes" in page and "Observed / expected" in page


def test_the_method_document_states_the_rules_it_uses(client):
    method = client.get("/api/v1/benchmarks/method").get_json()
    assert method["parameters"]["min_named_cohort"] == 10
    assert any("Clopper-Pearson" in s["text"] for s in method["sections"])


def test_an_admin_starts_a_run_and_a_refusal_is_a_message(client, auth, user_factory):
    auth.sign_in(user_factory("admin"))
    response = submit(client, "/benchmarks/runs", form_url="/benchmarks")
    assert response.status_code == 302
    assert "no verified outcome returns" in client.get("/benchmarks").get_data(as_text=True)


def test_someone_who_is_not_a_provider_is_refused_the_reply_page_and_the_refusal_is_audited(client, auth, db,
                                                                                            user_factory):
    from sqlalchemy import select

    from trail.models import AuditEvent

    auth.sign_in(user_factory("commissioner"))
    assert client.get("/benchmarks/reply").status_code == 403
    refused = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "security.refused")).all()
    assert any("benchmark.reply" in event.summary for event in refused)
