"""Every route of the app, tried as eight different people.

The expectations are written per endpoint; a route that has none fails the
test, so nobody can add a page without saying who may see it.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.security.conftest import PERSONAS
from tests.unit.audit_ocds.builders import engaged_by
from trail.models import AuditEvent

EVERYONE = set(PERSONAS)
SIGNED_IN = EVERYONE - {"anonymous"}
ADMIN = {"admin"}
AUDIT = {"auditor", "admin"}

# endpoint -> (who may GET it, status for those who may). Who may not: anonymous
# visitors are sent to sign in (302) or refused; signed-in people get 403.
GET_EXPECTATIONS: dict[str, tuple[set[str], set[int]]] = {
    "core.home": (EVERYONE, {200}),
    "core.healthz": (EVERYONE, {200}),
    "probes.readyz": (EVERYONE, {200}),
    # Loopback (the test client's address) or METRICS_TOKEN: tests/functional/test_readiness_metrics_logs.py
    # shows any other address refused.
    "probes.metrics": (EVERYONE, {200}),
    "core.favicon": (EVERYONE, {200}),
    "static": (EVERYONE, {200}),
    "accounts.register": (EVERYONE, {200, 302}),
    "accounts.check_email": (EVERYONE, {200}),
    "accounts.confirm_email": (EVERYONE, {200}),
    "accounts.resend_confirmation": (EVERYONE, {200}),
    "accounts.sign_in": (EVERYONE, {200, 302}),
    "accounts.sign_in_two_factor": (EVERYONE, {302}),
    "accounts.forgot_password": (EVERYONE, {200}),
    "accounts.reset_password": (EVERYONE, {400}),
    "accounts.organisations": (EVERYONE, {200}),
    "accounts.organisation": (EVERYONE, {200}),
    "accounts.organisation_legal_form": ({"admin", "provider_a"}, {200}),  # the org_id below is provider_a's
    "accounts.account": (SIGNED_IN, {200}),
    "accounts.two_factor_setup": (SIGNED_IN, {200, 302}),
    "accounts.admin_organisations": (ADMIN, {200}),
    "accounts.admin_organisation": (ADMIN, {200}),
    "accounts.admin_users": (ADMIN, {200}),
    "audit.trail": (AUDIT, {200}),
    "audit.event": (AUDIT, {200}),
    "audit.verify": (AUDIT, {200}),
    "audit.checkpoints_json": (EVERYONE, {200}),
    "audit.public_key": (EVERYONE, {200, 404}),  # 404 until the first checkpoint is signed
    "audit.public_feed": (EVERYONE, {200}),
    "audit.checkpoints_feed": (EVERYONE, {200}),
    "audit.public_keys": (EVERYONE, {200, 404}),  # 404 until the first checkpoint is signed
    "audit.export_csv": (AUDIT, {200}),
    "audit.export_json": (AUDIT, {200}),
    "audit.procurements": (AUDIT, {200}),
    "audit.procurement_record": (AUDIT, {200}),
    "audit.procurement_record_csv": (AUDIT, {200}),
    "audit.procurement_record_html": (AUDIT, {200}),
    "audit.registers_index": (AUDIT, {200}),
    "audit.register_page": (AUDIT, {200}),
    "audit.register_csv": (AUDIT, {200}),
    "audit.register_json": (AUDIT, {200}),
    "audit.attention": (AUDIT, {200}),
    # Registers in the API need an auditor's bearer token; the browser session is ignored, so everyone here is
    # a 401 (tokens: tests/functional/audit/test_registers_pages.py).
    "api.registers_list": (EVERYONE, {401}),
    "api.register_rows": (EVERYONE, {401}),
    "api.ocds_releases": (EVERYONE, {200}),
    "api.ocds_procurement": (EVERYONE, {200}),
    "api.unknown": (EVERYONE, {404}),  # any other path under /api/v1: a JSON 404
    # The JSON API ignores the browser session (identity comes from a bearer token only), so everyone
    # sees the public data; tests/functional/api tries the tokens.
    "api.openapi": (EVERYONE, {200}),
    "api.forums": (EVERYONE, {200}),
    "api.forum": (EVERYONE, {200}),
    "api.needs": (EVERYONE, {200}),
    "api.need": (EVERYONE, {200}),
    "api.procurements_list": (EVERYONE, {200}),
    "api.procurement": (EVERYONE, {200}),
    "api.clarifications": (EVERYONE, {200}),
    "api.award_notices": (EVERYONE, {200}),
    "api.procurement_award": (EVERYONE, {404}),  # the procurement below is in engagement: no award notice yet
    "api.rules_regime": (EVERYONE, {200}),
    "api.rules_standstill": (EVERYONE, {200}),
    "accounts.api_tokens": ({"owning_commissioner", "other_commissioner", "auditor"}, {200}),
    "benchmarks.index": (EVERYONE, {200}),
    "benchmarks.provider": (EVERYONE, {200}),
    "benchmarks.council": (EVERYONE, {200}),
    "benchmarks.reply": ({"provider_a", "provider_b", "in_house_provider"}, {200}),
    "api.benchmarks": (EVERYONE, {200}),
    "api.benchmarks_csv": (EVERYONE, {200}),
    "api.benchmarks_method": (EVERYONE, {200}),
}

OWNER = {"owning_commissioner"}
COMMISSIONERS = {"owning_commissioner", "other_commissioner"}
MODERATORS = {"owning_commissioner", "admin"}
FORUM_MEMBERS = {"provider_a", "owning_commissioner"}  # the world below: A joined, the owner runs it

GET_EXPECTATIONS.update({
    "forum.forums": (EVERYONE, {200}),
    "forum.forum": (EVERYONE, {200}),
    "forum.thread": (EVERYONE, {200}),
    "forum.post_permalink": (EVERYONE, {302}),
    "forum.revisions": (EVERYONE, {200}),
    "forum.diff": (EVERYONE, {200, 400}),
    "forum.moderation_log": (EVERYONE, {200}),
    "forum.needs": (EVERYONE, {200}),
    "forum.need": (EVERYONE, {302}),  # a need statement lives on its own thread page
    "forum.meeting": (EVERYONE, {200}),
    "forum.attachment": (EVERYONE, {200}),
    "forum.all_forums_feed": (EVERYONE, {200}),
    "forum.forum_feed": (EVERYONE, {200}),
    "forum.meetings_ics": (EVERYONE, {200}),
    "forum.meetings": (EVERYONE, {200}),
    "forum.upcoming_meetings_ics": (EVERYONE, {200}),
    "forum.meeting_ics": (EVERYONE, {200}),
    "forum.search": (EVERYONE, {200}),
    "forum.new_forum": (COMMISSIONERS, {200}),
    "forum.edit_forum": (OWNER, {200}),
    "forum.new_need": (OWNER, {200}),
    "forum.edit_need": (OWNER, {200}),
    "forum.new_meeting": (OWNER, {200}),
    "forum.edit_meeting": (OWNER, {200}),
    "forum.reports": (MODERATORS, {200}),
    "forum.new_thread": (FORUM_MEMBERS, {200}),
    "forum.edit_post": ({"provider_a"}, {200}),  # the author
    "forum.report_post": (FORUM_MEMBERS, {200}),
    "forum.hide_post": (MODERATORS, {200}),
    "accounts.notifications_list": (SIGNED_IN, {200}),
    "accounts.my_work": (SIGNED_IN, {200}),
    "accounts.open_notification": ({"provider_a"}, {302}),  # provider A's own notification
    "forum.notification_settings": (SIGNED_IN, {200}),
})

# Sufficiency: the analysis, settings and statements are public; a setting's vacancies are for the provider
# that runs it (provider_a, below) and commissioners only; forecasts, runs and statements are commissioners'.
PROVIDERS = {"provider_a", "provider_b", "in_house_provider"}
VACANCY_READERS = {"provider_a"} | COMMISSIONERS
GET_EXPECTATIONS.update({
    "sufficiency.overview": (EVERYONE, {200}),
    "sufficiency.settings": (PROVIDERS | COMMISSIONERS, {200}),
    "sufficiency.new_setting": (PROVIDERS, {200}),
    "sufficiency.setting": (EVERYONE, {200}),
    "sufficiency.setting_vacancies": (VACANCY_READERS, {200}),
    "sufficiency.edit_setting": ({"provider_a"}, {200}),
    "sufficiency.register_import": (COMMISSIONERS | ADMIN, {200}),
    "sufficiency.forecasts_page": (COMMISSIONERS, {200}),
    "sufficiency.correct_forecast": (OWNER, {200}),
    "sufficiency.new_run": (COMMISSIONERS, {200}),
    "sufficiency.run": (EVERYONE, {200}),
    "sufficiency.new_statement": (COMMISSIONERS, {200}),
    "sufficiency.statement": (EVERYONE, {200}),
    "sufficiency.statement_pdf": (EVERYONE, {200}),
    "sufficiency.statements_feed": (EVERYONE, {200}),
    "api.sufficiency": (EVERYONE, {200}),
    "api.sufficiency_csv": (EVERYONE, {200}),
})

# POST-only endpoints: who may (the rest are refused before any change).
POST_ONLY_EXPECTATIONS: dict[str, set[str]] = {
    "sufficiency.attach_statement": OWNER,
    "audit.checkpoint_emails": {"auditor"},
    "accounts.sign_out": SIGNED_IN,
    "accounts.admin_assign_role": ADMIN,
    "accounts.admin_account_action": ADMIN,
    "accounts.revoke_api_token": {"owning_commissioner"},  # the holder of the token in url_values
    "forum.forum_status": OWNER,
    "forum.dismiss_report": MODERATORS,
    "forum.cancel_meeting": OWNER,
    "forum.attendance": OWNER,
    "forum.minutes": OWNER,
    "forum.add_document": OWNER,
    "forum.watch_forum": FORUM_MEMBERS,
    "forum.watch_thread": FORUM_MEMBERS,
    "accounts.read_notifications": SIGNED_IN,
    # Any provider (the in-house unit included) or another council may join; owners already run it.
    "forum.join": {"provider_a", "provider_b", "in_house_provider", "other_commissioner"},
    "forum.register": FORUM_MEMBERS,
    # Open to every signed-in person; the service then says whether it applies to them
    # (a clear message rather than a 403): leaving, replying, cancelling a registration.
    "forum.leave": SIGNED_IN,
    "forum.reply": SIGNED_IN,
    "forum.cancel_registration": SIGNED_IN,
    # A private contact naming no procurement, between provider A and the owning council while it has a
    # procurement in engagement: only that council's commissioners say it is not about any live procurement.
    "tenders.ledger_not_about_live": OWNER,
    "benchmarks.start_run": ADMIN,
}


def _forum_world(people) -> dict:
    """A forum run by the owning council, joined by provider A, with one of everything in it."""
    from datetime import timedelta

    from core.clock import utcnow
    from forum import services as forum
    from forum.attachments import Upload

    owner, member = people["owning_commissioner"], people["provider_a"]
    place = forum.create_forum(owner, forum.ForumDetails(
        title="Matrix forum", remit_md="For the authorisation matrix.", region="North West",
        categories=["fostering"]))
    forum.join_forum(place, member)
    thread = forum.start_thread(place, member, "A thread", "First post.",
                                attachment=Upload("figures.csv", b"a,b\n1,2\n"))
    from core.extensions import db
    from forum.models import Attachment, Post

    post = db.session.scalars(select(Post).where(Post.thread_id == thread.id)).one()
    attachment = db.session.scalars(select(Attachment).where(Attachment.post_id == post.id)).one()
    forum.edit_post(post, member, "First post, edited.")
    report = forum.report_post(post, owner, "Testing the report route")
    need = forum.publish_need(place, owner, forum.NeedDetails(
        title="A need", cohort_size=5, age_bands=["11-15"], items=[("safety", "high", "daily")],
        current_provision_md="Some.", gaps_md="Some gaps.", outcomes_md="Better outcomes.", budget_min=1000,
        budget_max=2000, timescale="Next year"))
    starts = utcnow() + timedelta(days=10)
    meeting = forum.schedule_meeting(place, owner, forum.MeetingDetails(
        title="A meeting", starts_at=starts, ends_at=starts + timedelta(hours=1), mode="in_person",
        location="Town hall", online_link="", agenda_md="Agenda", capacity=10))
    return {"slug": place.slug, "thread_id": thread.id, "post_id": post.id, "report_id": report.id,
            "need_id": need.id, "meeting_id": meeting.id, "attachment_id": attachment.id}


@pytest.fixture
def url_values(people, db):
    """Arguments for every route, pointing at real rows."""
    first_event = db.session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq))
    published = engaged_by(people["owning_commissioner"], title="A published procurement")  # OCDS and record routes
    return {
        "filename": "css/app.css",
        "token": "not-a-real-token",
        "org_id": people["provider_a"].organisation_id,
        "council_id": people["owning_commissioner"].organisation_id,
        "user_id": people["provider_b"].id,
        "seq": first_event,
        "ident": published.id,
        "procurement_id": published.id,
        "unknown_path": "no/such/resource",
        "register": "contacts",
        "token_id": _api_token_of(people["owning_commissioner"]),
        "contact_id": _untagged_contact(people),
        "notification_id": _notification_for(people["provider_a"]),
        **_forum_world(people),
        **_sufficiency_world(people),
    }


def _sufficiency_world(people) -> dict:
    from datetime import date

    from sufficiency import analysis, capacity, forecasts, statements

    people["owning_commissioner"].organisation.gss_code = "E10000017"
    setting = capacity.declare_setting(people["provider_a"], capacity.SettingDetails(
        name="Matrix home", area_code="E10000017", setting_type="childrens_home", categories=["behaviour"],
        highest_intensity="high", registered_places=4, age_from=10, age_to=17, vacancies=1,
        vacancies_confirmed_on=date(2026, 11, 30)))
    forecast = forecasts.upload_forecast(people["owning_commissioner"], title="Matrix forecast", filename="f.csv",
                                         data=b"area,category,intensity,horizon,count\nE10000017,behaviour,high,now,7\n")
    run = analysis.run_analysis(people["owning_commissioner"], name="Matrix run")
    statement = statements.publish_statement(people["owning_commissioner"], title="Matrix statement",
                                             narrative_md="Our market.", run=run)
    return {"setting_id": setting.id, "forecast_id": forecast.id, "run_id": run.id, "statement_id": statement.id}


def _untagged_contact(people) -> int:
    """Provider A writes to the owning council, picking no procurement, while its procurement is in engagement."""
    from datetime import timedelta

    from tenders.services import ledger
    from tests.unit.audit_ocds.builders import ENGAGED

    conversation = ledger.start_conversation(people["provider_a"],
                                             organisation=people["owning_commissioner"].organisation,
                                             procurement=None, subject="A word", body_md="Can we talk?",
                                             now=ENGAGED + timedelta(days=1))
    [contact] = ledger.contacts_of(conversation)
    assert contact.procurement_id is None
    return contact.id


def _notification_for(user) -> int:
    from accounts.models import Notification
    from accounts.notifications import notify
    from core.extensions import db

    notify([user], title="Something for provider A", url="/tenders", event="matrix.test")
    return db.session.scalar(select(Notification.id).where(Notification.user_id == user.id,
                                                          Notification.event == "matrix.test"))


def _api_token_of(user) -> int:
    from accounts import services as account_services
    from core.clock import utcnow

    token, _raw = account_services.create_api_token(user, name="Matrix token", expires_on=None, now=utcnow())
    return token.id


def _url(app, rule, values):
    missing = [name for name in rule.arguments if name not in values]
    assert not missing, f"no test value for {missing} in {rule.rule}"
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})


def test_every_route_has_an_expectation(app):
    """Tenders routes are tried in tests/functional/tenders/test_route_matrix.py (on a live tender with a sealed
    response) and its per-topic companions test_<topic>_route_matrix.py; contract outcome routes in
    tests/functional/outcomes/test_outcomes_route_matrix.py (on a running contract); every other route here."""
    import importlib

    from tests.functional.tenders import test_route_matrix as tenders_matrix

    matrices = [tenders_matrix] + [importlib.import_module(f"tests.functional.tenders.test_{topic}_route_matrix")
                                   for topic in tenders_matrix.TOPICS]
    matrices.append(importlib.import_module("tests.functional.outcomes.test_outcomes_route_matrix"))
    covered = set(GET_EXPECTATIONS) | set(POST_ONLY_EXPECTATIONS)
    for matrix in matrices:
        covered |= set(matrix.GET_EXPECTATIONS) | set(matrix.POST_ONLY_EXPECTATIONS)
    missing = {rule.endpoint for rule in app.url_map.iter_rules()} - covered
    assert not missing, f"routes without an authorisation expectation: {sorted(missing)}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_get_routes_answer_each_person_as_expected(app, persona, sign_in_as, url_values):
    client = sign_in_as(persona)
    problems = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint not in GET_EXPECTATIONS:
            continue  # tenders routes: see tests/functional/tenders/test_route_matrix.py
        allowed, ok_statuses = GET_EXPECTATIONS[rule.endpoint]
        url = _url(app, rule, url_values)
        response = client.get(url)
        response.close()
        if persona in allowed:
            if response.status_code not in ok_statuses:
                problems.append(f"{url}: expected {ok_statuses}, got {response.status_code}")
        elif persona == "anonymous":
            if not (response.status_code in (401, 403) or
                    (response.status_code == 302 and "/sign-in" in response.headers["Location"])):
                problems.append(f"{url}: anonymous should be sent to sign in, got {response.status_code}")
        elif response.status_code != 403:
            problems.append(f"{url}: expected 403, got {response.status_code}")
    assert not problems, f"as {persona}:\n" + "\n".join(problems)


@pytest.mark.parametrize("endpoint", sorted(POST_ONLY_EXPECTATIONS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_post_only_routes_refuse_everyone_not_allowed(app, persona, endpoint, sign_in_as, url_values):
    """One route, one person, a fresh world: what one POST changes never colours the next."""
    from tests.conftest import csrf_token

    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint]
    assert rules, f"{endpoint} is not a route any more"
    client = sign_in_as(persona)
    token = csrf_token(client.get("/sign-in" if persona == "anonymous" else "/account").get_data(as_text=True))
    url = _url(app, rules[0], url_values)
    response = client.post(url, data={"csrf_token": token})
    allowed = persona in POST_ONLY_EXPECTATIONS[endpoint]
    if allowed:
        assert response.status_code not in (401, 403) and response.status_code < 500, \
            f"POST {url} as {persona}: allowed but got {response.status_code}"
    elif persona == "anonymous":
        assert response.status_code in (401, 403) or "/sign-in" in response.headers.get("Location", ""), \
            f"POST {url}: anonymous not refused ({response.status_code})"
    else:
        assert response.status_code == 403, f"POST {url} as {persona}: expected 403, got {response.status_code}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_councils_commissioner_can_mark_a_contact_not_about_any_live_procurement(
        app, db, persona, sign_in_as, url_values):
    """With a reason given, the owning council's commissioner resolves the contact; everyone else is refused,
    the signed-in refusals are audited, and the contact stays on the council's list."""
    from tenders.models.ledger import Contact
    from tests.conftest import csrf_token

    client = sign_in_as(persona)
    token = csrf_token(client.get("/sign-in" if persona == "anonymous" else "/account").get_data(as_text=True))
    contact_id = url_values["contact_id"]
    response = client.post(f"/messages/contacts/{contact_id}/not-about-live-procurement",
                           data={"csrf_token": token, "notlive-reason": "Arranging a visit to an existing home."})
    contact = db.session.get(Contact, contact_id)
    db.session.refresh(contact)
    if persona == "owning_commissioner":
        assert response.status_code == 302 and contact.resolution == "not_about_live_procurement"
        return
    assert contact.resolution is None
    if persona == "anonymous":
        assert response.status_code in (401, 403) or "/sign-in" in response.headers.get("Location", "")
        return
    assert response.status_code == 403
    refused = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "security.refused")
                                 .order_by(AuditEvent.seq.desc())).first()
    assert refused is not None and "ledger.contact.not_about_live_procurement" in refused.payload


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_settings_vacancies_show_only_to_its_provider_and_commissioners(persona, sign_in_as, url_values):
    page = sign_in_as(persona).get(f"/sufficiency/settings/{url_values['setting_id']}").get_data(as_text=True)
    assert ('id="vacancies"' in page) is (persona in VACANCY_READERS)
