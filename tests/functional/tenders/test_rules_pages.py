"""The public procurement rules page, the rules API and the regime on the procurement page."""
import re
from html import unescape

import pytest

from tests.conftest import submit
from tests.unit.tenders.builders import awarded, draft


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_rules_page_answers_which_regime_for_send_transport_with_its_basis(client, db):
    html = _text(client.get("/rules?calculator=regime&value=250000&cpv=60130000&started_on=1&started_on=3"
                            "&started_on=2026&nation=england&authority=sub_central"))
    assert "Public contract (above threshold, not light-touch)" in html
    assert "£207,720.00" in html and "PA23 s.3 and Schedule 1" in html and "not a light-touch service" in html
    assert "Set-Cookie" not in str(client.get("/rules").headers)  # a public page: no form token, no cookie


def test_rules_page_answers_when_standstill_ends_with_the_days_counted(client, db):
    html = _text(client.get("/rules?calculator=standstill&published_on=28&published_on=11&published_on=2026"
                            "&published_time=10:00&regime=public_contract"))
    assert "end of Thursday 10 December 2026" in html and "from Friday 11 December 2026" in html
    assert "Monday 30 November 2026" not in html and "Tuesday 1 December 2026" in html
    assert "s.51" in html and "s.123" in html


def test_rules_page_lists_thresholds_with_their_jurisdiction_and_source(client, db):
    html = _text(client.get("/rules"))
    assert "Procurement rules" in html and "SI 2025/1200" in html and "Wales" in html


@pytest.mark.parametrize("query", [
    "calculator=regime&value=lots&started_on=1&started_on=3&started_on=2026",
    "calculator=regime&value=1000&cpv=12&started_on=1&started_on=3&started_on=2026",
    "calculator=regime&value=1000&started_on=31&started_on=2&started_on=2026",
    "calculator=standstill&published_on=1&published_on=13&published_on=2026",
    "calculator=standstill&published_on=1&published_on=3&published_on=2026&published_time=25:00",
    "calculator=standstill&published_on=1&published_on=3&published_on=2026&regime=nonsense",
])
def test_rules_calculators_explain_bad_input_and_keep_what_was_typed(client, db, query):
    response = client.get(f"/rules?{query}")
    assert response.status_code == 200
    html = _text(response)
    assert "There is a problem" in html and "Basis:" not in html


def test_procurement_page_shows_regime_threshold_basis_and_legal_start(client, db, world, auth, at):
    p = draft(world)
    auth.sign_in(world.c1)
    html = _text(client.get(f"/tenders/{p.id}"))
    assert "Light-touch contract" in html and "£663,540.00" in html and "PR 2024 reg 42" in html
    assert "Procurement Act 2023" in html and "not started yet" in html and "85311000" in html


def test_commissioner_changes_the_cpv_code_on_the_regime_page(client, db, world, auth, at):
    p = draft(world, value_pence=25_000_000)
    auth.sign_in(world.c1)
    page = client.get(f"/tenders/{p.id}/regime")
    assert page.status_code == 200
    response = submit(client, f"/tenders/{p.id}/regime", {"cpv_code": "60130000-4", "psr_decision": "",
                                                         "psr_process": ""})
    assert response.status_code == 302
    html = _text(client.get(f"/tenders/{p.id}"))
    assert "Public contract" in html and "£207,720.00" in html
    refused = submit(client, f"/tenders/{p.id}/regime", {"cpv_code": "12345678", "psr_decision": ""})
    assert refused.status_code == 200 and "not in the platform's list" in _text(refused)
    assert "12345678" in _text(refused)  # what was typed is kept


def test_award_shows_when_the_contract_may_be_entered_and_the_basis(client, db, world, auth, at):
    from datetime import datetime
    p = awarded(world, now=datetime(2026, 11, 28, 10, 0))
    auth.sign_in(world.c1)
    html = re.sub(r"<[^>]+>", "", _text(client.get(f"/tenders/{p.id}")))
    assert "end of 10 December 2026" in html and "entered into from 11 December 2026" in html
    assert "platform policy" in html  # light-touch: keeping the standstill is the platform's choice


