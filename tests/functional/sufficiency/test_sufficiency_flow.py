"""Ofsted import, forecasts, capacity, a run, a statement, and what the public sees."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import RuleViolation
from sufficiency import analysis, capacity, forecasts, ofsted, statements
from sufficiency.models import Setting
from trail.models import AuditEvent

FIXTURE = Path(__file__).parents[2] / "data" / "sufficiency" / "ofsted_providers.csv"


@pytest.fixture
def council(db, user_factory, org_factory):
    from accounts import services as account_services

    org = org_factory("commissioning_unit", name="Lancashire Children's Commissioning")
    commissioner = user_factory("commissioner", organisation=org)
    admin = user_factory("admin")
    account_services.verify_organisation(org, admin, gss_code="E10000017", note="test")
    return commissioner


def test_ofsted_list_loads_active_settings_of_counted_kinds(council, db):
    summary = ofsted.import_register(council, filename="providers.csv", data=FIXTURE.read_bytes())
    assert summary == {"filename": "providers.csv", "added": 3, "updated": 0, "skipped": 2}
    home = db.session.query(Setting).filter_by(ofsted_urn="SC100001").one()
    assert (home.area_code, home.registered_places, home.setting_type) == ("E10000017", 4, "childrens_home")
    bristol = db.session.query(Setting).filter_by(ofsted_urn="SC100004").one()
    assert bristol.area_code == "E06000023"
    again = ofsted.import_register(council, filename="providers.csv", data=FIXTURE.read_bytes())
    assert (again["added"], again["updated"]) == (0, 3)


@pytest.mark.parametrize("line, message", [
    ("SC100007,Children's home,,Private,Home,Active,,four,Lancashire,,Owner,", "Line 2: places “four”"),
    ("SC100008,Children's home,,Private,Home,Active,,3,Atlantis,,Owner,", "Line 2: local authority “Atlantis”"),
    (",Children's home,,Private,Home,Active,,3,Lancashire,,Owner,", "Line 2: the URN is missing"),
    ("SC3,Children's home,Private", "Line 2: expected 12 values"),
    ("SC100009,Children's home,,Private,Home,Active,,³,Lancashire,,Owner,", "Line 2: places “³”"),
    ("SC100009,Children's home,,Private,Ho\x00me,Active,,3,Lancashire,,Owner,",
     "Line 2: the setting name has a hidden control character at position 3 (U+0000)"),
])
def test_a_malformed_ofsted_row_stops_the_import_and_loads_nothing(council, db, line, message):
    header, good = FIXTURE.read_text().splitlines()[:2]
    with pytest.raises(RuleViolation) as refused:
        ofsted.import_register(council, filename="bad.csv", data=f"{header}\n{line}\n{good}\n".encode())
    assert message in refused.value.reasons["file"]
    assert db.session.query(Setting).count() == 0


def test_a_file_not_in_ofsteds_layout_is_refused(council, db):
    with pytest.raises(RuleViolation) as refused:
        ofsted.import_register(council, filename="x.csv", data=b"name,places\nA,3\n")
    assert "missing the columns" in refused.value.reasons["file"]


def test_a_forecast_with_bad_lines_names_each_and_imports_nothing(council, db):
    data = (b"area,category,intensity,horizon,count\nE10000017,behaviour,high,now,6\n"
            b"E10000017,juggling,high,now,2\nE06000023,behaviour,high,now,1\nE10000017,behaviour,high,soon,x\n")
    with pytest.raises(RuleViolation) as refused:
        forecasts.upload_forecast(council, title="Spring", filename="f.csv", data=data)
    text = refused.value.reasons["file"]
    assert "Nothing was imported" in text and "Line 3:" in text and "Line 4:" in text and "Line 5:" in text
    assert "Line 2" not in text


def test_a_forecast_count_in_digits_python_cannot_read_is_refused_not_a_server_error(council, db):
    data = "area,category,intensity,horizon,count\nE10000017,behaviour,high,now,²\n".encode()
    with pytest.raises(RuleViolation) as refused:
        forecasts.upload_forecast(council, title="Spring", filename="f.csv", data=data)
    assert "Line 2: count “²” must be a whole number" in refused.value.reasons["file"]


def test_forecast_run_and_statement_publish_the_gap_and_are_audited(council, db, user_factory, client):
    provider = user_factory("provider")
    capacity.declare_setting(provider, capacity.SettingDetails(
        name="Fell View", area_code="E10000017", setting_type="childrens_home", categories=["behaviour"],
        highest_intensity="high", registered_places=6, age_from=10, age_to=17))
    forecast = forecasts.upload_forecast(council, title="Spring", filename="f.csv", data=(
        b"area,category,intensity,horizon,count\nE10000017,behaviour,very_high,now,12\n"
        b"E10000017,behaviour,high,now,9\n"))
    forecasts.correct_forecast(forecast, council, filename="g.csv", data=(
        b"area,category,intensity,horizon,count\nE10000017,behaviour,very_high,now,14\n"
        b"E10000017,behaviour,high,now,12\n"))
    assert forecast.version == 2 and forecast.total == 26
    run = analysis.run_analysis(council, name="Spring review")
    assert analysis.reproduce(run)
    event = db.session.query(AuditEvent).filter_by(action="sufficiency.analysis_run").one()
    assert run.inputs_sha256 in event.payload and '"method_version":"2"' in event.payload
    statement = statements.publish_statement(council, title="Our market", narrative_md="We need **homes**.", run=run)
    assert db.session.query(AuditEvent).filter_by(action="sufficiency.statement_published").count() == 1
    db.session.flush()
    page = client.get("/sufficiency?horizon=now")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    api = client.get("/api/v1/sufficiency?council=E10000017&horizon=now").get_json()
    very_high = next(r for r in api["items"] if r["intensity"] == "very_high")
    assert (very_high["demand"], very_high["gap"], very_high["supply_local"]) == (14, 14, 0)
    high = next(r for r in api["items"] if r["intensity"] == "high")
    assert (high["demand"], high["gap"], high["supply_local"], high["suppressed"]) == (12, 6, 6, False)
    assert "Lancashire" in body and "Half or more of the need unmet" in body
    csv_text = client.get("/api/v1/sufficiency.csv?horizon=now").get_data(as_text=True)
    assert csv_text.startswith("area_code,area_name,region,category")
    shown = client.get(f"/sufficiency/statements/{statement.id}").get_data(as_text=True)
    assert "We need <strong>homes</strong>" in shown
    assert client.get(f"/sufficiency/statements/{statement.id}.pdf").data.startswith(b"%PDF")
    assert b"Our market" in client.get("/sufficiency/statements.atom").data


def test_vacancies_show_only_to_the_provider_and_commissioners(council, db, user_factory, app):
    from datetime import date

    from tests.conftest import Auth

    provider, other = user_factory("provider"), user_factory("provider")
    setting = capacity.declare_setting(provider, capacity.SettingDetails(
        name="Fell View", area_code="E10000017", setting_type="childrens_home", categories=["behaviour"],
        highest_intensity="high", registered_places=6, age_from=10, age_to=17, vacancies=2,
        vacancies_confirmed_on=date(2026, 11, 30)))
    db.session.flush()
    for user, sees in ((provider, True), (council, True), (other, False), (None, False)):
        client = app.test_client()
        if user is not None:
            Auth(client).sign_in(user)
        body = client.get(f"/sufficiency/settings/{setting.id}").get_data(as_text=True)
        assert ('id="vacancies"' in body) is sees
        assert client.get(f"/sufficiency/settings/{setting.id}/vacancies").status_code in (
            (200,) if sees else (302, 401, 403)
        )


def test_the_public_record_of_a_forecast_never_gives_a_small_total(council, db):
    data = b"area,category,intensity,horizon,count\nE10000017,behaviour,high,now,3\n"
    forecast = forecasts.upload_forecast(council, title="Small", filename="f.csv", data=data)
    event = db.session.query(AuditEvent).filter_by(action="sufficiency.forecast_uploaded",
                                                   subject_id=str(forecast.id)).one()
    assert event.audience == "public" and "fewer than 5 children in all" in event.summary
    assert "3 children" not in event.summary


def test_a_reimport_keeps_what_it_replaced_and_audits_vacancies_it_cuts(council, db):
    import json

    ofsted.import_register(council, filename="providers.csv", data=FIXTURE.read_bytes())
    home = db.session.query(Setting).filter_by(ofsted_urn="SC100001").one()
    home.registered_places, home.vacancies = 9, 7
    db.session.flush()
    ofsted.import_register(council, filename="providers.csv", data=FIXTURE.read_bytes())
    assert (home.registered_places, home.vacancies) == (4, 4)
    imported = db.session.query(AuditEvent).filter_by(action="sufficiency.register_imported") \
        .order_by(AuditEvent.seq.desc()).first()
    change = json.loads(imported.payload)["changed"]
    assert change == {"SC100001": {"before": {"name": home.name, "area_code": "E10000017", "places": 9},
                                   "after": {"name": home.name, "area_code": "E10000017", "places": 4}}}
    capped = db.session.query(AuditEvent).filter_by(action="sufficiency.vacancies_capped").one()
    assert capped.audience == "auditors" and json.loads(capped.payload)["before"] == 7
