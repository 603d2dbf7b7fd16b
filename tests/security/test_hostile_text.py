"""Text no XML or HTML document can carry: refused by every form, cleaned out of every feed, calendar and export.

One NUL in a thread title used to take /forums.atom down for everyone (lxml
refuses such characters). Forms now refuse them next to the field, keeping what
was typed; text already stored (written around the forms, or before the rule)
still reaches the feeds, the calendar and the exports, which must answer and
parse whatever the database holds.
"""
from __future__ import annotations

import csv
import importlib
import io
import json
from datetime import date, datetime, timedelta

import pytest
from lxml import etree
from lxml import html as lxml_html
from sqlalchemy import func, select, update

from core.text import UNSHOWABLE, refusal, unshowable_character, xml_safe
from tests.conftest import Auth, csrf_token
from tests.security.test_authorization_matrix import url_values  # noqa: F401  (a fixture)
from tests.security.xss_payloads import HOSTILE, HOSTILE_SHOWN
from tests.security.xss_payloads import UNSHOWABLE as UNSHOWABLE_CHARACTERS
from trail.models import AuditEvent

REFUSED = "Remove the hidden control character"
FORM_MODULES = ("core.forms", "accounts.forms", "oversight.forms", "forum.forms", "tenders.forms",
                "tenders.forms.codesign", "tenders.forms.conflicts", "tenders.forms.ledger", "tenders.forms.spinoffs",
                "outcomes.forms", "benchmarking.forms", "sufficiency.forms")


# ---------------------------------------------------------------- the one definition


def test_every_unshowable_character_is_refused_and_removed_and_nothing_else():
    for character in UNSHOWABLE_CHARACTERS:
        assert unshowable_character(f"ab{character}c") == (3, f"U+{ord(character):04X}")
        assert xml_safe(f"a{character}b") == "ab"
        assert refusal(f"a{character}") is not None
    ordinary = "Tab\tnewline\ncarriage return\r, £, “quotes”, émigré, 中文, emoji 🙂, U+00A0\u00a0, ZWJ\u200d"
    assert unshowable_character(ordinary) is None and xml_safe(ordinary) == ordinary and refusal(ordinary) is None
    assert xml_safe(None) is None and xml_safe(12) == 12
    assert UNSHOWABLE.sub("", HOSTILE) == HOSTILE_SHOWN


def test_what_xml_safe_leaves_is_accepted_by_lxml():
    element = etree.Element("title")
    with pytest.raises(ValueError):
        element.text = HOSTILE
    element.text = xml_safe(HOSTILE)
    assert etree.fromstring(etree.tostring(element)).text == HOSTILE_SHOWN


# ---------------------------------------------------------------- forms refuse it


def _all_form_classes():
    from core.forms import AppForm

    for module in FORM_MODULES:
        importlib.import_module(module)
    seen, stack = set(), [AppForm]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in seen and not sub.__module__.startswith("tests."):
                seen.add(sub)
                stack.append(sub)
    return sorted(seen, key=lambda cls: f"{cls.__module__}.{cls.__name__}")


def test_every_form_of_the_app_is_an_app_form():
    """So the refusal below reaches every form: a FlaskForm that is not an AppForm fails here."""
    from flask_wtf import FlaskForm

    from core.forms import AppForm

    _all_form_classes()
    seen, stack, outside = set(), [FlaskForm], []
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub in seen:
                continue
            seen.add(sub)
            stack.append(sub)
            if sub.__module__.split(".")[0] in {"accounts", "audit", "core", "forum", "tenders",
                                                   "outcomes"} and \
                    not issubclass(sub, AppForm):
                outside.append(f"{sub.__module__}.{sub.__name__}")
    assert not outside, outside