# ---------------------------------------------------------------- the API


def test_api_regime_for_send_transport(client, db):
    body = client.get("/api/v1/rules/regime?value_pence=20772000&cpv=60130000&started_on=2026-01-01"
                      "&nation=england&authority=sub_central").get_json()
    assert (body["regime"], body["framework"], body["threshold_pence"]) == ("public_contract", "pa23", 20_772_000)
    assert "PA23" in body["basis"]
    body = client.get("/api/v1/rules/regime?value_pence=20772000&cpv=60130000&started_on=2025-12-31").get_json()
    assert body["regime"] == "notifiable_below_threshold"  # the 2024 figure, £214,904, was still in force


def test_api_regime_psr_and_pcr(client, db):
    assert client.get("/api/v1/rules/regime?value_pence=100&cpv=85121270-6").get_json()["regime"] == "psr"
    wales = client.get("/api/v1/rules/regime?value_pence=100&cpv=85121270&nation=wales").get_json()
    assert wales["regime"] == "below_threshold"
    assert client.get("/api/v1/rules/regime?started_on=2025-02-23&value_pence=1").get_json()["framework"] == "pcr2015"


def test_api_standstill_for_the_saturday_and_the_summer_midnight(client, db):
    body = client.get("/api/v1/rules/standstill?published_at=2026-11-28T10:00:00%2B00:00").get_json()
    assert (body["ends_on"], body["contract_from"]) == ("2026-12-10", "2026-12-11")
    assert "2026-11-30" not in body["working_days_counted"] and len(body["working_days_counted"]) == 8
    body = client.get("/api/v1/rules/standstill?published_at=2027-06-02T00:30:00%2B01:00").get_json()
    assert body["working_days_counted"][0] == "2027-06-02" and body["ends_on"] == "2027-06-11"
    body = client.get("/api/v1/rules/standstill?published_at=2026-03-03T09:00:00Z&regime=psr").get_json()
    assert body["working_days_counted"][0] == "2026-03-04" and "reg 12" in body["basis"]


@pytest.mark.parametrize("url", [
    "/api/v1/rules/regime?value_pence=-1", "/api/v1/rules/regime?value_pence=abc",
    "/api/v1/rules/regime?cpv=12", "/api/v1/rules/regime?started_on=2026-02-30",
    "/api/v1/rules/regime?started_on=20260101", "/api/v1/rules/regime?nation=scotland",
    "/api/v1/rules/regime?authority=parish", "/api/v1/rules/regime?started_on=0001-01-01",
    "/api/v1/rules/standstill?published_at=yesterday", "/api/v1/rules/standstill?published_at=2026-11-28T10:00:00",
    "/api/v1/rules/standstill?published_at=9999-12-31T23:59:59%2B00:00", "/api/v1/rules/standstill?regime=unknown",
    "/api/v1/rules/standstill?when=now",
])
def test_api_rules_refuse_bad_parameters_with_a_clear_400(client, db, url):
    response = client.get(url)
    assert response.status_code == 400 and response.mimetype == "application/json"
    assert response.get_json()["error"]["message"]


def test_api_rules_answer_for_today_without_parameters(client, db):
    assert client.get("/api/v1/rules/regime").get_json()["regime"] == "unknown"
    assert len(client.get("/api/v1/rules/standstill").get_json()["working_days_counted"]) == 8


@pytest.mark.parametrize("query", ["calculator=regime&value=1000&started_on=2026",
                                   "calculator=standstill&published_on=2026&published_on=1"])
def test_rules_calculators_survive_a_date_with_missing_boxes(client, db, query):
    response = client.get(f"/rules?{query}")
    assert response.status_code == 200 and "There is a problem" in _text(response)


def test_regime_page_survives_a_post_without_the_date_boxes(client, db, world, auth, at):
    p = draft(world)
    auth.sign_in(world.c1)
    refused = submit(client, f"/tenders/{p.id}/regime", {"cpv_code": "nonsense", "psr_decision": ""})
    assert refused.status_code == 200 and "eight digits" in _text(refused)
