"""The procurement record (PA 2023 s.98): every event of one procurement, filterable, printable, exportable."""
from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.clock import utcnow
from tests.unit.audit_ocds import builders as b
from trail.events import shown
from trail.models import AuditEvent

STAGE_ACTIONS = ["procurement.created", "engagement.notice_published", "tender.published", "response.submitted",
                 "responses.opened", "evaluation.scored", "evaluation.consensus_recorded", "award.notice_published",
                 "contract.entered"]


@pytest.fixture
def auditor(user_factory, auth):
    person = user_factory("auditor")
    auth.sign_in(person)
    return person


@pytest.fixture
def contracted(people):
    other = b.tendered(people, title="Another procurement")
    return b.contracted(people), other


def events_of(db, procurement_id: int) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.procurement_id == procurement_id)
                                   .order_by(AuditEvent.seq)))


def listed_seqs(html: str) -> list[int]:
    return [int(seq) for seq in re.findall(r'href="/audit/events/(\d+)"', html)]


def test_record_lists_every_event_of_the_procurement_in_order_with_link_and_hash(client, db, auditor, contracted):
    p, other = contracted
    response = client.get(f"/audit/procurements/{p.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    events = events_of(db, p.id)
    assert listed_seqs(html) == [e.seq for e in events]
    for event in events:
        assert event.hash in html
    assert not set(listed_seqs(html)) & {e.seq for e in events_of(db, other.id)}
    # From the first event through engagement, tender, evaluation, award and contract, in that order.
    positions = [next(i for i, e in enumerate(events) if e.action == action) for action in STAGE_ACTIONS]
    assert positions == sorted(positions)
    table = html[html.index("<table"):]
    assert table.index("procurement.created") < table.index("contract.entered")


def test_record_filters_by_one_action_or_a_whole_domain_chosen_from_the_registry(client, db, auditor, contracted):
    p, _ = contracted
    html = client.get(f"/audit/procurements/{p.id}?action=evaluation.scored").get_data(as_text=True)
    expected = [e.seq for e in events_of(db, p.id) if e.action == "evaluation.scored"]
    assert expected and listed_seqs(html) == expected
    assert '<option value="evaluation.scored" selected>Procurements: An evaluator scored a response' in html
    accounts = client.get(f"/audit/procurements/{p.id}?action=domain:Accounts and sign-in").get_data(as_text=True)
    assert listed_seqs(accounts) == [e.seq for e in events_of(db, p.id) if e.action.split(".")[0] in
                                     ("account", "auth", "organisation", "api_token")]


def test_record_filters_by_acting_organisation(client, db, auditor, contracted, people):
    p, _ = contracted
    org = people.p1.organisation_id
    html = client.get(f"/audit/procurements/{p.id}?organisation={org}").get_data(as_text=True)
    # A bidder's sealed events name its organisation in their payload, shown once the responses are opened.
    expected = [e.seq for e in shown(events_of(db, p.id)) if e.actor_org_id == org]
    assert expected and listed_seqs(html) == expected
    assert people.p1.organisation.name in html


def test_record_filters_by_dates_with_both_ends_included(client, db, auditor, contracted):
    p, _ = contracted
    today = utcnow().date()
    everything = [e.seq for e in events_of(db, p.id)]
    same_day = client.get(f"/audit/procurements/{p.id}?date_from={today}&date_to={today}").get_data(as_text=True)
    assert listed_seqs(same_day) == everything
    tomorrow = today + timedelta(days=1)
    later = client.get(f"/audit/procurements/{p.id}?date_from={tomorrow}").get_data(as_text=True)
    assert listed_seqs(later) == []
    assert "No events match these filters" in later
    earlier = client.get(f"/audit/procurements/{p.id}?date_to={today - timedelta(days=1)}").get_data(as_text=True)
    assert listed_seqs(earlier) == []


@pytest.mark.parametrize("query", ["date_from=2026-02-30", "date_to=yesterday", "organisation=999999",
                                   "date_from=2026-03-02&date_to=2026-03-01"])
def test_bad_filters_show_an_error_and_the_whole_record(client, db, auditor, contracted, query):
    p, _ = contracted
    response = client.get(f"/audit/procurements/{p.id}?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "There is a problem" in html
    assert listed_seqs(html) == [e.seq for e in events_of(db, p.id)]


def test_csv_export_streams_the_filtered_record_and_is_itself_on_the_record(client, db, auditor, contracted):
    p, _ = contracted
    before = [e.seq for e in events_of(db, p.id) if e.action == "award.notice_published"]
    response = client.get(f"/audit/procurements/{p.id}/record.csv?action=award.notice_published")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.is_streamed
    assert f"procurement-{p.reference}-record-to-" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [int(r["seq"]) for r in rows] == before
    assert {r["procurement_id"] for r in rows} == {str(p.id)}
    exported = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "audit.exported")
                                  .order_by(AuditEvent.seq.desc())).first()
    assert exported.procurement_id == p.id and exported.actor_user_id == auditor.id
    assert "'award.notice_published'" in exported.summary and f"procurement {p.id}" in exported.summary