def test_every_text_field_of_every_form_refuses_unshowable_characters(app):
    """Each form, every text field filled with hostile text (nested rows too): each gets the field error."""
    from werkzeug.datastructures import MultiDict
    from wtforms import PasswordField, SelectFieldBase, StringField

    from core.forms import text_fields

    classes = _all_form_classes()
    assert len(classes) > 50
    checked = 0
    with app.test_request_context(method="POST"):
        for cls in classes:
            empty = cls(formdata=MultiDict(), meta={"csrf": False})
            names = [field.name for field in text_fields(empty)]
            data = MultiDict([(name, HOSTILE) for name in names])
            form = cls(formdata=data, meta={"csrf": False})
            for field in form:
                if isinstance(field, SelectFieldBase) and getattr(field, "choices", None) is None:
                    field.choices = []
            form.validate()
            for field in text_fields(form):
                assert isinstance(field, StringField) and not isinstance(field, PasswordField)
                assert any(REFUSED in message for message in field.errors), \
                    f"{cls.__module__}.{cls.__name__}.{field.name}: {field.errors}"
                assert field._value() == HOSTILE  # kept as typed, to be shown again
                checked += 1
            passwords = [field for field in form if isinstance(field, PasswordField)]
            assert all(not any(REFUSED in m for m in field.errors) for field in passwords)
    assert checked > 100


def _events(db) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def _signed_in(app, user):
    client = app.test_client()
    assert Auth(client).sign_in(user).status_code == 302
    return client


