"""Every form with a GOV.UK date field, posted with only part of a date: a field error, never a 500, nothing saved.

A browser always sends the three boxes; a script, a proxy or a hand-made request
may send none, one or two. The page shown again with the error used to crash
(the widget unpacks exactly three parts).
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from core import clock
from core.forms import INCOMPLETE_DATE, AppForm, DateField
from tests.conftest import csrf_token
from tests.unit.tenders.builders import T0, awarded, draft, forum_of, in_tender, make_world, standstill_end
from trail.models import AuditEvent

# (what is posted for the date, the parts shown again in the day, month and year boxes)
PARTIAL = [
    (["5"], ["5", "", ""]),
    (["5", "3"], ["5", "3", ""]),
    (["", "3", "2027"], ["", "3", "2027"]),
    (["5", "", "2027"], ["5", "", "2027"]),
    (["5", "3", ""], ["5", "3", ""]),
]
FORM_MODULES = ("accounts.forms", "oversight.forms", "forum.forms", "tenders.forms", "tenders.forms.codesign",
                "tenders.forms.conflicts", "tenders.forms.ledger", "tenders.forms.notices", "tenders.forms.regime",
                "tenders.forms.spinoffs", "sufficiency.forms")


@pytest.fixture
def world(org_factory, user_factory):
    return make_world(org_factory, user_factory)


@pytest.fixture
def at():
    clock.set_now(T0)
    yield clock.set_now
    clock.set_now(None)


@dataclass
class Case:
    form: str  # module.Class, so the sweep below can check every form with a date field has a case
    field: str
    required: bool
    prepare: Callable  # (world, at) -> (person, url, the other fields, filled in well)


def _day(d: date) -> list[str]:
    return [str(d.day), str(d.month), str(d.year)]


def _token(world, at):
    return world.c1, "/account/api-tokens", {"name": "Quarterly spend report script"}


def _meeting(world, at):
    at(None)
    place = forum_of(world.c1)
    return world.c1, f"/forums/{place.slug}/meetings/new", {
        "title": "Market event", "start_time": "10:00", "end_time": "12:00", "mode": "in_person",
        "location": "Town hall", "agenda": "Introductions.", "capacity": "20"}


def _event(world, at):
    p = draft(world)
    at(T0 - timedelta(days=30))
    return world.c1, f"/tenders/{p.id}/events", {"title": "Provider event", "at": "10:00", "place": "Town hall"}


def _engagement(world, at):
    p = draft(world)
    at(T0 - timedelta(days=30))
    return world.c1, f"/tenders/{p.id}/engagement", {}


def _publish(other_day: str):
    def prepare(world, at):
        p = draft(world)
        at(T0 - timedelta(days=30))
        return world.c1, f"/tenders/{p.id}/publish", {
            other_day: _day(T0.date() + timedelta(days=10)), "clarification_at": "12:00", "response_at": "12:00"}
    return prepare


def _spec_change(world, at):
    p = in_tender(world)
    at(T0 + timedelta(days=1))
    return world.c1, f"/tenders/{p.id}/specification/change", {"new_at": "12:00"}


def _contract(world, at):
    p = awarded(world)
    at(datetime.combine(standstill_end(p) + timedelta(days=1), time(9)))
    return world.c1, f"/tenders/{p.id}/contract", {}


def _spinoff_decision(world, at):
    from tests.unit.tenders.test_spinoffs import contract_world, propose

    p, contract, now = contract_world(world)
    at(now)
    proposal = propose(world, contract, now, title="Step-down foster care")
    return world.c1, f"/tenders/{p.id}/spinoffs/{proposal.id}/decide", {
        "changes_overall_nature": "yes", "unforeseeable": "no", "additional_from_same_provider": "no",
        "decision": "new_procurement", "reason": "A different service", "submit": "Record the decision"}


def _regime_facts(world, at):
    p = draft(world)
    at(T0 - timedelta(days=30))
    return world.c1, f"/tenders/{p.id}/regime", {"cpv_code": p.cpv_code, "psr_decision": "", "psr_process": ""}


def _contract_notice(other: dict[str, str], path: str):
    def prepare(world, at):
        from tests.unit.tenders.test_notice_services import contract_world

        p, _contract, now = contract_world(world)
        at(now)
        return world.c1, f"/tenders/{p.id}/notices/{path}", other
    return prepare


CASES = {
    "api token expiry": Case("accounts.forms.ApiTokenForm", "expires_on", False, _token),
    "meeting date": Case("forum.forms.MeetingForm", "date", True, _meeting),
    "engagement event": Case("tenders.forms.engagement.EventForm", "day", True, _event),
    "engagement closing date": Case("tenders.forms.engagement.EngagementForm", "closes_on", True, _engagement),
    "clarification deadline": Case("tenders.forms.publishing.PublishTenderForm", "clarification_day", True,
                                   _publish("response_day")),
    "response deadline": Case("tenders.forms.publishing.PublishTenderForm", "response_day", True,
                              _publish("clarification_day")),
    "changed specification's deadline": Case("tenders.forms.drafting.SpecChangeForm", "new_day", False, _spec_change),
    "contract start": Case("tenders.forms.evaluation.ContractForm", "starts_on", True, _contract),
    "spin-off's new engagement closing date": Case("tenders.forms.spinoffs.DecideSpinOffForm", "closes_on", False,
                                                   _spinoff_decision),
    "regime's recorded legal start": Case("tenders.forms.regime.RegimeFactsForm", "recorded_start_on", False,
                                          _regime_facts),
    "performance notice period": Case("tenders.forms.notices.PerformanceNoticeForm", "period_ends_on", False,
                                      _contract_notice({"assessment": "Good against every KPI."}, "performance")),
    "contract termination date": Case("tenders.forms.notices.TerminationNoticeForm", "terminated_on", False,
                                      _contract_notice({"reason": "The term ended."}, "termination")),
}
CASES["vacancies confirmed on"] = Case(
    "sufficiency.forms.SettingForm", "vacancies_confirmed_on", False,
    lambda world, at: (world.p1, "/sufficiency/settings/new", {
        "name": "Hill View", "area_code": "E10000017", "setting_type": "childrens_home", "categories": ["behaviour"],
        "highest_intensity": "high", "registered_places": "4", "age_from": "10", "age_to": "17", "vacancies": "1"}))

# The public rules calculators are GET forms: nothing to save, the page must still say what is missing.
GET_CASES = {
    "regime calculator's legal start": Case("tenders.forms.regime.RegimeCalculatorForm", "started_on", True,
                                            lambda world, at: (None, "/rules", {"calculator": "regime",
                                                                                "value": "250000"})),
    "standstill calculator's publication date": Case(
        "tenders.forms.regime.StandstillCalculatorForm", "published_on", True,
        lambda world, at: (None, "/rules", {"calculator": "standstill", "regime": "public_contract"})),
}


def _events(db) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def _boxes(html: str, field: str) -> list[str]:
    """What the day, month and year boxes of `field` show."""
    import re

    shown = []
    for part in ("day", "month", "year"):
        tag = re.search(rf'<input[^>]*id="{field}-{part}"[^>]*>', html)
        assert tag, f"no {part} box for {field}"
        value = re.search(r'value="([^"]*)"', tag.group(0))
        shown.append(unescape(value.group(1)) if value else "")
    return shown


def test_every_form_with_a_date_field_has_a_case_and_uses_the_projects_date_field():
    """A new date field anywhere fails here until it is the GOV.UK DateField from core.forms and has a case."""
    import wtforms

    for module in FORM_MODULES:
        importlib.import_module(module)
    found, foreign = set(), []

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    for cls in set(walk(AppForm)):
        for name, unbound in vars(cls).items():
            if isinstance(unbound, wtforms.fields.core.UnboundField) and \
                    issubclass(unbound.field_class, wtforms.DateField):
                found.add((f"{cls.__module__}.{cls.__name__}", name))
                if not issubclass(unbound.field_class, DateField):
                    foreign.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert not foreign, f"plain wtforms date fields: {foreign}"
    assert found == {(case.form, case.field) for case in (*CASES.values(), *GET_CASES.values())}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_partial_date_gives_a_field_error_keeps_what_was_typed_and_saves_nothing(app, client, db, world, auth,
                                                                                  at, name):
    case = CASES[name]
    person, url, other = case.prepare(world, at)
    assert auth.sign_in(person).status_code == 302
    token = csrf_token(client.get("/account").get_data(as_text=True))
    before = _events(db)
    for posted, shown in PARTIAL:
        response = client.post(url, data={**other, case.field: posted, "csrf_token": token})
        html = response.get_data(as_text=True)
        assert response.status_code in (200, 400), (name, posted, response.status_code)
        assert INCOMPLETE_DATE in unescape(html), (name, posted)
        assert _boxes(html, case.field) == shown, (name, posted)
        assert _events(db) == before, f"{name}: something was saved for {posted}"


@pytest.mark.parametrize("name", sorted(GET_CASES))
def test_a_partial_date_in_a_public_calculator_says_what_is_missing_and_keeps_what_was_typed(client, db, world, at,
                                                                                             name):
    case = GET_CASES[name]
    _person, url, other = case.prepare(world, at)
    for posted, shown in PARTIAL:
        response = client.get(url, query_string={**other, case.field: posted})
        html = response.get_data(as_text=True)
        assert response.status_code in (200, 400), (name, posted, response.status_code)
        assert INCOMPLETE_DATE in unescape(html), (name, posted)
        assert _boxes(html, case.field) == shown, (name, posted)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_date_field_left_out_of_the_request_never_crashes_the_page(app, client, db, world, auth, at, name):
    """No part at all: a required date says it is needed (nothing saved); an optional one is simply empty."""
    case = CASES[name]
    person, url, other = case.prepare(world, at)
    assert auth.sign_in(person).status_code == 302
    token = csrf_token(client.get("/account").get_data(as_text=True))
    before = _events(db)
    response = client.post(url, data={**other, "csrf_token": token})
    assert response.status_code < 500, (name, response.status_code)
    if case.required:
        assert response.status_code in (200, 400)
        assert _boxes(response.get_data(as_text=True), case.field) == ["", "", ""]
        assert _events(db) == before


def test_the_date_field_reads_whole_dates_and_says_which_are_not_real(app):
    from flask_wtf import FlaskForm
    from werkzeug.datastructures import MultiDict
    from wtforms.validators import Optional

    from core.forms import NOT_A_DATE

    class Form(FlaskForm):
        class Meta:
            csrf = False

        day = DateField("Day", validators=[Optional()])

    with app.test_request_context():
        assert Form(MultiDict([("day", "27"), ("day", "3"), ("day", "2027")])).day.data == date(2027, 3, 27)
        assert Form(MultiDict([("day", " 7 "), ("day", "03"), ("day", "2027")])).day.data == date(2027, 3, 7)
        wrong = Form(MultiDict([("day", "31"), ("day", "2"), ("day", "2027")]))
        assert not wrong.validate() and wrong.day.errors == [NOT_A_DATE]
        blank = Form(MultiDict([("day", ""), ("day", ""), ("day", "")]))
        assert blank.validate() and blank.day.data is None
        partial = Form(MultiDict([("day", ""), ("day", "3"), ("day", "2027")]))
        assert not partial.validate() and partial.day.errors == [INCOMPLETE_DATE]
        assert "2027" in partial.day()  # the widget renders what was typed