def test_unfiltered_csv_holds_every_event_up_to_its_own_export_event(client, db, auditor, contracted):
    p, _ = contracted
    text = client.get(f"/audit/procurements/{p.id}/record.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    seqs = [int(r["seq"]) for r in rows]
    assert seqs == [e.seq for e in events_of(db, p.id)]
    assert rows[-1]["action"] == "audit.exported"
    assert rows[0]["hash"] == events_of(db, p.id)[0].hash


@pytest.mark.parametrize("query", ["date_from=31/13/2026", "organisation=abc", "action=" + "x" * 81])
def test_csv_export_refuses_bad_filters(client, auditor, contracted, query):
    p, _ = contracted
    assert client.get(f"/audit/procurements/{p.id}/record.csv?{query}").status_code == 400


def test_index_lists_every_procurement_with_its_event_count(client, db, auditor, contracted, people):
    p, other = contracted
    draft = b.draft(people, title="A draft nobody has seen")
    html = client.get("/audit/procurements").get_data(as_text=True)
    for procurement in (p, other, draft):
        count = db.session.scalar(select(func.count()).select_from(AuditEvent)
                                  .where(AuditEvent.procurement_id == procurement.id))
        assert re.search(rf'/audit/procurements/{procurement.id}">{procurement.reference}</a>.*?'
                         rf'govuk-table__cell--numeric"[^>]*>{count}</td>', html, re.S)


def test_unknown_procurement_is_a_404(client, auditor):
    assert client.get("/audit/procurements/999999").status_code == 404


@pytest.mark.parametrize("role", ["provider", "commissioner"])
def test_only_auditors_and_admins_see_records(client, auth, user_factory, contracted, role, db):
    p, _ = contracted
    auth.sign_in(user_factory(role))
    for url in ("/audit/procurements", f"/audit/procurements/{p.id}", f"/audit/procurements/{p.id}/record.csv"):
        assert client.get(url).status_code == 403
    refused = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "security.refused")
                                 .order_by(AuditEvent.seq.desc())).first()
    assert "audit.export" in refused.summary


def test_the_printout_leaves_out_the_filters_and_links(client, auditor, contracted):
    p, _ = contracted
    html = client.get(f"/audit/procurements/{p.id}").get_data(as_text=True)
    no_print = html[html.index('class="cc-no-print"'):]
    assert no_print.index("<form") < no_print.index("</form>") < no_print.index('class="govuk-table cc-record')
    scss = (Path(__file__).resolve().parents[3] / "assets" / "scss" / "app.scss").read_text(encoding="utf-8")
    print_rules = scss[scss.index("@media print"):]
    assert ".cc-no-print" in print_rules and ".cc-record" in print_rules


def test_admins_see_records_too(client, auth, user_factory, contracted):
    p, _ = contracted
    auth.sign_in(user_factory("admin"))
    assert client.get(f"/audit/procurements/{p.id}").status_code == 200


def test_a_draft_has_a_record_from_its_creation(client, db, auditor, people):
    draft = b.draft(people, title="Early draft")
    html = client.get(f"/audit/procurements/{draft.id}").get_data(as_text=True)
    assert listed_seqs(html) == [e.seq for e in events_of(db, draft.id)]
    assert "procurement.created" in html  # the record starts with the draft, not with publication


def test_html_export_is_a_self_contained_file_of_the_record_up_to_its_own_export_event(client, db, auditor,
                                                                                       contracted):
    p, other = contracted
    response = client.get(f"/audit/procurements/{p.id}/record.html")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    exported = events_of(db, p.id)[-1]
    assert exported.action == "audit.exported" and exported.actor_user_id == auditor.id and "HTML" in exported.summary
    assert f'filename="procurement-{p.reference}-record-to-{exported.seq}.html"' in \
        response.headers["Content-Disposition"]
    for event in events_of(db, p.id):
        assert event.hash in html
    assert other.reference not in html
    # Nothing to fetch: no stylesheet, script or image links, so it opens, prints and saves as PDF offline.
    assert not re.search(r"<(link|script|img)\b", html)


def test_html_export_keeps_only_the_filtered_events_and_says_which(client, db, auditor, contracted):
    p, _ = contracted
    html = client.get(f"/audit/procurements/{p.id}/record.html?action=award.notice_published").get_data(as_text=True)
    awards = [e for e in events_of(db, p.id) if e.action == "award.notice_published"]
    created = next(e for e in events_of(db, p.id) if e.action == "procurement.created")
    assert all(e.hash in html for e in awards) and created.hash not in html
    assert "action The contract award notice was published and the standstill began" in html


def test_html_export_refuses_bad_filters(client, auditor, contracted):
    p, _ = contracted
    assert client.get(f"/audit/procurements/{p.id}/record.html?date_from=31/13/2026").status_code == 400