def _post(client, url, data):
    token = csrf_token(client.get("/account").get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def _assert_refused(response, db, before, fields: int = 1):
    html = response.get_data(as_text=True)
    assert response.status_code in (200, 400), response.status_code
    assert html.count(REFUSED) >= fields, html[:3000]
    assert "Hostile" in html  # what was typed is shown again
    assert _events(db) == before


def test_registering_with_hostile_names_is_refused_on_the_page(app, db):
    from accounts.models import User
    from tests.conftest import PASSWORD, submit

    client = app.test_client()
    before = _events(db)
    response = submit(client, "/register", {
        "full_name": HOSTILE, "email": "hostile@example.org", "job_title": HOSTILE, "password": PASSWORD,
        "password_confirm": PASSWORD, "organisation": "new", "org_name": HOSTILE, "org_kind": "provider",
        "provider_type": "independent", "council": "", "region": "North West"})
    _assert_refused(response, db, before, fields=3)
    assert db.session.scalar(select(User).where(User.email == "hostile@example.org")) is None


def test_forum_forms_refuse_hostile_text_and_save_nothing(app, db, people):
    from forum import services as forum
    from forum.models import Thread

    owner, member = people["owning_commissioner"], people["provider_a"]
    place = forum.create_forum(owner, forum.ForumDetails(title="Plain forum", remit_md="x", region="North West",
                                                         categories=["fostering"]))
    forum.join_forum(place, member)
    thread = forum.start_thread(place, member, "A plain thread", "Hello.")
    owner_client, member_client = _signed_in(app, owner), _signed_in(app, member)
    before = _events(db)
    _assert_refused(_post(owner_client, "/forums/new", {
        "title": HOSTILE, "remit": HOSTILE, "region": "North West", "categories": "fostering"}), db, before, 2)
    _assert_refused(_post(member_client, f"/forums/{place.slug}/threads/new",
                          {"title": HOSTILE, "body": HOSTILE}), db, before, 2)
    _assert_refused(_post(member_client, f"/forums/{place.slug}/threads/{thread.id}/reply",
                          {"body": HOSTILE}), db, before)
    day = date.today() + timedelta(days=20)
    _assert_refused(_post(owner_client, f"/forums/{place.slug}/meetings/new", {
        "title": HOSTILE, "date": [str(day.day), str(day.month), str(day.year)], "start_time": "10:00",
        "end_time": "11:00", "mode": "in_person", "location": HOSTILE, "agenda": "Agenda", "capacity": "5"}),
        db, before, 2)
    from core.clock import utcnow

    starts = utcnow() + timedelta(days=20)
    meeting = forum.schedule_meeting(place, owner, forum.MeetingDetails(
        title="Plain meeting", starts_at=starts, ends_at=starts + timedelta(hours=1), mode="in_person",
        location="Hall", online_link="", agenda_md="Agenda", capacity=5))
    db.session.commit()
    before = _events(db)
    _assert_refused(_post(owner_client, f"/meetings/{meeting.id}/edit", {
        "title": HOSTILE, "date": [str(day.day), str(day.month), str(day.year)], "start_time": "10:00",
        "end_time": "11:00", "mode": "in_person", "location": HOSTILE, "agenda": HOSTILE, "capacity": "5"}),
        db, before, 3)
    db.session.refresh(meeting)
    assert meeting.title == "Plain meeting"
    assert db.session.scalar(select(func.count()).select_from(Thread).where(Thread.forum_id == place.id)) == 1


def test_tender_forms_and_sealed_commitments_refuse_hostile_text(app, db, org_factory, user_factory):
    from core import clock
    from tenders.models import Procurement
    from tests.unit.tenders.builders import T0, in_tender, make_world

    world = make_world(org_factory, user_factory)
    p = in_tender(world)
    clock.set_now(T0 + timedelta(days=1))
    try:
        commissioner, provider = _signed_in(app, world.c1), _signed_in(app, world.p1)
        before = _events(db)
        count = db.session.scalar(select(func.count()).select_from(Procurement))
        _assert_refused(_post(commissioner, "/tenders/new", {"title": HOSTILE, "category": "childrens_homes",
                                                             "region": HOSTILE, "subject_md": HOSTILE}), db, before, 3)
        assert db.session.scalar(select(func.count()).select_from(Procurement)) == count
        _assert_refused(_post(provider, f"/tenders/{p.id}/clarifications", {"question": HOSTILE}), db, before)
        commitments = {f"commitment-{o.id}": "We commit." for o in p.published_version.outcomes}
        commitments |= {f"answer-{c.id}": "Our answer." for c in p.criteria if c.kind == "quality"}
        first = p.published_version.outcomes[0]
        commitments[f"commitment-{first.id}"] = HOSTILE
        response = _post(provider, f"/tenders/{p.id}/respond",
                         {"method_statement": "Our method.", "price": "1000000", **commitments})
        html = response.get_data(as_text=True)
        assert response.status_code in (200, 400) and REFUSED in html and f"outcome {first.position}" in html
        assert _events(db) == before
        for draft in ({"method_statement": HOSTILE, "price": "", "save_draft": "Save as a draft"},
                      {"method_statement": "Ours", "price": "", "save_draft": "Save as a draft", **commitments}):
            response = _post(provider, f"/tenders/{p.id}/respond", draft)
            assert response.status_code == 400 and REFUSED in response.get_data(as_text=True)
        assert _events(db) == before
    finally:
        clock.set_now(None)


# ---------------------------------------------------------------- feeds, calendar and exports clean it


def store_everywhere(db, people, text: str) -> dict:
    """`text` stored everywhere the feeds and exports read: some through the services (so the audit trail's
    summaries hold it too), the rest written straight into the tables, as a migration or a bug might.
    Returns route arguments pointing at what was made."""
    from accounts.models import Organisation, User
    from core.clock import utcnow
    from forum import services as forum
    from forum.models import Forum, Meeting, NeedStatement, Post, Thread
    from tenders.models import Procurement
    from tests.unit.audit_ocds.builders import engaged_by
    from tests.unit.outcomes.builders import hostile_outcomes

    if db.session.get_bind().dialect.name == "postgresql":
        text = text.replace("\x00", "")  # the one character PostgreSQL cannot store at all; the rest it can
    owner, member = people["owning_commissioner"], people["provider_a"]
    place = forum.create_forum(owner, forum.ForumDetails(title=text, remit_md=text, region="North West",
                                                         categories=["fostering"]), confirmed_no_child_data=True)
    forum.join_forum(place, member)
    thread = forum.start_thread(place, member, text, text, confirmed_no_child_data=True)
    forum.reply(thread, owner, text, confirmed_no_child_data=True)
    need = forum.publish_need(place, owner, forum.NeedDetails(
        title=text, cohort_size=3, age_bands=["11-15"], items=[("safety", "high", "daily")],
        current_provision_md=text, gaps_md=text, outcomes_md=text, budget_min=None, budget_max=None,
        timescale=text), confirmed_no_child_data=True)
    starts = utcnow() + timedelta(days=3)
    meeting = forum.schedule_meeting(place, owner, forum.MeetingDetails(
        title=text, starts_at=starts, ends_at=starts + timedelta(hours=1), mode="in_person", location=text,
        online_link="", agenda_md=text, capacity=5), confirmed_no_child_data=True)
    cancelled = forum.schedule_meeting(place, owner, forum.MeetingDetails(
        title=text, starts_at=starts, ends_at=starts + timedelta(hours=1), mode="in_person", location=text,
        online_link="", agenda_md="Agenda", capacity=5), confirmed_no_child_data=True)
    forum.cancel_meeting(cancelled, owner, text)
    procurement = engaged_by(owner, title=text)
    # A published benchmark run with provider A's reply beside its figures.
    from benchmarking import services as benchmarking
    from benchmarking.models import BenchmarkReply
    from core import clock
    from tests.unit.benchmarking.runs_builders import make_run

    run = make_run([(people[p].organisation, "independent") for p in ("provider_a", "provider_b", "in_house_provider")],
                   owner.organisation, when=datetime(2026, 6, 1, 10, 0))
    clock.set_now(datetime(2026, 6, 2, 10, 0))
    try:
        reply = benchmarking.save_reply(run, member, text, confirmed_not_child_data=True)
    finally:
        clock.set_now(None)
    contract = hostile_outcomes(people, text)
    statement = _store_sufficiency(owner, member, text)
    # Straight into the tables, past every service.
    db.session.execute(update(BenchmarkReply).where(BenchmarkReply.id == reply.id).values(note=text + " (stored)"))
    for model, row_id in ((Forum, place.id), (Thread, thread.id), (NeedStatement, need.id), (Meeting, meeting.id)):
        db.session.execute(update(model).where(model.id == row_id).values(title=text + " (stored)"))
    db.session.execute(update(Meeting).where(Meeting.id == meeting.id).values(location=text + " (stored)"))
    db.session.execute(update(Post).where(Post.thread_id == thread.id).values(body_md=text + " (stored)"))
    db.session.execute(update(Procurement).where(Procurement.id == procurement.id).values(title=text))
    db.session.execute(update(Organisation).where(Organisation.id == owner.organisation_id).values(name=text))
    db.session.execute(update(User).where(User.id == member.id).values(full_name=text))
    db.session.expire_all()
    return {"slug": place.slug, "ident": procurement.id, "procurement_id": procurement.id, "need_id": need.id,
            "meeting_id": meeting.id, "statement_id": statement.id,
            "contract_id": contract.id}


def _store_sufficiency(owner, member, text: str):
    """A setting, a forecast, a run and a market position statement, each named with the text."""
    from sufficiency import analysis, capacity, forecasts, statements

    owner.organisation.gss_code = "E10000017"
    capacity.declare_setting(member, capacity.SettingDetails(
        name=text, area_code="E10000017", setting_type="childrens_home", categories=["behaviour"],
        highest_intensity="high", registered_places=3, age_from=10, age_to=17))
    forecasts.upload_forecast(owner, title=text, filename=text, confirmed_no_child_data=True,
                              data=b"area,category,intensity,horizon,count\nE10000017,behaviour,high,now,6\n")
    run = analysis.run_analysis(owner, name=text)
    return statements.publish_statement(owner, title=text, narrative_md=text, run=run, confirmed_no_child_data=True)


@pytest.fixture
def hostile_world(db, people):
    return store_everywhere(db, people, HOSTILE)


def _check_document(path: str, response, problems: list[str]) -> str:
    """Parse one feed, calendar or export by its type; return its text."""
    from icalendar import Calendar

    body = response.get_data()
    text = body.decode("utf-8")
    kind = response.mimetype
    try:
        if kind == "application/atom+xml":
            etree.fromstring(body)
        elif kind == "text/calendar":
            Calendar.from_ical(body)
        elif kind == "application/json":
            json.loads(text)
        elif kind == "text/csv":
            list(csv.reader(io.StringIO(text)))
        elif kind == "text/html":
            lxml_html.document_fromstring(text)
        else:
            problems.append(f"{path}: unexpected type {kind}")
    except Exception as exc:
        problems.append(f"{path}: does not parse as {kind}: {exc}")
    if kind != "application/json" and unshowable_character(text) is not None:
        problems.append(f"{path}: still holds {unshowable_character(text)}")
    return text


def _document_routes(app) -> list:
    """Every feed, calendar and export: the routes that answer something other than a page."""
    suffixes = (".atom", ".ics", ".csv", ".json", "record.html")
    return [rule for rule in app.url_map.iter_rules() if "GET" in rule.methods and rule.endpoint != "api.unknown"
            and (rule.rule.endswith(suffixes) or rule.rule.startswith("/api/v1/"))]


def fetch_documents(app, people, values: dict) -> tuple[list[str], dict[str, str]]:
    """Every feed, calendar and export (each register in both forms), fetched by an auditor (with an API token
    for the API) and parsed: the problems found, and each document's text by path."""
    from accounts import services as account_services
    from core.clock import utcnow
    from oversight import registers
    from tests.security.test_authorization_matrix import _url

    auditor = _signed_in(app, people["auditor"])
    _token, raw = account_services.create_api_token(people["auditor"], name="Export check", expires_on=None,
                                                    now=utcnow())
    headers = {"Authorization": f"Bearer {raw}"}
    problems, shown, reached = [], {}, set()
    for rule in _document_routes(app):
        slugs = [r.slug for r in registers.REGISTERS] if "register" in rule.arguments else [None]
        for slug in slugs:
            path = _url(app, rule, {**values, "register": slug})
            response = auditor.get(path, headers=headers if path.startswith("/api/") else {})
            if response.status_code == 404 and rule.endpoint == "api.procurement_award":
                continue  # in engagement: no award notice yet
            if response.status_code != 200:
                problems.append(f"{path}: {response.status_code}")
                continue
            reached.add(rule.endpoint)
            shown[path] = _check_document(path, response, problems)
    expected = {rule.endpoint for rule in _document_routes(app)} - {"api.procurement_award"}
    if not expected <= reached:
        problems.append(f"not reached: {sorted(expected - reached)}")
    return problems, shown


def test_every_feed_calendar_and_export_answers_and_parses_with_hostile_text_stored(app, db, people, hostile_world):
    problems, shown = fetch_documents(app, people, hostile_world)
    assert not problems, "\n".join(problems[:40])
    slug = hostile_world["slug"]
    for path in ("/forums.atom", f"/forums/{slug}/feed.atom", f"/forums/{slug}/meetings.ics", "/tenders.atom",
                 "/audit/export.csv", "/audit/feed.atom", "/api/v1/benchmarks.csv"):
        assert "Hostile NUL" in shown[path], f"{path} lost the text around the removed characters"


QUERY_NAMES = ("q", "region", "category", "stage", "band", "status", "kind", "action", "actor", "organisation",
               "procurement", "date_from", "date_to", "email", "next", "section", "page", "quote", "a", "b", "checked",
               "from", "to", "cursor", "limit", "procurement_id", "organisation_id", "period")


@pytest.mark.parametrize("persona", ("anonymous", "owning_commissioner", "auditor"))
def test_unshowable_characters_in_any_query_string_never_give_a_server_error(app, persona, sign_in_as,
                                                                             url_values):
    """Filters and searches read text straight from the address: PostgreSQL cannot take a NUL even in a query."""
    from urllib.parse import urlencode

    from tests.security.test_authorization_matrix import _url

    client = sign_in_as(persona)
    query = urlencode({name: f"x{UNSHOWABLE_CHARACTERS}y" for name in QUERY_NAMES})
    problems = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or \
                any(name not in url_values for name in rule.arguments):
            continue
        path = _url(app, rule, url_values)
        response = client.get(f"{path}?{query}")
        response.close()
        if response.status_code >= 500:
            problems.append(f"{path}: {response.status_code}")
    assert not problems, f"as {persona}:\n" + "\n".join(problems)
